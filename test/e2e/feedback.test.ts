import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { SAMPLE_STORY_FILE, tempDir, type LogLine } from './harness.js';
import { startWorld, type World } from './world.js';

// Feedback reactions through the real gateway path: the bot's own emoji under each scene, readers'
// clicks counted exactly, and /feedback and the end card showing the numbers.

/** The bot finished with a reader's reaction event (counted or deliberately ignored); its own reactions don't match. */
const recorded = (line: LogLine) =>
	(line.msg === 'feedback recorded' || line.msg === 'reaction ignored') && line.userId !== botUserId;
let botUserId = '';
const EMOJI = ['❤️', '😮', '😢', '🔥', '👏'];

/** The count shown for `emoji` on the line of scene `scene` in /feedback's summary. */
function countOn(summary: string, scene: number, emoji: string): number {
	const line = summary.split('\n').find((l) => l.includes(`Scene ${scene}`));
	if (!line) throw new Error(`no line for scene ${scene} in:\n${summary}`);
	// The summary leaves out emoji nobody used on that scene.
	const match = new RegExp(`${emoji}\\s*(\\d+)`, 'u').exec(line);
	return match ? Number(match[1]) : 0;
}

describe.each(storeCases())('feedback reactions ($name)', ({ keyvUrl }) => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld(keyvUrl ? { keyvUrl: keyvUrl() } : {});
		botUserId = world.fake.botUser.id;
	});
	afterAll(async () => {
		await world?.close();
	});

	async function readingWithTwoScenes() {
		const { fake } = world;
		const server = await world.newServer();
		await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 4'));
		const scene2 = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		return { ...server, scene1, scene2 };
	}

	async function feedbackSummary(server: { guildId: string; channelId: string }): Promise<string> {
		const reply = await world.fake.runCommand({ ...server, user: world.fake.user(), name: 'feedback' }).reply();
		return reply.embeds.map((e) => e.description ?? '').join('\n');
	}

	it('offers the story\'s emoji under each scene, and counts readers\' reactions exactly', async () => {
		const { fake } = world;
		const { scene1, scene2, ...server } = await readingWithTwoScenes();
		await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene2.id) && r.path.includes('👏'), { includePast: true });
		expect(fake.messages(server.channelId).find((m) => m.id === scene1.id)!.reactions.map((r) => r.emoji.name)).toEqual(EMOJI);

		const [ana, ben, cy] = [fake.user('ana'), fake.user('ben'), fake.user('cy')];
		const done = world.bot.waitForLogCount(recorded, 7);
		await fake.react({ ...server, messageId: scene1.id, user: ana, emoji: '❤️' });
		await fake.react({ ...server, messageId: scene1.id, user: ben, emoji: '❤️' });
		await fake.react({ ...server, messageId: scene1.id, user: cy, emoji: '😮' });
		await fake.react({ ...server, messageId: scene2.id, user: ana, emoji: '🔥' });
		await fake.react({ ...server, messageId: scene1.id, user: ana, emoji: '👍' }); // not a feedback emoji
		await fake.react({ ...server, messageId: scene1.id, user: cy, emoji: '😮' }); // gateway replay
		await fake.unreact({ ...server, messageId: scene1.id, user: ben, emoji: '❤️' });
		await done;

		const summary = await feedbackSummary(server);
		expect(countOn(summary, 1, '❤️')).toBe(1);
		expect(countOn(summary, 1, '😮')).toBe(1);
		expect(countOn(summary, 2, '🔥')).toBe(1);
		expect(countOn(summary, 2, '❤️')).toBe(0);
		expect(summary).toContain('Serenade');
	});

	it('ignores reactions on the title card, and handles "remove all" and "remove emoji"', async () => {
		const { fake } = world;
		const { scene1, ...server } = await readingWithTwoScenes();
		const titleCard = fake.messages(server.channelId)[0]!;
		const users = [fake.user(), fake.user(), fake.user()];
		let done = world.bot.waitForLogCount(recorded, 7);
		await fake.react({ ...server, messageId: titleCard.id, user: users[0]!, emoji: '❤️' });
		for (const user of users) await fake.react({ ...server, messageId: scene1.id, user, emoji: '❤️' });
		for (const user of users.slice(0, 2)) await fake.react({ ...server, messageId: scene1.id, user, emoji: '😢' });
		await fake.react({ ...server, messageId: scene1.id, user: users[2]!, emoji: '🔥' });
		await done;
		let summary = await feedbackSummary(server);
		expect([countOn(summary, 1, '❤️'), countOn(summary, 1, '😢'), countOn(summary, 1, '🔥')]).toEqual([3, 2, 1]);

		done = world.bot.waitForLogCount(recorded, 1);
		await fake.removeEmoji({ ...server, messageId: scene1.id, emoji: '❤️' });
		await done;
		summary = await feedbackSummary(server);
		expect([countOn(summary, 1, '❤️'), countOn(summary, 1, '😢'), countOn(summary, 1, '🔥')]).toEqual([0, 2, 1]);

		done = world.bot.waitForLogCount(recorded, 1);
		await fake.removeAllReactions({ ...server, messageId: scene1.id });
		await done;
		summary = await feedbackSummary(server);
		expect([countOn(summary, 1, '❤️'), countOn(summary, 1, '😢'), countOn(summary, 1, '🔥')]).toEqual([0, 0, 0]);
	});

	it('a burst of 1,000 reactions on one scene, as fast as the gateway sends them, gives the exact tally', async () => {
		const { fake } = world;
		const { scene1, ...server } = await readingWithTwoScenes();
		const readers = Array.from({ length: 500 }, (_, i) => fake.user(`burst${i}`));
		const done = world.bot.waitForLogCount(recorded, 1_000, 60_000);
		// 500 readers click ❤️ and 😮; then 200 of them take ❤️ back and 100 replays arrive: 1,300 events.
		await Promise.all(readers.flatMap((user) => [
			fake.react({ ...server, messageId: scene1.id, user, emoji: '❤️' }),
			fake.react({ ...server, messageId: scene1.id, user, emoji: '😮' }),
		]));
		await done;
		const more = world.bot.waitForLogCount(recorded, 300, 60_000);
		await Promise.all([
			...readers.slice(0, 200).map((user) => fake.unreact({ ...server, messageId: scene1.id, user, emoji: '❤️' })),
			...readers.slice(300, 400).map((user) => fake.react({ ...server, messageId: scene1.id, user, emoji: '😮' })),
		]);
		await more;
		const summary = await feedbackSummary(server);
		expect(countOn(summary, 1, '❤️')).toBe(300);
		expect(countOn(summary, 1, '😮')).toBe(500);
	});

	it('the end card shows the whole story\'s tally', async () => {
		const { fake } = world;
		const { scene1, ...server } = await readingWithTwoScenes();
		const done = world.bot.waitForLogCount(recorded, 2);
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '🔥' });
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '🔥' });
		await done;
		for (let i = 0; i < 2; i++) await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		const ending = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
		const text = JSON.stringify(ending.embeds);
		expect(text).toMatch(/Scene 1[^\n]*🔥\s*2/u);
	});
});

