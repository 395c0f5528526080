import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

// A chaptered story read on the fake Discord: the bot gets its own story folder (STORY_DIR) holding
// "A Scandal in Bohemia" as written in the chaptered format (test/fixtures/real).

let world: World;
beforeAll(async () => {
	world = await startWorld({ storyDir: resolve('test/fixtures/real') });
});
afterAll(async () => {
	await world?.close();
});

const nextButtonOf = (message: { components: Array<{ components: Array<{ custom_id?: string; label?: string }> }> }) =>
	message.components[0]?.components[0];

describe('a chaptered story, one sitting per Next', () => {
	it('posts sittings with their chapter, links a sitting\'s later message to its first, and says what comes next', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const ana = fake.user('ana');

		const read = fake.runCommand({ guildId, channelId, user: ana, name: 'read' });
		const titleCard = await read.reply();
		expect(JSON.stringify(titleCard.embeds)).toContain('A Scandal in Bohemia');
		expect(JSON.stringify(titleCard.embeds)).toMatch(/3 chapters · 5 sittings · about \d+ min read/);

		// Chapter I's first sitting takes two messages: the second links back to the first.
		const second = await fake.waitForMessage(channelId, (m) => m.content.includes('sitting 1 of 2 · message 2 of 2'));
		await world.served(read);
		const first = fake.messages(channelId).find((m) => m.content.includes('sitting 1 of 2 · message 1 of 2'))!;
		expect(first.content).toBe('**A Scandal in Bohemia** · Chapter 1 of 3 · _I_ · sitting 1 of 2 · message 1 of 2');
		expect(first.embeds[0]?.description).toMatch(/^To Sherlock Holmes she is always \*the\* woman\./);
		expect(nextButtonOf(first)).toBeUndefined();
		expect(second.content).toContain(`[↑ back to the start](<https://discord.com/channels/${guildId}/${channelId}/${first.id}>)`);
		const button = nextButtonOf(second);
		expect(button?.label).toMatch(/^Next: Chapter 1 of 3 · sitting 2 of 2 · \d+ min$/);

		const click = fake.clickButton({ guildId, channelId, messageId: second.id, customId: button!.custom_id!, user: ana });
		const sitting2 = await click.reply();
		await world.served(click);
		expect(sitting2.content).toContain('Chapter 1 of 3 · _I_ · sitting 2 of 2');

		const expected = ['Chapter 2 of 3 · _II_ · sitting 1 of 2', 'Chapter 2 of 3 · _II_ · sitting 2 of 2', 'Chapter 3 of 3 · _III_'];
		for (const label of expected) {
			// A sitting of several messages is served once its last message is posted.
			const next = fake.runCommand({ guildId, channelId, user: ana, name: 'next' });
			const posted = await next.reply();
			await world.served(next);
			expect(posted.ephemeral).toBe(false);
			expect(posted.content).toContain(label);
		}
		const last = fake.messages(channelId, { ephemeral: false }).at(-1)!;
		const lastText = last.embeds.map((embed) => embed.description).join('\n\n');
		expect(lastText).toMatch(/\n> “Irene Norton, \*née\* Adler\.”/); // the letter, as a block quote
		expect(lastText).toMatch(/⁂\n\nAnd that was how a great scandal/); // the scene break
		expect(nextButtonOf(last)?.label).toBe('Read the ending');

		const ending = await fake.runCommand({ guildId, channelId, user: ana, name: 'next' }).reply();
		expect(JSON.stringify(ending.embeds)).toContain('The end of A Scandal in Bohemia');
		const over = await fake.runCommand({ guildId, channelId, user: ana, name: 'next' }).reply();
		expect(over.ephemeral).toBe(true);
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a story of one chapter (a one-shot import)', () => {
	it('labels its sittings without "Chapter 1 of 1": the title card, every part, the Next button and /progress', async () => {
		const dir = await tempDir('sfb-one-chapter-');
		const paragraph = Array.from({ length: 100 }, () => 'word').join(' ');
		const text = ['---', 'title: One Shot', 'author: A', 'chapters: 1/1', 'sitting-minutes: 1', '---', '# Chapter: Only', '', ...Array.from({ length: 6 }, () => [paragraph, '']).flat()].join('\n');
		await writeFile(join(dir.path, 'one-shot.md'), text);
		const shelf = await startWorld({ storyDir: dir.path, env: { STORY_WATCH: 'off' } });
		try {
			const { fake } = shelf;
			const { guildId, channelId } = await shelf.newServer();
			const ana = fake.user('ana');
			const read = fake.runCommand({ guildId, channelId, user: ana, name: 'read' });
			const titleCard = await read.reply();
			expect(JSON.stringify(titleCard.embeds)).toContain('"3 sittings · about 3 min read"');
			await shelf.served(read);
			const first = fake.messages(channelId, { ephemeral: false }).at(-1)!;
			expect(first.content).toBe('**One Shot** · _Only_ · sitting 1 of 3');
			expect(nextButtonOf(first)?.label).toMatch(/^Next: sitting 2 of 3 · \d+ min$/);
			const next = fake.runCommand({ guildId, channelId, user: ana, name: 'next' });
			expect((await next.reply()).content).toBe('**One Shot** · _Only_ · sitting 2 of 3');
			await shelf.served(next);
			const progress = await fake.runCommand({ guildId, channelId, user: ana, name: 'progress' }).reply();
			expect(progress.content).toContain('**One Shot** is at sitting 2 of 3 in ');
			expect(JSON.stringify(fake.messages(channelId))).not.toMatch(/Chapter 1/u);
			expect(shelf.bot.errors()).toEqual([]);
		} finally {
			await shelf.close();
			await dir.remove();
		}
	});
});
