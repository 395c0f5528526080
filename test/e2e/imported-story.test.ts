import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/story/import/run.js';
import { parseStory } from '../../src/story/parse.js';
import type { Story } from '../../src/story/types.js';
import { tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

/** Words as a reader sees them: quote markers, emphasis and backslash escapes removed, whitespace normalised. */
function words(markdown: string): string {
	return markdown
		.split('\n')
		.map((line) => line.replace(/^(?:>[ \t]?)+/u, ''))
		.join(' ')
		.replace(/\\([\\`*_{}[\]()#+\-.!|<>~⁂=])/gu, (_match, char: string) => `\u0001${char.codePointAt(0)}\u0001`)
		.replace(/\*\*|\*|__|~~/gu, '')
		.replace(/\u0001(\d+)\u0001/gu, (_match, code: string) => String.fromCodePoint(Number(code)))
		.replace(/\s+/gu, ' ')
		.trim();
}

let world: World;
let storyDir: { path: string; remove(): Promise<void> };
let story: Story;

beforeAll(async () => {
	storyDir = await tempDir();
	const sink = { write: () => true };
	const code = await runImport([resolve('test/fixtures/import/the-adventures-of-sherlock-holmes.epub'), '--split', '--out', `${storyDir.path}/`], sink, sink);
	expect(code).toBe(0);
	const file = join(storyDir.path, 'a-scandal-in-bohemia.md');
	const parsed = parseStory(await readFile(file), file);
	if ('errors' in parsed) throw new Error(parsed.errors.map((error) => error.message).join('\n'));
	story = parsed.story;
	world = await startWorld({ storyDir: storyDir.path });
});

afterAll(async () => {
	await world?.close();
	await storyDir?.remove();
});

describe('a story imported by story:import, read on Discord', () => {
	it('"A Scandal in Bohemia" from the Standard Ebooks EPUB reads from /read to the end, every paragraph in order', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const reader = fake.user('host');
		await fake.runCommand({ guildId, channelId, user: reader, name: 'read', options: { story: 'a-scandal-in-bohemia' } }).reply();
		let over = false;
		for (let presses = 0; presses < 60 && !over; presses++) {
			const reply = await fake.runCommand({ guildId, channelId, user: reader, name: 'next' }).reply();
			over = reply.ephemeral === true && /is over/u.test(reply.content);
		}
		expect(over).toBe(true);
		const posted = words(
			fake
				.messages(channelId)
				.filter((message) => !message.ephemeral)
				.flatMap((message) => message.embeds.map((embed) => embed.description ?? ''))
				.join('\n'),
		);
		let at = 0;
		const paragraphs = story.scenes.flatMap((scene) => scene.paragraphs);
		expect(paragraphs.length).toBeGreaterThan(250);
		for (const paragraph of paragraphs) {
			const found = posted.indexOf(words(paragraph), at);
			expect(found, paragraph.slice(0, 80)).toBeGreaterThanOrEqual(at);
			at = found + words(paragraph).length;
		}
		expect(world.bot.errors()).toEqual([]);
	});
});
