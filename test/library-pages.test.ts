import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import { chooserPayload, LIBRARY_PAGE_SIZE, libraryEntry, libraryPage } from '../src/discord/library.js';
import { readingMessagesIn } from '../src/messages/index.js';
import { embedCharacters } from '../src/render/index.js';
import { parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';

/** A fixture story under test/fixtures/languages, parsed. */
function fixture(name: string): Story {
	const file = `test/fixtures/languages/${name}`;
	const result = parseStory(readFileSync(new URL(`./fixtures/languages/${name}`, import.meta.url)), file);
	if (!('story' in result)) throw new Error(`${file} does not parse: ${JSON.stringify(result.errors)}`);
	return result.story;
}

/** `count` one-scene stories with titles and authors at their longest (200 and 100 characters). */
function stories(count: number): Story[] {
	return Array.from({ length: count }, (_, index) => ({
		id: `story-${String(index).padStart(2, '0')}`,
		file: `x/story-${String(index).padStart(2, '0')}.md`,
		meta: { title: `${'T'.repeat(190)} ${index}`.slice(0, 200), author: 'A'.repeat(100), contentNotes: [], feedbackEmoji: ['❤️'] },
		scenes: [{ number: 1, paragraphs: ['Words.'], line: 5 }],
		afterword: [],
	}));
}

type Json = { components?: Json[]; type?: number; custom_id?: string; label?: string; disabled?: boolean; options?: Json[] };
const json = (payload: { components?: readonly unknown[] | undefined }) => (payload.components ?? []).map((row) => (row as { toJSON(): Json }).toJSON());

describe('/read asking which story', () => {
	it('offers every story in one menu up to 25, within Discord\'s lengths', () => {
		const rows = json(chooserPayload(stories(25), 'en'));
		expect(rows).toHaveLength(1);
		const menu = rows[0]!.components![0]!;
		expect(menu.type).toBe(3);
		expect(menu.options).toHaveLength(25);
		for (const option of menu.options as Array<{ label: string; description: string; value: string }>) {
			expect(option.label.length).toBeLessThanOrEqual(100);
			expect(option.description.length).toBeLessThanOrEqual(100);
		}
	});

	it('says to type `story:` instead beyond 25 stories', () => {
		const payload = chooserPayload(stories(26), 'fr');
		expect(payload.components).toBeUndefined();
		expect(payload.content).toBe('Il y a 26 histoires : tapez `/read story:` et choisissez-en une dans la liste (un mot de son titre ou de son auteur la trouve).');
	});
});

describe('/library pages', () => {
	it('holds ten stories a page within an embed\'s limits, with a start button each and page buttons', () => {
		const library = new StoryLibrary(stories(23));
		const pages = [0, 1, 2].map((page) => libraryPage({ stories: library }, page, 'en'));
		for (const [index, page] of pages.entries()) {
			const embed = page.embeds![0] as Parameters<typeof embedCharacters>[0];
			expect(embedCharacters(embed)).toBeLessThanOrEqual(6_000);
			expect((embed as { footer?: { text: string } }).footer?.text).toBe(`Page ${index + 1} of 3`);
			const rows = json(page);
			expect(rows.length).toBeLessThanOrEqual(5);
			const [previous, next] = rows.at(-1)!.components!;
			expect([previous!.disabled, next!.disabled]).toEqual([index === 0, index === 2]);
			for (const row of rows) expect(row.components!.length).toBeLessThanOrEqual(5);
		}
		expect((pages[0]!.embeds![0] as { fields: unknown[] }).fields).toHaveLength(LIBRARY_PAGE_SIZE);
		expect((pages[2]!.embeds![0] as { fields: unknown[] }).fields).toHaveLength(3);
		expect(json(pages[2]!).flatMap((row) => row.components!).map((button) => button.custom_id)).toEqual([
			'library:read:story-20',
			'library:read:story-21',
			'library:read:story-22',
			'library:page:1',
			'library:page:3',
		]);
		// A page past the end (the library shrank since the buttons were drawn) shows the last.
		expect(json(libraryPage({ stories: library }, 9, 'en'))).toEqual(json(pages[2]!));
	});
});

describe('/library entries in the story\'s language', () => {
	it('counts a Chinese story in characters, as story:check does, in every reader language', () => {
		const story = fixture('kong-yiji.md');
		expect(libraryEntry(story, 'en').value).toContain('by 鲁迅 · 3 chapters · 2,188 characters · about 9 min read');
		expect(libraryEntry(story, 'fr').value).toMatch(/2\u202f188 caractères/);
		expect(libraryEntry(story, 'es').value).toMatch(/2188 caracteres|2\.188 caracteres/);
		for (const language of ['en', 'fr', 'es']) expect(libraryEntry(story, language).value).not.toMatch(/words|mots|palabras/);
	});
});

describe('right-to-left titles and authors in the library', () => {
	const FSI = '\u2068';
	const PDI = '\u2069';
	it('isolates them with FSI … PDI in /library, the /read menu and the start buttons, as the title card does', () => {
		const story = fixture('bereshit.md');
		const entry = libraryEntry(story, 'fr');
		expect(entry.name).toBe(`${FSI}בראשית${PDI}`);
		expect(entry.value).toMatch(new RegExp(`^de ${FSI}התורה${PDI} · 2 scènes · `));
		const page = libraryPage({ stories: new StoryLibrary([story]) }, 0, 'fr');
		expect(json(page)[0]!.components![0]!.label).toBe(`Lire ${FSI}בראשית${PDI}`);
		const option = (json(chooserPayload([story], 'en'))[0]!.components![0]!.options as Array<{ label: string; description: string }>)[0]!;
		expect([option.label, option.description]).toEqual([`${FSI}בראשית${PDI}`, `by ${FSI}התורה${PDI}`]);
	});

	it('isolates title and author in /read\'s autocomplete choices, each whole within Discord\'s 100 characters', () => {
		const story = fixture('bereshit.md');
		expect(readingMessagesIn('en').storyByAuthor(story.meta.title, story.meta.author)).toBe(`${FSI}בראשית${PDI} by ${FSI}התורה${PDI}`);
		expect(readingMessagesIn('fr').storyByAuthor(story.meta.title, story.meta.author)).toBe(`${FSI}בראשית${PDI}, de ${FSI}התורה${PDI}`);
		// At the front matter's limits (200 and 100 characters) the whole sentence would be 300: both are cut, neither loses its PDI.
		const longTitle = 'בראשית ברא אלהים '.repeat(12).slice(0, 200).trim();
		const longAuthor = 'התורה שבכתב '.repeat(9).slice(0, 100).trim();
		for (const language of ['en', 'fr', 'es']) {
			const name = readingMessagesIn(language).storyByAuthor(longTitle, longAuthor, 100);
			expect(name.length).toBeLessThanOrEqual(100);
			expect(name.match(/\u2068[^\u2068\u2069]+\u2069…?/gu)).toHaveLength(2);
			expect(name).toMatch(new RegExp(`^${FSI}בראשית [^]*${PDI}… ?[^\u2068]*${FSI}התורה [^]*${PDI}…$`, 'u'));
		}
		// A short author is kept whole beside a long title.
		expect(readingMessagesIn('en').storyByAuthor(longTitle, story.meta.author, 100)).toMatch(new RegExp(`${PDI}… by ${FSI}התורה${PDI}$`, 'u'));
	});

	it('keeps the isolate whole when a long right-to-left title is cut to a button\'s 80 characters', () => {
		const story = { ...fixture('bereshit.md') };
		story.meta = { ...story.meta, title: 'בראשית '.repeat(20).trim() };
		const label = json(libraryPage({ stories: new StoryLibrary([story]) }, 0, 'en'))[0]!.components![0]!.label!;
		expect(label.length).toBeLessThanOrEqual(80);
		expect(label).toMatch(new RegExp(`^Read ${FSI}בראשית[^]*${PDI}…$`));
	});
});