describe('feedback survives restarts', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
		botUserId = world.fake.botUser.id;
	});
	afterAll(async () => {
		await world?.close();
	});

	it('reactions after a restart on a message the new client never cached still count (partials)', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 4'));
		let done = world.bot.waitForLogCount(recorded, 1);
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '❤️' });
		await done;

		await world.bot.kill();
		await world.restartBot();
		done = world.bot.waitForLogCount((line) => line.msg === 'feedback recorded', 2);
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '❤️' });
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😢' });
		await done;
		const reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		const summary = reply.embeds.map((e) => e.description ?? '').join('\n');
		expect(countOn(summary, 1, '❤️')).toBe(2);
		expect(countOn(summary, 1, '😢')).toBe(1);
	});

	it('reactions made while the bot was offline are reconciled by /feedback from Discord\'s counts', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 4'));
		const early = fake.user();
		let done = world.bot.waitForLogCount(recorded, 1);
		await fake.react({ ...server, messageId: scene1.id, user: early, emoji: '❤️' });
		await done;

		await world.bot.kill();
		// While the bot is down: two new readers react, the early one takes theirs back.
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😮' });
		await fake.react({ ...server, messageId: scene1.id, user: fake.user(), emoji: '😮' });
		await fake.unreact({ ...server, messageId: scene1.id, user: early, emoji: '❤️' });
		await world.restartBot();

		const reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		const summary = reply.embeds.map((e) => e.description ?? '').join('\n');
		expect(countOn(summary, 1, '😮')).toBe(2);
		expect(countOn(summary, 1, '❤️')).toBe(0);
	});
});

