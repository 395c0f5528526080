import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './world.js';

// The bot's own feedback emoji under each scene: one that Discord refuses does not cost the others,
// and a rate-limited reaction route never holds up shutdown.

const EMOJI = ['❤️', '😮', '😢', '🔥', '👏'];

describe('feedback emoji under a scene', () => {
	let world: World | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it('an emoji Discord refuses (10014 Unknown Emoji) is skipped, the others are added, and it is logged once', async () => {
		world = await startWorld({ fake: { unknownEmoji: ['😮'] } });
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const scene2 = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene2.id) && r.path.includes('👏'), { includePast: true });

		const scenes = fake.messages(server.channelId, { ephemeral: false }).filter((m) => /Scene \d of 4/.test(m.content));
		expect(scenes).toHaveLength(2);
		for (const scene of scenes) expect(scene.reactions.map((r) => r.emoji.name)).toEqual(['❤️', '😢', '🔥', '👏']);
		// Refused under both scenes, told once: the operator's log is not one line per scene.
		expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.includes('😮') && r.status === 400)).toHaveLength(2);
		await world.bot.waitForLog((l) => l.emoji === '😮');
		const told = world.bot.logs.filter((l) => l.emoji === '😮');
		expect(told).toHaveLength(1);
		expect(told[0]!.level).toBe(40);
		expect(told[0]!.msg).toContain('10014');
		expect(world.bot.errors()).toEqual([]);
	});

	it('offering emoji under scene after scene leaves nothing behind (no abort listener per request on the shutdown signal)', async () => {
		world = await startWorld();
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		for (let i = 0; i < 3; i++) {
			const scene = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
			await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene.id) && r.path.includes('👏'), { includePast: true });
		}
		// Node warns past 10 listeners on one AbortSignal: 4 scenes x 5 emoji would pass that.
		expect(world.bot.stderr.join('')).not.toMatch(/MaxListenersExceeded|memory leak/);
	});

	it('a long 429 on the reaction route does not hold up shutdown: the emoji are dropped, the bot exits 0 at once', async () => {
		world = await startWorld();
		const { fake } = world;
		const server = await world.newServer();
		// Discord makes the bot wait a minute before its next reaction; the reading itself goes on.
		fake.failNext({ method: 'PUT', path: /\/reactions\//, status: 429, retryAfterSeconds: 60 });
		await world.startReading(server);
		await fake.waitForRequest((r) => r.method === 'PUT' && r.status === 429, { includePast: true });
		const scene1 = fake.messages(server.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;

		const stoppedAt = Date.now();
		expect(await world.bot.stop('SIGTERM')).toBe(0);
		const msgs = world.bot.logs.map((l) => l.msg);
		expect(msgs).toContain('stopped');
		expect(msgs).not.toContain('shutdown took too long: exiting with work unfinished');
		// Well inside the 9 s limit (the old code waited the whole 9 s, then exited 1).
		expect(Date.now() - stoppedAt).toBeLessThan(5_000);
		// The reading was saved: a restarted bot goes on from scene 1.
		expect(fake.message(scene1.id)!.reactions.map((r) => r.emoji.name)).not.toEqual(EMOJI);
		await world.restartBot();
		const next = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		expect(next.content).toContain('Scene 2 of 4');
	});

	it('adds a scene\'s emoji within the reaction route\'s limit from the first one: no 429 from Discord, even before discord.js knows the route\'s bucket', async () => {
		// A fresh process: discord.js learns the reaction route's bucket from the first answer and sends
		// the next reaction through a new queue that knows nothing of the 1-per-0.25 s limit just used.
		world = await startWorld({ fake: { rateLimits: true } });
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const scene1 = fake.messages(server.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene1.id) && r.path.includes('👏') && r.status === 204, { includePast: true });
		expect(fake.message(scene1.id)!.reactions.map((r) => r.emoji.name)).toEqual(EMOJI);
		expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
		expect(fake.rateLimitHits).toEqual({ global: 0, user: 0 });
	});
});
