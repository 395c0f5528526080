import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../fake-discord/index.js';
import { freePort, redisServerInstalled, startRedisServer } from '../helpers/stores.js';
import { PROJECT_ROOT, startBot, tempDir, type BotProcess } from './harness.js';

// Start-up and deploy failures a person running the bot can fix: each ends the process with one
// line on stderr saying what failed and what to check (no stack trace, no `ready`), within a time
// limit. A store outage that starts after `ready` is a different story (store-outage.test.ts).

/** A TCP server that accepts connections and never answers: a Discord (or proxy) that hangs. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => undefined);
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}/api`,
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((closed) => server.close(() => closed()));
		},
	};
}

/** stderr as lines, after the process exited. */
const lines = (bot: BotProcess) => bot.stderr.join('').trim().split('\n');

let cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	cleanups = [];
});

async function bot(options: { restUrl: string; token?: string; keyvUrl?: string; env?: Record<string, string> }): Promise<BotProcess> {
	const dir = await tempDir();
	const process_ = startBot({ token: 'x.y.z', dataDir: dir.path, ...options });
	cleanups.push(() => process_.kill(), () => dir.remove());
	return process_;
}

async function fakeDiscord(): Promise<FakeDiscord> {
	const fake = await startFakeDiscord();
	cleanups.push(() => fake.close());
	return fake;
}

describe('an unreachable store at start: one line and exit 1, never `ready`', () => {
	it('Redis', async () => {
		const fake = await fakeDiscord();
		const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: `redis://127.0.0.1:${await freePort()}` });
		expect(await run.exited).toBe(1);
		// Counted from the bot's line just before it opens the store (pino's `time`, ms since 1970):
		// Node loading the bot's modules took up to 7 s of a busy 2-core machine, and is not what this limits.
		const opening = run.logs.find((l) => l.event === 'storiesLoaded');
		expect(Date.now() - Number(opening?.time)).toBeLessThan(15_000);
		expect(lines(run)).toEqual([expect.stringMatching(/^serial-fiction-bot: cannot reach Redis at start: .*ECONNREFUSED.*Check that Redis is running.*KEYV_URL/)]);
		expect(run.logs.filter((l) => l.event === 'ready')).toEqual([]);
		// The one line is all: no warning with a stack trace from the store's reconnect attempts before it.
		expect(run.logs.filter((l) => Number(l.level) >= 40)).toEqual([]);
		expect(fake.requests).toEqual([]);
	});

	it('PostgreSQL', async () => {
		const fake = await fakeDiscord();
		const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: `postgres://postgres@127.0.0.1:${await freePort()}/sfb` });
		expect(await run.exited).toBe(1);
		expect(lines(run)).toEqual([expect.stringMatching(/^serial-fiction-bot: cannot reach PostgreSQL at start: .*ECONNREFUSED.*Check that PostgreSQL is running.*KEYV_URL/)]);
		expect(run.logs.filter((l) => l.event === 'ready')).toEqual([]);
		expect(run.logs.filter((l) => Number(l.level) >= 40)).toEqual([]);
	});
});

if (!redisServerInstalled) console.warn('startup failures e2e: redis-server is not installed, so the eviction-policy tests are skipped (bash .ci/run installs it)');
describe.skipIf(!redisServerInstalled)('Redis that may evict the bot\'s keys (needs redis-server)', () => {
	async function redis(settings: string[]): Promise<string> {
		const port = await freePort();
		const server = await startRedisServer(port, ['--save', '', '--appendonly', 'no', ...settings]);
		cleanups.push(() => server.kill('SIGKILL'));
		return `redis://127.0.0.1:${port}`;
	}

	for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
		it(`maxmemory-policy ${policy}: refused at start, naming the fix`, async () => {
			const fake = await fakeDiscord();
			const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: await redis(['--maxmemory', '64mb', '--maxmemory-policy', policy]) });
			expect(await run.exited).toBe(1);
			expect(lines(run)).toEqual([
				expect.stringMatching(new RegExp(`^serial-fiction-bot: Redis at 127\\.0\\.0\\.1:\\d+ has maxmemory-policy ${policy}, which evicts keys without a TTL: .*Set \`maxmemory-policy noeviction\``)),
			]);
			expect(run.logs.filter((l) => l.event === 'ready')).toEqual([]);
		});
	}

	it('maxmemory-policy volatile-lru (evicts only keys with a TTL, which the bot never sets): starts', async () => {
		const fake = await fakeDiscord();
		const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: await redis(['--maxmemory-policy', 'volatile-lru']) });
		const opened = await run.waitForLog((l) => l.event === 'storeOpened');
		expect(opened.maxmemoryPolicy).toBe('volatile-lru');
		await run.ready();
		expect(run.logs.filter((l) => l.level >= 40)).toEqual([]);
	});

	it('CONFIG renamed away: starts, and warns that the policy could not be checked', async () => {
		const fake = await fakeDiscord();
		const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: await redis(['--rename-command', 'CONFIG', '""']) });
		const warning = await run.waitForLog((l) => l.event === 'storeEvictionUnchecked');
		expect(warning.msg).toMatch(/^could not check Redis maxmemory-policy \(CONFIG GET maxmemory-policy was refused .*\): make sure it is noeviction/);
		await run.ready();
	});

	it('an ACL user without CONFIG and INFO (-@dangerous): starts, and warns that the policy could not be checked', async () => {
		const fake = await fakeDiscord();
		const url = (await redis(['--user', 'bot', 'on', '>secret', '~*', '&*', '+@all', '-@dangerous'])).replace('redis://', 'redis://bot:secret@');
		const run = await bot({ restUrl: fake.restUrl, token: fake.token, keyvUrl: url });
		const warning = await run.waitForLog((l) => l.event === 'storeEvictionUnchecked');
		expect(warning.msg).toMatch(/^could not check Redis maxmemory-policy \(CONFIG GET maxmemory-policy was refused \(NOPERM/);
		await run.ready();
	});
});