function storeCases(): Array<{ name: string; keyvUrl?: () => string }> {
	const cases: Array<{ name: string; keyvUrl?: () => string }> = [{ name: 'SQLite' }];
	if (process.env.REDIS_URL) cases.push({ name: 'Redis', keyvUrl: () => process.env.REDIS_URL! });
	else console.warn('feedback e2e: REDIS_URL is not set, so the Redis case is skipped (bash .ci/run sets it)');
	if (process.env.DATABASE_URL) cases.push({ name: 'PostgreSQL', keyvUrl: () => process.env.DATABASE_URL! });
	else console.warn('feedback e2e: DATABASE_URL is not set, so the PostgreSQL case is skipped (bash .ci/run sets it)');
	return cases;
}

describe('a scene posted as several messages', () => {
	let world: World;
	let storyDir: { path: string; remove(): Promise<void> };
	beforeAll(async () => {
		// After The End with scene 1 made longer than one message's 6,000 characters of embeds.
		storyDir = await tempDir('sfb-long-story-');
		const story = await readFile(SAMPLE_STORY_FILE, 'utf8');
		const filler = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of the long night, told slowly so that the scene runs past one message. `.repeat(3).trim()).join('\n\n');
		await writeFile(join(storyDir.path, 'after-the-end.md'), story.replace('# Scene: The van at dawn', `${filler}\n\n# Scene: The van at dawn`));
		world = await startWorld({ storyDir: storyDir.path });
		botUserId = world.fake.botUser.id;
	});
	afterAll(async () => {
		await world?.close();
		await storyDir?.remove();
	});

	it('counts a reaction on any of its messages, and a reader once per emoji across them', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const parts = fake.messages(server.channelId, { ephemeral: false }).filter((m) => m.content.includes('Scene 1 of 4'));
		expect(parts.length).toBeGreaterThan(1);
		expect(parts.map((m) => /part \d\/\d/.exec(m.content)?.[0])).toEqual(parts.map((_, i) => `part ${i + 1}/${parts.length}`));
		const [first, last] = [parts[0]!, parts.at(-1)!] as [FakeMessage, FakeMessage];
		// The emoji are offered under the last message only, with the Next button.
		expect(fake.requests.some((r) => r.method === 'PUT' && r.path.includes(`/messages/${first.id}/reactions/`))).toBe(false);

		const [ana, ben] = [fake.user(), fake.user()];
		const done = world.bot.waitForLogCount((line) => line.msg === 'feedback recorded', 3);
		await fake.react({ ...server, messageId: first.id, user: ana, emoji: '🔥' });
		await fake.react({ ...server, messageId: last.id, user: ana, emoji: '🔥' });
		await fake.react({ ...server, messageId: first.id, user: ben, emoji: '❤️' });
		await done;
		const reply = await fake.runCommand({ ...server, user: fake.user(), name: 'feedback' }).reply();
		const summary = reply.embeds.map((e) => e.description ?? '').join('\n');
		expect(countOn(summary, 1, '🔥')).toBe(1);
		expect(countOn(summary, 1, '❤️')).toBe(1);
	});
});
