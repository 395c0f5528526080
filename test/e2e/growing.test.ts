import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../../fake-discord/index.js';
import { tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

// Stories that grow (issue 11, item 6), on the fake Discord with the real discord.js client: the bot
// reads a temporary STORY_DIR holding copies of test/fixtures/growing, and the test adds text to a
// story file as its author would, then restarts the bot (which loads stories at start).

const FIXTURES = resolve('test/fixtures/growing');

let world: World;
let storyDir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
	storyDir = await tempDir('sfb-growing-');
	await cp(join(FIXTURES, 'in-progress'), storyDir.path, { recursive: true });
	await cp(join(FIXTURES, 'complete'), storyDir.path, { recursive: true });
	world = await startWorld({ storyDir: storyDir.path });
});
afterAll(async () => {
	await world?.close();
	await storyDir?.remove();
});

type Posted = { content: string; embeds: Array<{ description?: string }>; components: Array<{ components: Array<{ custom_id?: string; label?: string }> }> };
const nextButtonOf = (message: Posted) => message.components[0]?.components[0];
const text = (message: Posted) => `${message.content}\n${message.embeds.map((embed) => embed.description ?? '').join('\n')}`;

async function addToStory(file: string, addition: string): Promise<void> {
	await appendFile(join(storyDir.path, file), await readFile(join(FIXTURES, 'additions', addition), 'utf8'));
}

/** Puts an addition before the story's first chapter, right after its front matter. */
async function insertAtStart(file: string, addition: string): Promise<void> {
	const path = join(storyDir.path, file);
	const text = await readFile(path, 'utf8');
	const bodyStart = text.indexOf('\n---\n', 4) + '\n---\n\n'.length;
	await writeFile(path, text.slice(0, bodyStart) + (await readFile(join(FIXTURES, 'additions', addition), 'utf8')) + text.slice(bodyStart));
}

/** `command(name, options)`: runs a slash command in `server`'s channel as `user`. */
function commandsAs(server: Awaited<ReturnType<World['newServer']>>, user: ReturnType<FakeDiscord['user']>) {
	return (name: string, options?: Record<string, string>) => world.fake.runCommand({ ...server, user, name, ...(options ? { options } : {}) });
}

