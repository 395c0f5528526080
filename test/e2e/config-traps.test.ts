import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../fake-discord/index.js';
import { commandPayloads } from '../../src/discord/command-sync.js';
import { BOT_PERMISSIONS, inviteUrl } from '../../src/invite.js';
import { BOT_ENTRY, PROJECT_ROOT, startBot, tempDir, type BotProcess } from './harness.js';
import { READER_PERMISSIONS } from './world.js';

// A new user's first hour: the configuration mistakes the README invites, each either accepted or
// answered with one line that says what to do.

let cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	cleanups = [];
});

async function world(): Promise<{ fake: FakeDiscord; dir: string; start(options?: { keyvUrl?: string; env?: Record<string, string> }): BotProcess }> {
	const fake = await startFakeDiscord();
	const dir = await tempDir();
	cleanups.push(() => fake.close(), () => dir.remove());
	return {
		fake,
		dir: dir.path,
		start(options = {}) {
			const bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, ...options });
			cleanups.splice(1, 0, () => bot.stop());
			return bot;
		},
	};
}

describe('configuration traps', () => {
	it('KEYV_URL as a bare path (data/x.sqlite) is a SQLite file, relative to the working directory', async () => {
		const { start, dir } = await world();
		const bot = start({ keyvUrl: 'data/x.sqlite' });
		const opened = await bot.waitForLog((l) => l.event === 'storeOpened');
		expect(opened.kind).toBe('sqlite');
		await bot.ready();
		expect(existsSync(join(dir, 'data/x.sqlite'))).toBe(true);
	});

	it('no DISCORD_TOKEN: the line says where .env was looked for (the working directory, then beside the project)', async () => {
		const dir = await tempDir();
		cleanups.push(() => dir.remove());
		// Present and empty: a developer's own .env beside the project cannot fill it in.
		const child = spawn(process.execPath, [BOT_ENTRY], { cwd: dir.path, env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: '' } });
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		expect(await new Promise((exited) => child.once('exit', exited))).toBe(1);
		const lines = stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('DISCORD_TOKEN is not set: copy .env.example to .env');
		expect(lines[0]).toContain(`Looked in the environment, ${join(dir.path, '.env')} (none) and ${join(PROJECT_ROOT, '.env')}`);
	});

	it('global commands after a DEV_GUILD_ID run: the old dev server\'s copies are removed, other servers untouched', async () => {
		const { fake, start } = await world();
		const dev = fake.addGuild({ channels: [{ type: 0 }], botPermissions: READER_PERMISSIONS });
		const other = fake.addGuild({ channels: [{ type: 0 }], botPermissions: READER_PERMISSIONS });
		// What an earlier `npm start` with DEV_GUILD_ID left: our commands registered in that server.
		const put = await fetch(`${fake.restUrl}/v10/applications/${fake.applicationId}/guilds/${dev.id}/commands`, {
			method: 'PUT',
			headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
			body: JSON.stringify(commandPayloads()),
		});
		expect(put.status).toBe(200);
		expect(fake.commands(dev.id)).toHaveLength(commandPayloads().length);

		const bot = start({ env: { DEV_GUILD_ID: '' } });
		const cleared = await bot.waitForLog((l) => l.event === 'guildCommandsCleared');
		expect(cleared.guildId).toBe(dev.id);
		expect(fake.commands(dev.id)).toEqual([]);
		expect(fake.commands().map((c) => c.name).sort()).toEqual(['catchup', 'discussion', 'feedback', 'library', 'next', 'progress', 'read', 'schedule']);
		expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.includes(`/guilds/${other.id}/`))).toEqual([]);
	});

	it('in no server yet: the invite URL is logged at start, with Send Messages in Threads among the permissions', async () => {
		const { fake, start } = await world();
		const bot = start();
		const invite = await bot.waitForLog((l) => l.event === 'invite');
		const url = new URL(invite.url as string);
		expect(url.searchParams.get('client_id')).toBe(fake.applicationId);
		expect(url.searchParams.get('scope')).toBe('bot applications.commands');
		const permissions = BigInt(url.searchParams.get('permissions')!);
		// Thread readings need it; 85056 (the old integer) lacked it.
		expect(permissions & 1n << 38n).toBe(1n << 38n);
		expect(permissions).toBe(BOT_PERMISSIONS);
		expect(invite.msg).toBe(`in no server yet: add me with ${invite.url as string}`);
	});

	it('the README gives the same invite link and integer as the code', () => {
		const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
		expect(readme).toContain(inviteUrl('<APPLICATION_ID>'));
		expect(readme).toContain(`permissions integer \`${BOT_PERMISSIONS}\``);
		expect(readme).not.toContain('85056');
	});
});
