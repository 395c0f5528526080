import { describe, expect, it } from 'vitest';
import { formatStoryError, parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';

const FILE = 'story/x.md';
const lines = (...text: string[]): string => `${text.join('\n')}\n`;

function storyOf(text: string): Story {
	const result = parseStory(text, FILE);
	if ('errors' in result) throw new Error(result.errors.map(formatStoryError).join('\n'));
	return result.story;
}
function errorsOf(text: string): string[] {
	const result = parseStory(text, FILE);
	if ('story' in result) throw new Error('expected errors, got a story');
	return result.errors.map(formatStoryError);
}
function warningsOf(text: string): string[] {
	return parseStory(text, FILE).warnings.map(formatStoryError);
}

describe('YAML front matter', () => {
	it('reads AO3\'s fields, lists and multi-line values, and drops the quotes around "Foo: Bar"', () => {
		const story = storyOf(
			lines(
				'---',
				'title: "The Red Circle: A Study"',
				'author: A. Writer',
				'summary: >',
				'  Two detectives,',
				'  one city.',
				'notes: |',
				'  First paragraph.',
				'',
				'  Second paragraph, signed.',
				'rating: Teen And Up Audiences',
				'warnings: No Archive Warnings Apply',
				'fandoms: [Sherlock Holmes - Arthur Conan Doyle]',
				'relationships:',
				'  - Sherlock Holmes & John Watson',
				'characters: Sherlock Holmes, John Watson, Irene Adler',
				'tags:',
				'  - Case Fic',
				'  - Victorian',
				'language: English',
				'series: Baker Street Nights',
				'chapters: 1/3',
				'end-notes: Thanks for reading!',
				'sitting-minutes: 15',
				'content-notes:',
				'  - Violence',
				'  - Grief',
				'---',
				'# Chapter',
				'Text.',
			),
		);
		expect(story.meta).toMatchObject({
			title: 'The Red Circle: A Study',
			summary: 'Two detectives, one city.',
			notes: 'First paragraph.\n\nSecond paragraph, signed.',
			rating: 'Teen And Up Audiences',
			warnings: ['No Archive Warnings Apply'],
			fandoms: ['Sherlock Holmes - Arthur Conan Doyle'],
			relationships: ['Sherlock Holmes & John Watson'],
			characters: ['Sherlock Holmes', 'John Watson', 'Irene Adler'],
			tags: ['Case Fic', 'Victorian'],
			language: 'English',
			series: 'Baker Street Nights',
			plannedChapters: 3,
			endNotes: 'Thanks for reading!',
			sittingMinutes: 15,
			contentNotes: ['Violence', 'Grief'],
		});
	});

	it('points at the line, with a hint, when a plain value holds ": " or "#", and keeps checking the rest', () => {
		expect(errorsOf(lines('---', 'title: T', 'author: A', 'summary: Part one: the start', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:4: a value containing ": " must be in quotes: summary: "Part one: the start" (YAML: Nested mappings are not allowed in compact mappings)`,
		]);
		expect(errorsOf(lines('---', 'title: Foo: Bar', 'author: A', 'notes: see #3', 'colour: red', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:2: a value containing ": " must be in quotes: title: "Foo: Bar" (YAML: Nested mappings are not allowed in compact mappings)`,
			`${FILE}:4: "#" after a space starts a YAML comment, so "notes" would lose "#3": put the whole value in quotes`,
			`${FILE}:5: unknown metadata key "colour" (known keys: id, title, author, summary, notes, end-notes, challenge, disclaimer, content-notes, feedback, source, feedback-emoji, rating, warnings, fandoms, relationships, characters, tags, language, series, status, chapters, sitting-minutes)`,
		]);
	});

	it('blames the line that opened an unclosed list or quote, once, not the lines YAML read after it', () => {
		expect(errorsOf(lines('---', 'title: [unclosed', 'author: A', 'notes: N', 'source: S', '---', '# Scene', 'Text.')).filter((e) => e.includes('YAML'))).toEqual([
			expect.stringMatching(new RegExp(`^${FILE}:2: `)),
		]);
		expect(errorsOf(lines('---', 'title: "unclosed', 'author: A', '---', '# Scene', 'Text.')).filter((e) => e.includes('YAML') || e.includes('quote'))).toEqual([
			expect.stringMatching(new RegExp(`^${FILE}:2: `)),
		]);
	});

	it('says a quote that is never closed is never closed, at the line it opens, whatever YAML trips on later', () => {
		expect(errorsOf(lines('---', 'title: "Foo: Bar', 'author: A', 'notes: N', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:2: this quote is never closed: the value of "title" starts with " but does not end with one (close it at the end of the line: title: "Foo: Bar")`,
		]);
		expect(errorsOf(lines('---', 'title: T', "author: 'Anne", 'summary: "It\'s fine"', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:3: this quote is never closed: the value of "author" starts with ' but does not end with one (close it at the end of the line: author: 'Anne')`,
		]);
		expect(errorsOf(lines('---', 'title: "Foo', 'author: "A"', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:2: this quote is never closed: the value of "title" starts with " but does not end with one (close it at the end of the line: title: "Foo")`,
		]);
		// A closed quote holding an escaped or doubled quote is not mistaken for an open one.
		expect(storyOf(lines('---', 'title: "Say \\"hi\\""', "author: 'O''Brien'", '---', '# Scene', 'Text.')).meta).toMatchObject({ title: 'Say "hi"', author: "O'Brien" });
	});

	it('enforces every documented limit and value', () => {
		expect(
			errorsOf(lines('---', 'title: T', 'author: A', `notes: ${'n'.repeat(1501)}`, 'rating: R', 'status: nearly', 'chapters: three', 'sitting-minutes: 90', `tags: [${'t'.repeat(101)}]`, '---', '# Scene', 'Text.')),
		).toEqual([
			`${FILE}:4: notes is 1501 characters long (at most 1500)`,
			`${FILE}:5: unknown rating "R" (one of AO3's: General Audiences, Teen And Up Audiences, Mature, Explicit, Not Rated)`,
			`${FILE}:6: unknown status "nearly" (complete or in-progress)`,
			`${FILE}:7: chapters must read like AO3's "3/12" or "3/?" (posted/planned), not "three"`,
			`${FILE}:8: sitting-minutes must be a whole number of minutes from 1 to 60, not "90"`,
			`${FILE}:9: tags: "tttttttttttttttttttttttttttttt…" is 101 characters long (at most 100 per item)`,
		]);
	});

	it('keeps today\'s one-line front matter working unchanged', () => {
		const story = storyOf(lines('---', 'title: After The End', 'author: Serenade', "disclaimer: Clark and Lex do not belong to me, alas. I'm only borrowing them.", 'content-notes: Graphic violence; a dissection scene (scene 1)', 'feedback-emoji: ❤️ 😮', '---', '# Scene', 'Text.'));
		expect(story.meta.disclaimer).toBe("Clark and Lex do not belong to me, alas. I'm only borrowing them.");
		expect(story.meta.contentNotes).toEqual(['Graphic violence', 'a dissection scene (scene 1)']);
	});
});

describe('chapters, parts and scene breaks', () => {
	const FRONT = ['---', 'title: T', 'author: A', '---'];

	it('reads parts, chapters with their notes, and every manuscript scene break', () => {
		const story = storyOf(
			lines(...FRONT, '# Part: One', '', '# Chapter: The Red Circle', '---', 'notes: Beta thanks.', 'end-notes: |', '  More soon.', '---', 'A.', '', '* * *', 'B.', '***', 'C.', '#', 'D.', '⁂', 'E.', '# Chapter', 'F.', '# Afterword', 'Bye.'),
		);
		expect(story.chapters?.map((chapter) => [chapter.number, chapter.title, chapter.part, chapter.notes, chapter.endNotes, chapter.scenes.map((scene) => scene.paragraphs)])).toEqual([
			[1, 'The Red Circle', { number: 1, title: 'One' }, 'Beta thanks.', 'More soon.', [['A.'], ['B.'], ['C.'], ['D.'], ['E.']]],
			[2, undefined, { number: 1, title: 'One' }, undefined, undefined, [['F.']]],
		]);
		expect(story.scenes.map((scene) => scene.number)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(story.afterword).toEqual(['Bye.']);
	});

	it('keeps code fences whole: # lines and blank lines inside are text', () => {
		const story = storyOf(lines(...FRONT, '# Chapter', '```', '# not a heading', '', '* * *', '```'));
		expect(story.scenes[0]?.paragraphs).toEqual(['```\n# not a heading\n\n* * *\n```']);
		expect(errorsOf(lines(...FRONT, '# Chapter', '```', 'never closed'))).toEqual([`${FILE}:6: code fence opened here is never closed (close it with a line of \`\`\`)`]);
	});

	it('refuses mixing scenes and chapters, empty chapters and parts, and stray scene breaks', () => {
		expect(errorsOf(lines(...FRONT, '# Scene', 'A.', '# Chapter', 'B.'))).toEqual([
			`${FILE}:7: a story is either "# Scene" blocks or "# Chapter" blocks, not both (the first "# Scene" is on line 5; split a chapter into scenes with a scene break such as "* * *")`,
		]);
		expect(errorsOf(lines(...FRONT, '# Part', '# Chapter', '* * *', 'A.', '* * *', '# Part: Empty'))).toEqual([
			`${FILE}:7: scene break with no text before it (a break goes between two scenes of a chapter)`,
			`${FILE}:9: scene break at the end of a chapter (remove it, or add the scene after it)`,
			`${FILE}:10: empty part (a "# Part" holds chapters: start one with "# Chapter")`,
		]);
	});

	it('warns about #Scene without a space, HTML tags and ❤ without U+FE0F (which it adds), without refusing the story', () => {
		const text = lines(...FRONT, '# Scene', 'She said <i>no</i>.', '#Scene: The starling', 'I ❤ you.');
		expect(warningsOf(text)).toEqual([
			`${FILE}:6: HTML tag "<i>" is shown as typed (Discord does not read HTML: use *italics* and **bold**)`,
			`${FILE}:7: "#Scene: The starling" is read as text: write "# Scene" with a space to start a scene`,
			`${FILE}:8: ❤ without U+FE0F shows as a small black heart on some devices: read as ❤️`,
		]);
		expect(storyOf(text).scenes[0]?.paragraphs).toEqual(['She said <i>no</i>.\n#Scene: The starling\nI ❤\uFE0F you.']);
	});
});

describe('story/README.md', () => {
	it('has a chaptered example that parses as it describes', async () => {
		const { readFileSync } = await import('node:fs');
		const readme = readFileSync(new URL('../story/README.md', import.meta.url), 'utf8');
		const example = /## A chaptered story[^]*?```text\n([^]*?)```/u.exec(readme)?.[1];
		expect(example).toBeDefined();
		const story = storyOf(example ?? '');
		expect(story.meta).toMatchObject({ title: 'The Red Circle: A Study', status: 'in-progress', tags: ['Case Fic', 'Victorian London'], notes: 'Thank you to my beta reader.\n\nUpdates on Sundays.' });
		expect(story.chapters?.map((chapter) => [chapter.title, chapter.part?.title, chapter.scenes.length, chapter.notes])).toEqual([
			['The Lodger', 'London', 2, "The chapter's own notes, shown before its text."],
			['The Red Circle', 'London', 1, undefined],
		]);
		expect(story.chapters?.[0]?.scenes[0]?.paragraphs[1]).toBe('> Dear Mr. Holmes,\n> I write in haste.');
	});
});

describe('front matter written before YAML', () => {
	it('reads values starting with @, `, %, * or & as the text they are', () => {
		const story = storyOf(lines('---', 'title: @everyone Reads This', 'author: <@123456789012345678>', 'notes: *Important*: read the tags', 'challenge: `code` & more', 'disclaimer: &c.', '---', '# Scene', 'Text.'));
		expect(story.meta).toMatchObject({ title: '@everyone Reads This', author: '<@123456789012345678>', notes: '*Important*: read the tags', challenge: '`code` & more', disclaimer: '&c.' });
	});
});

describe('AO3\'s "chapters: posted/planned" against the file', () => {
	const chapters = (count: number): string[] => Array.from({ length: count }, (_, index) => [`# Chapter: C${index + 1}`, 'Text.']).flat();
	const file = (front: string[], count: number): string => lines('---', 'title: T', 'author: A', ...front, '---', ...chapters(count));

	it('warns at the chapters: line when the posted count is not the file\'s, with the value to write', () => {
		expect(warningsOf(file(['chapters: 2/?'], 3))).toEqual([
			`${FILE}:4: chapters "2/?" says 2 chapters are posted but the file has 3: the bot posts the file's chapters, so write "chapters: 3/?"`,
		]);
		expect(warningsOf(file(['status: in-progress', 'chapters: 4/12'], 3))).toEqual([
			`${FILE}:5: chapters "4/12" says 4 chapters are posted but the file has 3: the bot posts the file's chapters, so write "chapters: 3/12"`,
		]);
		expect(warningsOf(file(['chapters: 2/2'], 3))).toEqual([
			`${FILE}:4: chapters "2/2" plans 2 chapters but the file has 3: write "chapters: 3/3" if the story is complete, or "chapters: 3/?"`,
		]);
	});

	it('takes "3/12" without a status as in progress, as AO3 means it, and is quiet when the file agrees', () => {
		const text = file(['chapters: 3/12'], 3);
		expect(warningsOf(text)).toEqual([]);
		expect(storyOf(text).meta).toMatchObject({ status: 'in-progress', plannedChapters: 12 });
		expect(storyOf(file(['chapters: 3/3'], 3)).meta.status).toBeUndefined();
		expect(warningsOf(file(['chapters: 3/3'], 3))).toEqual([]);
	});

	it('refuses a complete story with fewer chapters than planned, at the chapters: line', () => {
		expect(errorsOf(file(['status: complete', 'chapters: 3/12'], 3))).toEqual([
			`${FILE}:5: chapters "3/12" says 3 of 12 chapters are out, but status says complete: write "status: in-progress", or "chapters: 3/3" if the story ends here`,
		]);
		expect(errorsOf(file(['chapters: 12/12'], 3))).toEqual([
			`${FILE}:4: chapters "12/12" says the story is complete with 12 chapters, but the file has 3: add the missing chapters, or write "chapters: 3/12" (in progress) or "chapters: 3/3" (complete)`,
		]);
	});
});