describe('a story still being written', () => {
	it('ends its newest chapter with "to be continued", keeps the reading there, and goes on once a chapter is added', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const ana = fake.user('ana');
		const command = commandsAs(server, ana);

		const read = command('read', { story: 'lantern' });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('The Gate'));
		await world.served(read);

		const next = command('next');
		const chapter2 = await next.reply();
		expect(chapter2.content).toContain('The Ferry');
		const card = await fake.waitForMessage(server.channelId, (m) => m.content.includes('To be continued'));
		await world.served(next);
		// No end card: the newest chapter ends with "to be continued", whose button waits for the next chapter.
		expect(card.content).toBe('**The Lantern Road** · To be continued…');
		expect(text(card)).toContain('still being written');
		expect(nextButtonOf(card)?.label).toBe('Next: when it is out');
		expect(nextButtonOf(chapter2)).toBeUndefined();
		expect(fake.messages(server.channelId).some((m) => JSON.stringify(m.embeds).includes('The end of'))).toBe(false);

		// /next, and the button, say in words and privately that the next part is not out; nothing moves.
		const before = fake.messages(server.channelId, { ephemeral: false }).length;
		const early = command('next');
		const notYet = await early.reply();
		await world.served(early);
		expect(notYet.ephemeral).toBe(true);
		expect(notYet.content).toContain('is still being written, and its next part is not out yet');
		const click = fake.clickButton({ ...server, messageId: card.id, customId: nextButtonOf(card)!.custom_id!, user: ana });
		const clicked = await click.reply();
		await world.served(click);
		expect(clicked.ephemeral).toBe(true);
		expect(clicked.content).toContain('not out yet');
		expect(fake.messages(server.channelId, { ephemeral: false })).toHaveLength(before);

		const progress = await command('progress').reply();
		expect(progress.content).toContain('Chapter 2, the newest part so far (to be continued)');

		// The author adds chapter 3; the bot picks it up at its next start.
		await world.bot.stop();
		await addToStory('lantern.md', 'lantern.chapter-3.added');
		await world.restartBot();

		const afterAdding = command('next');
		const chapter3 = await afterAdding.reply();
		await world.served(afterAdding);
		expect(chapter3.ephemeral).toBe(false);
		expect(chapter3.content).toContain('Chapter 3 · _The Far Bank_');
		expect(text(chapter3)).toContain('a second lantern was already lit');
		// Still in progress: chapter 3 is now the newest, and ends with "to be continued" too.
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('To be continued') && m.id !== card.id);
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a complete story that grew after its end card', () => {
	it('goes on with the new scene instead of claiming it was posted or posting the end card again', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const ben = fake.user('ben');
		const command = commandsAs(server, ben);

		const read = command('read', { story: 'tide' });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 2'));
		await world.served(read);
		expect((await command('next').reply()).content).toContain('Scene 2 of 2');
		const ending = await command('next').reply();
		expect(JSON.stringify(ending.embeds)).toContain('The end of Low Tide');

		await world.bot.stop();
		await addToStory('tide.md', 'tide.scene-3.added');
		await world.restartBot();

		// (The field failure: "/progress says at scene 3 of 3 though scene 3 was never posted".)
		const progress = await command('progress').reply();
		expect(progress.content).toContain('scene 2 of 3');
		const scene3 = await command('next').reply();
		expect(scene3.content).toContain('Scene 3 of 3');
		expect(text(scene3)).toContain('the bell rang once');
		const endAgain = await command('next').reply();
		expect(JSON.stringify(endAgain.embeds)).toContain('The end of Low Tide');
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a chapter inserted before where a reading is', () => {
	it('keeps the reading on the same text and the votes on the same chapters', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const [cy, dee, eve] = [fake.user('cy'), fake.user('dee'), fake.user('eve')];
		const command = commandsAs(server, cy);

		const read = command('read', { story: 'road' });
		await read.reply();
		const gate = await fake.waitForMessage(server.channelId, (m) => m.content.includes('The Gate'));
		await world.served(read);
		const ferry = await command('next').reply();
		expect(ferry.content).toContain('Chapter 2 of 3 · _The Ferry_');
		const recorded = world.bot.waitForLogCount((line) => line.msg === 'feedback recorded', 3);
		await fake.react({ ...server, messageId: gate.id, user: dee, emoji: '❤️' });
		await fake.react({ ...server, messageId: gate.id, user: eve, emoji: '❤️' });
		await fake.react({ ...server, messageId: ferry.id, user: dee, emoji: '🔥' });
		await recorded;

		await world.bot.stop();
		await insertAtStart('road.md', 'road.prologue.added');
		await world.restartBot();

		// Still after The Ferry, now chapter 3 of 4.
		const progress = await command('progress').reply();
		expect(progress.content).toContain('Chapter 3 of 4');
		const feedback = await command('feedback').reply();
		const lines = feedback.embeds.map((embed) => embed.description ?? '').join('\n').split('\n');
		const line = (title: string) => lines.find((text) => text.includes(title)) ?? '';
		expect(line('Prologue')).toMatch(/ 0$/);
		expect(line('The Gate')).toMatch(/^Chapter 2 · The Gate · .*❤️ 2/);
		expect(line('The Ferry')).toMatch(/^Chapter 3 · The Ferry · .*🔥 1/);
		// A reaction on a message posted before the insertion still counts for its chapter.
		const counted = world.bot.waitForLog((entry) => entry.msg === 'feedback recorded');
		await fake.react({ ...server, messageId: gate.id, user: cy, emoji: '🔥' });
		await counted;

		const next = await command('next').reply();
		expect(next.content).toContain('Chapter 4 of 4 · _The Far Bank_');
		const ending = await command('next').reply();
		const tally = JSON.stringify(ending.embeds);
		expect(tally).toContain('The end of The Old Road');
		const endLines = ending.embeds.map((embed) => embed.description ?? '').join('\n').split('\n');
		expect(endLines.find((text) => text.includes('The Gate'))).toMatch(/❤️ 2.*🔥 1/);
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a story still being written, edited while the bot runs (STORY_DIR is watched)', () => {
	it('posts a chapter added to the file at the next /next; a broken edit keeps the version before it', async () => {
		const { fake, bot } = world;
		const file = join(storyDir.path, 'lantern-live.md');
		const original = await readFile(join(FIXTURES, 'in-progress', 'lantern.md'), 'utf8');
		const chapter3 = await readFile(join(FIXTURES, 'additions', 'lantern.chapter-3.added'), 'utf8');
		const reloaded = () => bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
		let loaded = reloaded();
		await writeFile(file, original);
		await loaded;

		const server = await world.newServer();
		const ana = fake.user('ana');
		const command = commandsAs(server, ana);
		const read = command('read', { story: 'lantern-live' });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('The Gate'));
		await world.served(read);
		const next = command('next');
		expect((await next.reply()).content).toContain('The Ferry');
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('To be continued'));
		await world.served(next);
		expect((await command('next').reply()).content).toContain('not out yet');

		// A broken edit (a mistyped heading): the bot logs where, and keeps the two chapters it had.
		const failed = bot.waitForLog((line) => line.event === 'storyReloadFailed' && line.file === file, 15_000, false);
		await writeFile(file, original + chapter3.replace('# Chapter: The Far Bank', '# Chaptre: The Far Bank'));
		expect((await failed).msg).toContain(`${file}:`);
		const stillWaiting = await command('next').reply();
		expect(stillWaiting.ephemeral).toBe(true);
		expect(stillWaiting.content).toContain('not out yet');

		// The author fixes it: the next /next posts chapter 3, without a restart.
		loaded = reloaded();
		await writeFile(file, original + chapter3);
		await loaded;
		const posted = await command('next').reply();
		expect(posted.ephemeral).toBe(false);
		expect(posted.content).toContain('Chapter 3 · _The Far Bank_');
		expect(bot.errors()).toEqual([]);
	});
});

