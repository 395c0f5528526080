import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../fake-discord/index.js';
import { nodeFlagsOf, SHARDED_ENTRY, startBot, tempDir, type BotProcess } from './harness.js';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// Shutting down without losing a reader's answer, and two shard processes on one shared store.

describe('graceful shutdown', () => {
	let world: World | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it('on SIGTERM the interaction in flight is finished and saved before the bot exits', async () => {
		world = await startWorld();
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		// Discord is slow to take the scene: the signal, and a late reader, arrive meanwhile. Held until
		// the late reader is answered (a 0.5 s Retry-After raced the test: a busy machine let it run
		// out, the bot finished /next and exited, and /progress went unanswered).
		const slow = fake.holdNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/ });
		const next = fake.runCommand({ ...server, user: fake.user(), name: 'next' });
		await slow.arrived;
		const exit = world.bot.stop('SIGTERM');
		await world.bot.waitForLog((l) => l.msg === 'shutting down: finishing interactions in flight');
		// A reader who arrives now is told, rather than left with "the application did not respond".
		const late = await fake.runCommand({ ...server, user: fake.user(), name: 'progress' }).reply();
		expect(late.ephemeral).toBe(true);
		expect(late.content).toBe("I'm restarting. Please try again in a few seconds.");
		expect(world.bot.child.exitCode).toBe(null);
		slow.release();
		expect((await next.reply()).content).toContain('Scene 2 of 4');
		expect(await exit).toBe(0);
		expect(world.bot.logs.map((l) => l.msg)).toContain('stopped');

		await world.restartBot();
		const progress = await fake.runCommand({ ...server, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 2 of 4');
	});

	it('a second signal exits at once', async () => {
		world = await startWorld();
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 429, retryAfterSeconds: 30 });
		fake.runCommand({ ...server, user: fake.user(), name: 'next' });
		await fake.waitForRequest((r) => r.status === 429);
		world.bot.child.kill('SIGTERM');
		await world.bot.waitForLog((l) => l.msg === 'shutting down: finishing interactions in flight');
		expect(await world.bot.stop('SIGINT')).toBe(130);
		await world.restartBot();
	});
});

if (!process.env.REDIS_URL) console.warn('lifecycle e2e: REDIS_URL is not set, so the two-shard test is skipped (bash .ci/run sets it)');
describe.skipIf(!process.env.REDIS_URL)('sharding (needs REDIS_URL; bash .ci/run sets it)', () => {
	let fake: FakeDiscord | undefined;
	let bot: BotProcess | undefined;
	afterEach(async () => {
		await bot?.stop();
		await fake?.close();
	});

	it('two shard processes sharing one Redis store serve two servers without conflict', async () => {
		fake = await startFakeDiscord({ recommendedShards: 2 });
		// One server on each shard: Discord routes a server to shard (id >> 22) % count.
		const guilds = [0, 1].map((shard) => {
			const evenMs = BigInt(Date.now() - 1_420_070_400_000) & ~1n;
			const id = String(((evenMs + BigInt(shard)) << 22n) + BigInt(shard));
			expect(Number((BigInt(id) >> 22n) % 2n)).toBe(shard);
			const guild = fake!.addGuild({ id, channels: [{ type: 0 }], botPermissions: READER_PERMISSIONS });
			return { guildId: guild.id, channelId: guild.channels[0]!.id };
		});
		const dir = await tempDir();
		// A developer debugging the manager: the shards must not all try to open its inspector.
		bot = startBot({
			entry: SHARDED_ENTRY,
			restUrl: fake.restUrl,
			token: fake.token,
			dataDir: dir.path,
			keyvUrl: process.env.REDIS_URL!,
			env: { TOTAL_SHARDS: 'auto' },
			extraNodeFlags: ['--inspect-port', '127.0.0.1:0', '--inspect'],
		});
		await bot.waitForLogCount((l) => l.event === 'ready', 2, 30_000).catch(async () => {
			throw new Error(`shards did not both become ready: ${bot!.logs.map((l) => l.msg).join(' | ')}`);
		});
		const readyPids = new Set(bot.logs.filter((l) => l.event === 'ready').map((l) => l.pid));
		expect(readyPids.size).toBe(2);
		// Each shard runs with the memory settings `npm run start:sharded` gave the manager, and without its debugger.
		for (const pid of readyPids) {
			const argv = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').split('\0');
			for (const flag of nodeFlagsOf('start:sharded', SHARDED_ENTRY)) expect(argv).toContain(flag);
			expect(argv.filter((arg) => arg.includes('inspect') || arg === '127.0.0.1:0')).toEqual([]);
		}

		for (const server of guilds) {
			await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
			await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 4'));
		}
		const nexts = guilds.map((server) => fake!.runCommand({ ...server, user: fake!.user(), name: 'next' }));
		const replies = await Promise.all(nexts.map((n) => n.reply()));
		for (const reply of replies) expect(reply.content).toContain('Scene 2 of 4');
		const second = await fake.runCommand({ ...guilds[0]!, user: fake.user(), name: 'next' }).reply();
		expect(second.content).toContain('Scene 3 of 4');

		// Each server was served by its own shard process, and each sees only its own reading.
		const servedBy = (guildId: string) => new Set(bot!.logs.filter((l) => l.msg === 'interaction served' && l.guildId === guildId).map((l) => l.pid));
		const [pidsA, pidsB] = guilds.map((g) => servedBy(g.guildId));
		expect(pidsA!.size).toBe(1);
		expect(pidsB!.size).toBe(1);
		expect([...pidsA!][0]).not.toBe([...pidsB!][0]);
		const progress = await Promise.all(guilds.map((server) => fake!.runCommand({ ...server, user: fake!.user(), name: 'progress' }).reply()));
		expect(progress[0]!.content).toContain('scene 3 of 4');
		expect(progress[1]!.content).toContain('scene 2 of 4');
		await bot.stop();
		await dir.remove();
	});
});