describe('Discord failing at login: one line and exit 1', () => {
	it('a Discord that accepts the connection and never answers: gives up at LOGIN_TIMEOUT_SECONDS', async () => {
		const silent = await silentServer();
		cleanups.push(() => silent.close());
		const run = await bot({ restUrl: silent.url, env: { LOGIN_TIMEOUT_SECONDS: '1' } });
		expect(await run.exited).toBe(1);
		expect(lines(run)).toEqual([
			`serial-fiction-bot: Discord at ${silent.url} did not complete the login within 1 s: check the network, a firewall or proxy (DISCORD_API_URL), and https://discordstatus.com; a slow link can raise LOGIN_TIMEOUT_SECONDS.`,
		]);
	});

	it('a 5xx from Discord at login (after discord.js\'s retries)', async () => {
		const fake = await fakeDiscord();
		fake.failNext({ method: 'GET', path: /^\/gateway\/bot$/, status: 503, times: 20 });
		const run = await bot({ restUrl: fake.restUrl, token: fake.token });
		expect(await run.exited).toBe(1);
		expect(lines(run)).toEqual([
			'serial-fiction-bot: Discord answered 503 to GET /api/v10/gateway/bot, a failure on its side: check https://discordstatus.com and try again in a few minutes.',
		]);
	});

	it('a 5xx from Discord at command sync: one log line, no stack, and the bot keeps serving', async () => {
		const fake = await fakeDiscord();
		fake.failNext({ method: 'PUT', path: /^\/applications\/\d+\/commands$/, status: 500, times: 20 });
		const run = await bot({ restUrl: fake.restUrl, token: fake.token });
		const failed = await run.waitForLog((l) => l.event === 'commandSyncFailed');
		expect(failed.msg).toBe(
			'could not register slash commands: Discord answered 500 to PUT /api/v10/applications/' +
				`${fake.applicationId}/commands, a failure on its side: check https://discordstatus.com and try again in a few minutes.`,
		);
		expect(failed.err).toBeUndefined();
		expect(run.child.exitCode).toBeNull();
	});
});

describe('npm run deploy: one line saying what to check', () => {
	async function deploy(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
		const dir = await tempDir();
		cleanups.push(() => dir.remove());
		const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/src/deploy.js')], {
			cwd: dir.path,
			env: { PATH: process.env.PATH ?? '', DEV_GUILD_ID: '', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const code = await new Promise<number | null>((exited) => child.once('exit', exited));
		return { code, stderr };
	}

	it('a refused token (401)', async () => {
		const fake = await fakeDiscord();
		const { code, stderr } = await deploy({ DISCORD_TOKEN: 'wrong.token.value', DISCORD_API_URL: fake.restUrl });
		expect(code).toBe(1);
		expect(stderr).toBe('serial-fiction-bot: Discord refused DISCORD_TOKEN: reset the token in the Developer Portal (your app > Bot) and paste it into .env.\n');
	});

	it('a host that does not resolve (ENOTFOUND)', async () => {
		const { code, stderr } = await deploy({ DISCORD_TOKEN: 'x.y.z', DISCORD_API_URL: 'http://discord.invalid/api' });
		expect(code).toBe(1);
		expect(stderr).toBe('serial-fiction-bot: cannot reach Discord at http://discord.invalid/api (ENOTFOUND): check the network and DNS, or DISCORD_API_URL if you set it.\n');
	});

	it('nothing listening (ECONNREFUSED)', async () => {
		const url = `http://127.0.0.1:${await freePort()}/api`;
		const { code, stderr } = await deploy({ DISCORD_TOKEN: 'x.y.z', DISCORD_API_URL: url });
		expect(code).toBe(1);
		expect(stderr).toBe(`serial-fiction-bot: cannot reach Discord at ${url} (ECONNREFUSED): check the network and DNS, or DISCORD_API_URL if you set it.\n`);
	});

	it('a Discord that never answers: gives up at LOGIN_TIMEOUT_SECONDS', async () => {
		const silent = await silentServer();
		cleanups.push(() => silent.close());
		const { code, stderr } = await deploy({ DISCORD_TOKEN: 'x.y.z', DISCORD_API_URL: silent.url, LOGIN_TIMEOUT_SECONDS: '1' });
		expect(code).toBe(1);
		expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^serial-fiction-bot: Discord at .* did not complete the login within 1 s: /)]);
	});
});
