import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStory } from '../../src/story/parse.js';
import { startWorld, type World } from './world.js';

// Stories in other scripts, read on the fake Discord by the real bot: Lu Xun's 孔乙己 (Chinese, three
// chapters, read in sittings timed by characters a minute) and Genesis 1 in Hebrew (right to left),
// from test/fixtures/languages.

let world: World;
beforeAll(async () => {
	world = await startWorld({ storyDir: resolve('test/fixtures/languages') });
});
afterAll(async () => {
	await world?.close();
});

type Posted = { content: string; embeds: Array<{ description?: string; fields?: Array<{ name: string; value: string }> }>; components: Array<{ components: Array<{ label?: string }> }> };
const nextLabel = (message: Posted): string | undefined => message.components[0]?.components[0]?.label;
const textOf = (messages: readonly Posted[]): string => messages.flatMap((message) => message.embeds.map((embed) => embed.description ?? '')).join('\n\n');
/** The story's paragraphs as in the file. */
function paragraphsOf(file: string): string[] {
	const result = parseStory(readFileSync(resolve('test/fixtures/languages', file)), file);
	if (!('story' in result)) throw new Error(`${file} does not parse`);
	return result.story.scenes.flatMap((scene) => scene.paragraphs);
}

describe('a Chinese story (孔乙己, Lu Xun, 1919)', () => {
	it('is read end to end: every character posted in order, sittings labelled with minutes at 255 characters a minute', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const ana = fake.user('ana');

		const read = fake.runCommand({ guildId, channelId, user: ana, name: 'read', options: { story: 'kong-yiji' } });
		const titleCard = (await read.reply()) as unknown as Posted;
		await world.served(read);
		const length = titleCard.embeds[0]!.fields!.find((field) => field.name === 'Length')!.value;
		// 2,188 characters read (punctuation not counted) at 255 a minute: about 9 minutes, not the "1 min" that counting spaces gave.
		expect(length).toBe('3 chapters · 4 sittings · about 9 min read');
		expect(titleCard.embeds[0]!.fields!.find((field) => field.name === 'Language')?.value).toBe('中文-普通话 國語');

		// /read posts the title card and the first sitting; each /next the next one.
		for (let part = 2; part <= 4; part++) {
			const next = fake.runCommand({ guildId, channelId, user: ana, name: 'next' });
			await next.reply();
			await world.served(next);
		}
		const posted = fake.messages(channelId, { ephemeral: false }) as unknown as Posted[];
		const storyMessages = posted.filter((message) => message.content.startsWith('**孔乙己** · Chapter'));
		const labels = storyMessages.map((message) => message.content);
		const nexts = storyMessages.map((message) => nextLabel(message));
		expect(labels).toEqual([
			'**孔乙己** · Chapter 1 of 3',
			'**孔乙己** · Chapter 2 of 3 · sitting 1 of 2',
			'**孔乙己** · Chapter 2 of 3 · sitting 2 of 2',
			'**孔乙己** · Chapter 3 of 3',
		]);
		// Each sitting's minutes are its characters at 255 a minute (427 → 2, 648 → 3), never 1 for a whole chapter.
		expect(nexts).toEqual([
			expect.stringMatching(/^Next: Chapter 2 of 3 · sitting 1 of 2 · [23] min$/u),
			expect.stringMatching(/^Next: Chapter 2 of 3 · sitting 2 of 2 · [23] min$/u),
			'Next: Chapter 3 of 3 · 3 min',
			'Read the ending',
		]);

		// Every paragraph whole and in order: no paragraph was cut, so the text is the file's text.
		expect(textOf(storyMessages)).toBe(paragraphsOf('kong-yiji.md').join('\n\n'));
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a Hebrew story (Genesis 1), right to left', () => {
	it('posts its text in order, unchanged, and isolates its title where the labels embed it', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const ana = fake.user('ana');

		const read = fake.runCommand({ guildId, channelId, user: ana, name: 'read', options: { story: 'bereshit' } });
		const titleCard = (await read.reply()) as unknown as Posted;
		await world.served(read);
		// The bot's "by" stays on the left of the isolated title and author, whatever their direction.
		expect(titleCard.content).toBe('**\u2068בראשית\u2069** by \u2068התורה\u2069');

		const scene1 = fake.messages(channelId, { ephemeral: false }).at(-1) as unknown as Posted;
		expect(scene1.content).toBe('**\u2068בראשית\u2069** · Scene 1 of 2 · _\u2068יום אחד\u2069_');
		const second = fake.runCommand({ guildId, channelId, user: ana, name: 'next' });
		const scene2 = (await second.reply()) as unknown as Posted;
		await world.served(second);
		expect(scene2.content).toBe('**\u2068בראשית\u2069** · Scene 2 of 2 · _\u2068יום שני\u2069_');

		// The text itself is the author's, in logical order, with no marks added.
		expect(textOf([scene1, scene2])).toBe(paragraphsOf('bereshit.md').join('\n\n'));
		expect(textOf([scene1, scene2])).not.toMatch(/[\u2066-\u2069\u202a-\u202e]/u);
		expect(world.bot.errors()).toEqual([]);
	});
});