describe('a chapter inserted before a reading\'s place while the bot runs', () => {
	it('leaves the newest part\'s Next button, and the "to be continued" button, working (they answered "an earlier scene")', async () => {
		const { fake, bot } = world;
		const prologue = await readFile(join(FIXTURES, 'additions', 'road.prologue.added'), 'utf8');
		const chapter3 = await readFile(join(FIXTURES, 'additions', 'lantern.chapter-3.added'), 'utf8');
		const save = async (name: string, text: string) => {
			const file = join(storyDir.path, name);
			const loaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
			await writeFile(file, text);
			await loaded;
		};
		const withPrologue = (text: string) => {
			const bodyStart = text.indexOf('\n---\n', 4) + '\n---\n\n'.length;
			return text.slice(0, bodyStart) + prologue + text.slice(bodyStart);
		};
		const road = await readFile(join(FIXTURES, 'complete', 'road.md'), 'utf8');
		const lantern = await readFile(join(FIXTURES, 'in-progress', 'lantern.md'), 'utf8');
		await save('road-insert.md', road);
		await save('lantern-insert.md', lantern);
		const ana = fake.user('ana');
		const buttonOf = (message: Posted) => nextButtonOf(message)!.custom_id!;

		// A complete story at chapter 1, whose Next button is the newest.
		const first = await world.newServer();
		const read = fake.runCommand({ ...first, user: ana, name: 'read', options: { story: 'road-insert' } });
		await read.reply();
		const gate = await fake.waitForMessage(first.channelId, (m) => m.content.includes('The Gate'));
		await world.served(read);
		// A story being written, at "to be continued" after its chapter 2.
		const second = await world.newServer();
		const start = fake.runCommand({ ...second, user: ana, name: 'read', options: { story: 'lantern-insert' } });
		await start.reply();
		await fake.waitForMessage(second.channelId, (m) => m.content.includes('The Gate'));
		await world.served(start);
		const next = fake.runCommand({ ...second, user: ana, name: 'next' });
		await next.reply();
		const card = await fake.waitForMessage(second.channelId, (m) => m.content.includes('To be continued'));
		await world.served(next);

		// The authors add a prologue before chapter 1 (and, to the one being written, chapter 3).
		await save('road-insert.md', withPrologue(road));
		await save('lantern-insert.md', withPrologue(lantern) + chapter3);

		const pressed = await fake.clickButton({ ...first, messageId: gate.id, customId: buttonOf(gate), user: ana }).reply();
		expect(pressed.ephemeral).toBe(false);
		expect(pressed.content).toContain('Chapter 3 of 4 · _The Ferry_');
		const continued = await fake.clickButton({ ...second, messageId: card.id, customId: buttonOf(card), user: ana }).reply();
		expect(continued.ephemeral).toBe(false);
		expect(continued.content).toContain('Chapter 4 · _The Far Bank_');
		// The new part's own button goes on from there.
		const then = await fake.clickButton({ ...first, messageId: pressed.id, customId: buttonOf(pressed), user: ana }).reply();
		expect(then.content).toContain('Chapter 4 of 4 · _The Far Bank_');
		expect(bot.errors()).toEqual([]);
	});
});
