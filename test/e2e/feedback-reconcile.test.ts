import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fake-discord/index.js';
import type { LogLine } from './harness.js';
import { startWorld, type World } from './world.js';

// Tallies agree with Discord's reactions whichever path counted them: super reactions count like
// normal ones (once per reader), and reactions made while the bot was down count on the end card as
// on /feedback, reconciled only where they could have changed.

let botUserId = '';
/** The bot finished with a reader's reaction event (counted or deliberately ignored). */
const recorded = (line: LogLine) => (line.msg === 'feedback recorded' || line.msg === 'reaction ignored') && line.userId !== botUserId;

/** The count shown for `emoji` on scene `scene`'s line of a tally (/feedback or the end card). */
function countOn(tally: string, scene: number, emoji: string): number {
	const line = tally.split('\n').find((l) => l.includes(`Scene ${scene}`));
	if (!line) throw new Error(`no line for scene ${scene} in:\n${tally}`);
	const match = new RegExp(`${emoji}\\s*(\\d+)`, 'u').exec(line);
	return match ? Number(match[1]) : 0;
}

/** /next until the end card; returns its text. */
async function toTheEnd(world: World, server: { guildId: string; channelId: string }): Promise<string> {
	for (;;) {
		const reply = await world.fake.runCommand({ ...server, user: world.fake.user(), name: 'next' }).reply();
		if (!/Scene \d of 4/.test(reply.content)) return reply.embeds.map((e) => `${e.description ?? ''}\n${(e.fields ?? []).map((f) => `${f.name} ${f.value}`).join('\n')}`).join('\n');
	}
}

const isMessageGet = (r: RecordedRequest) => r.route === 'GET /channels/:channelId/messages/:messageId';
const isReactionList = (r: RecordedRequest) => r.route === 'GET /channels/:channelId/messages/:messageId/reactions/:emoji';

describe('tallies agree with Discord', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
		botUserId = world.fake.botUser.id;
	});
	afterAll(async () => {
		await world?.close();
	});

	async function newReading() {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const scene1 = fake.messages(server.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		return { server, scene1 };
	}

	async function feedback(server: { guildId: string; channelId: string }): Promise<string> {
		const reply = await world.fake.runCommand({ ...server, user: world.fake.user(), name: 'feedback' }).reply();
		return reply.embeds.map((e) => e.description ?? '').join('\n');
	}

	it('a super reaction is a vote, once per reader, live and after /feedback reconciles, and on the end card', async () => {
		const { fake } = world;
		const { server, scene1 } = await newReading();
		const [ana, ben, cy] = [fake.user('ana'), fake.user('ben'), fake.user('cy')];
		const on = { ...server, messageId: scene1.id };
		const done = world.bot.waitForLogCount(recorded, 6);
		await fake.react({ ...on, user: ana, emoji: '❤️', burst: true }); // a super reaction alone
		await fake.react({ ...on, user: ben, emoji: '🔥' }); // both kinds, same emoji: one vote
		await fake.react({ ...on, user: ben, emoji: '🔥', burst: true });
		await fake.react({ ...on, user: cy, emoji: '😢', burst: true }); // given, then taken back
		await fake.unreact({ ...on, user: cy, emoji: '😢', burst: true });
		await fake.unreact({ ...on, user: ben, emoji: '🔥', burst: true }); // ben keeps the normal one
		await done;

		let tally = await feedback(server);
		expect([countOn(tally, 1, '❤️'), countOn(tally, 1, '🔥'), countOn(tally, 1, '😢')]).toEqual([1, 1, 0]);
		// The same numbers once more (nothing changed), and on the end card.
		tally = await feedback(server);
		expect([countOn(tally, 1, '❤️'), countOn(tally, 1, '🔥'), countOn(tally, 1, '😢')]).toEqual([1, 1, 0]);
		const end = await toTheEnd(world, server);
		expect([countOn(end, 1, '❤️'), countOn(end, 1, '🔥'), countOn(end, 1, '😢')]).toEqual([1, 1, 0]);
	});

	it('with no restart, a tally asks Discord for nothing: every scene was posted by this process and every reaction seen', async () => {
		const { fake } = world;
		const { server, scene1 } = await newReading();
		const done = world.bot.waitForLogCount(recorded, 1);
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😮' });
		await done;
		const before = fake.requests.length;
		expect(countOn(await feedback(server), 1, '😮')).toBe(1);
		expect(countOn(await toTheEnd(world, server), 1, '😮')).toBe(1);
		const after = fake.requests.slice(before);
		expect(after.filter((r) => isMessageGet(r) || isReactionList(r))).toEqual([]);
	});
});

describe('reactions made while the bot was down', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
		botUserId = world.fake.botUser.id;
	});
	afterAll(async () => {
		await world?.close();
	});

	it('count on the end card as on /feedback, and only the scenes that could have changed are asked for, once', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const scene1 = fake.messages(server.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		const scene2 = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene2.id) && r.path.includes('👏'), { includePast: true });

		await world.bot.kill();
		// While the bot is down: three readers give 🔥 to scene 1, one a super ❤️ to scene 2.
		for (let i = 0; i < 3; i++) await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '🔥' });
		await fake.react({ ...server, messageId: scene2.id, user: fake.user(), emoji: '❤️', burst: true });
		await world.restartBot();

		const before = fake.requests.length;
		const end = await toTheEnd(world, server);
		expect(countOn(end, 1, '🔥')).toBe(3);
		expect(countOn(end, 2, '❤️')).toBe(1);
		// The two scenes posted before the restart were read once each; those posted since, never.
		const fetched = fake.requests.slice(before).filter(isMessageGet).map((r) => r.path.split('/').at(-1));
		expect(fetched.sort()).toEqual([scene1.id, scene2.id].sort());
		// User lists only where the counts differ: 🔥 on scene 1; normal and super ❤️ on scene 2.
		const lists = fake.requests.slice(before).filter(isReactionList).map((r) => `${r.path.split('/').at(-3)} ${r.path.split('/').at(-1)} ${r.query.type ?? '0'}`);
		expect(lists.sort()).toEqual([`${scene1.id} 🔥 0`, `${scene2.id} ❤️ 0`, `${scene2.id} ❤️ 1`].sort());

		// /feedback right after agrees, and asks Discord for nothing more.
		const again = fake.requests.length;
		const reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		const tally = reply.embeds.map((e) => e.description ?? '').join('\n');
		expect(countOn(tally, 1, '🔥')).toBe(3);
		expect(countOn(tally, 2, '❤️')).toBe(1);
		expect(fake.requests.slice(again).filter((r) => isMessageGet(r) || isReactionList(r))).toEqual([]);
	});

	it('when Discord will not list who reacted, the tally is the stored one (not an error), and the next tally asks again', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const scene1 = fake.messages(server.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		const seen = world.bot.waitForLogCount(recorded, 1);
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😢' });
		await seen;
		await world.bot.kill();
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😢' });
		await world.restartBot();

		fake.failNext({ method: 'GET', path: /\/reactions\//, status: 403, code: 50_001 });
		let reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		expect(reply.ephemeral).toBe(false);
		expect(countOn(reply.embeds.map((e) => e.description ?? '').join('\n'), 1, '😢')).toBe(1);
		// (Waited for: the log line may reach the test after the reply does.)
		await world.bot.waitForLog((l) => l.msg === 'could not read who reacted under a part: its tally is the stored one');
		reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		expect(countOn(reply.embeds.map((e) => e.description ?? '').join('\n'), 1, '😢')).toBe(2);
	});
});
