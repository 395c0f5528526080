import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStoryError, parseStory, type ParseStoryResult } from '../src/story/parse.js';
import { countWords, estimateReadingMinutes, sceneText } from '../src/story/text.js';
import { DEFAULT_FEEDBACK_EMOJI, type Story } from '../src/story/types.js';

const FILE = 'story/x.md';
const SCENE_HELP = 'start each scene with "# Scene" or "# Scene: <title>"';

/** Lines joined with `\n`, so a test reads with the line numbers its errors point at. */
function lines(...text: string[]): string {
	return `${text.join('\n')}\n`;
}

function storyOf(result: ParseStoryResult): Story {
	if ('errors' in result) throw new Error(`expected a story, got:\n${result.errors.map(formatStoryError).join('\n')}`);
	return result.story;
}

function errorsOf(text: string | Uint8Array, file = FILE): string[] {
	const result = parseStory(text, file);
	if ('story' in result) throw new Error('expected errors, got a story');
	return result.errors.map(formatStoryError);
}

const MINIMAL_FRONT_MATTER = ['---', 'title: T', 'author: A', '---', ''];

describe('parseStory: a well-formed story', () => {
	it('reads metadata, scenes, paragraphs and the afterword', () => {
		const story = storyOf(
			parseStory(
				lines(
					'---',
					'title: After The End',
					'author: Serenade',
					'',
					'notes: Written for a challenge.',
					'challenge: Clark/Lex.',
					"disclaimer: Not mine, I'm only borrowing them.",
					'content-notes: Graphic violence;  a dissection scene (scene 1) ;',
					'feedback: Serenade',
					'source: Level Three Records Room',
					'feedback-emoji: ❤️ 😮 👍🏽',
					'---',
					'',
					'# Scene: The facility',
					'First paragraph, *italics* and \\# kept as written.',
					'',
					'',
					'Second paragraph',
					'  on two lines.',
					'<!-- An author note: not part of the story. -->',
					'Third paragraph.',
					'# Scene',
					'',
					'Only paragraph of scene two.',
					'',
					'# Afterword',
					'',
					'Send feedback.',
				),
				'story/after-the-end.md',
			),
		);
		expect(story).toEqual({
			id: 'after-the-end',
			file: 'story/after-the-end.md',
			meta: {
				title: 'After The End',
				author: 'Serenade',
				notes: 'Written for a challenge.',
				challenge: 'Clark/Lex.',
				disclaimer: "Not mine, I'm only borrowing them.",
				contentNotes: ['Graphic violence', 'a dissection scene (scene 1)'],
				feedback: 'Serenade',
				source: 'Level Three Records Room',
				feedbackEmoji: ['❤️', '😮', '👍🏽'],
			},
			scenes: [
				{
					number: 1,
					title: 'The facility',
					line: 14,
					paragraphs: ['First paragraph, *italics* and \\# kept as written.', 'Second paragraph\n  on two lines.', 'Third paragraph.'],
				},
				{ number: 2, line: 22, paragraphs: ['Only paragraph of scene two.'] },
			],
			afterword: ['Send feedback.'],
		});
		expect(story.scenes[1]).not.toHaveProperty('title');
	});

	it('uses the id given in the metadata, and the default feedback emoji when none are given', () => {
		const story = storyOf(parseStory(lines('---', 'id: my-story-2', 'title: T', 'author: A', '---', '# Scene', 'Text.'), 'story/Whatever Name.md'));
		expect(story.id).toBe('my-story-2');
		expect(story.meta.feedbackEmoji).toEqual(DEFAULT_FEEDBACK_EMOJI);
		expect(story.meta.contentNotes).toEqual([]);
		expect(story.afterword).toEqual([]);
	});

	it('accepts CRLF line endings, a BOM and trailing spaces, and gives the same story', () => {
		const plain = lines(...MINIMAL_FRONT_MATTER, '# Scene: One', '', 'A line', 'and another.', '', '# Afterword', 'Bye.');
		const windows = `\uFEFF${plain.replaceAll('\n', ' \t\r\n')}`;
		const expected = storyOf(parseStory(plain, FILE));
		expect(storyOf(parseStory(windows, FILE))).toEqual(expected);
		expect(storyOf(parseStory(new TextEncoder().encode(windows), FILE))).toEqual(expected);
		expect(expected.scenes[0]?.paragraphs).toEqual(['A line\nand another.']);
	});

	it('accepts a file without a final newline, and valid multi-byte UTF-8', () => {
		const text = lines(...MINIMAL_FRONT_MATTER, '# Scene: Café', 'Naïve 日本語 🏳️‍🌈 text.').trimEnd();
		const story = storyOf(parseStory(new TextEncoder().encode(text), FILE));
		expect(story.scenes[0]).toMatchObject({ title: 'Café', paragraphs: ['Naïve 日本語 🏳️‍🌈 text.'] });
	});

	it('gives back any story it is given, paragraph for paragraph (property)', () => {
		const wordChar = fc.constantFrom(...'abcxyzABC019 .,;:!?*_"\'()-–—é日🔥#<>'.split(''));
		// A paragraph line: not blank, no trailing space, not a heading or a comment.
		const line = fc
			.array(wordChar, { minLength: 1, maxLength: 30 })
			.map((chars) => chars.join('').trimEnd())
			.filter((text) => text.trim() !== '' && !/^#+(\s|$)/u.test(text) && !text.trimStart().startsWith('<!--'));
		const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((paragraphLines) => paragraphLines.join('\n'));
		const scene = fc.record({
			title: fc.option(fc.constantFrom('The facility', 'Dawn', 'À la fin'), { nil: undefined }),
			paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 4 }),
		});
		const storyShape = fc.record({
			scenes: fc.array(scene, { minLength: 1, maxLength: 4 }),
			afterword: fc.array(paragraph, { maxLength: 2 }),
			blankLines: fc.integer({ min: 1, max: 3 }),
			crlf: fc.boolean(),
		});
		fc.assert(
			fc.property(storyShape, ({ scenes, afterword, blankLines, crlf }) => {
				const gap = '\n'.repeat(blankLines + 1);
				let text = '---\ntitle: T\nauthor: A\n---\n';
				for (const { title, paragraphs } of scenes) {
					text += `${title === undefined ? '# Scene' : `# Scene: ${title}`}${gap}${paragraphs.join(gap)}${gap}`;
				}
				if (afterword.length > 0) text += `# Afterword${gap}${afterword.join(gap)}\n`;
				if (crlf) text = text.replaceAll('\n', '\r\n');
				const story = storyOf(parseStory(text, FILE));
				expect(story.scenes.map((parsed) => ({ title: parsed.title, paragraphs: parsed.paragraphs }))).toEqual(scenes);
				expect(story.scenes.map((parsed) => parsed.number)).toEqual(scenes.map((_, index) => index + 1));
				expect(story.afterword).toEqual(afterword);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('story/README.md', () => {
	it('has a complete example that parses as it describes', () => {
		const readme = readFileSync(new URL('../story/README.md', import.meta.url), 'utf8');
		const example = /```markdown\n([^]*?)```/u.exec(readme)?.[1];
		expect(example).toBeDefined();
		const story = storyOf(parseStory(example ?? '', 'story/the-lighthouse.md'));
		expect(story.meta.contentNotes).toEqual(['Drowning', 'grief']);
		expect(story.scenes.map((scene) => [scene.title, scene.paragraphs.length])).toEqual([
			['The storm', 2],
			['Morning', 1],
		]);
		expect(story.afterword).toHaveLength(1);
	});
});

describe('parseStory: malformed files give file:line: reason', () => {
	it('missing front matter', () => {
		expect(errorsOf(lines('# Scene', '', 'Text.'))).toEqual([
			`${FILE}:1: missing front matter: the first line must be "---", followed by "key: value" lines and a closing "---"`,
		]);
		// Metadata written without the fences is not also reported as "text before the first scene".
		expect(errorsOf(lines('title: T', 'author: A', '', '# Scene', 'Text.'))).toHaveLength(1);
	});

	it('unterminated front matter, still checking the rest of the file', () => {
		expect(errorsOf(lines('---', 'title: T', 'author: A', '', '# Scene: One', '', '# Scene: Two', 'Text.'))).toEqual([
			`${FILE}:1: unterminated front matter: no closing "---" line after the one on line 1`,
			`${FILE}:5: empty scene "# Scene: One" (a scene needs at least one paragraph)`,
		]);
		// A later "---" is story text, not the missing fence.
		expect(errorsOf(lines('---', 'title: T', 'author: A', '# Scene: One', 'Text.', '---', 'More.'))).toEqual([
			`${FILE}:1: unterminated front matter: no closing "---" line after the one on line 1`,
		]);
		expect(storyOf(parseStory(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '', '---', '', 'More.'), FILE)).scenes[0]?.paragraphs).toEqual([
			'Text.',
			'---',
			'More.',
		]);
	});

	it('an empty file', () => {
		expect(errorsOf('')).toEqual([`${FILE}:1: empty file (a story needs front matter and at least one scene)`]);
		expect(errorsOf(new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x20]))).toEqual([
			`${FILE}:1: empty file (a story needs front matter and at least one scene)`,
		]);
	});

	it('missing title and author', () => {
		expect(errorsOf(lines('---', 'notes: n', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:1: missing "title" in the front matter`,
			`${FILE}:1: missing "author" in the front matter`,
		]);
	});

	it('unknown, duplicate, empty and malformed metadata lines', () => {
		expect(
			errorsOf(
				lines('---', 'title: T', 'Author: A', 'author: A', 'colour: blue', 'title: Again', 'notes:', 'content_notes: x', 'just words', '---', '# Scene', 'Text.'),
			),
		).toEqual([
			`${FILE}:3: unknown metadata key "Author" (did you mean "author"?)`,
			`${FILE}:5: unknown metadata key "colour" (known keys: id, title, author, summary, notes, end-notes, challenge, disclaimer, content-notes, feedback, source, feedback-emoji, rating, warnings, fandoms, relationships, characters, tags, language, series, status, chapters, sitting-minutes)`,
			`${FILE}:6: duplicate metadata key "title" (first on line 2)`,
			`${FILE}:7: empty value for "notes" (remove the line or give it a value)`,
			`${FILE}:8: unknown metadata key "content_notes" (did you mean "content-notes"?)`,
			`${FILE}:9: expected "key: value" in the front matter, found "just words"`,
		]);
		expect(errorsOf(lines('---', 'title: T', 'author: A', 'content-notes: ; ;', '---', '# Scene', 'Text.'))).toEqual([
			`${FILE}:4: empty value for "content-notes" (separate notes with ";")`,
		]);
	});

	it('over-long title, author and scene title', () => {
		expect(errorsOf(lines('---', `title: ${'t'.repeat(201)}`, `author: ${'a'.repeat(101)}`, '---', `# Scene: ${'s'.repeat(101)}`, 'Text.', '# Scene:', 'Text.'))).toEqual([
			`${FILE}:2: title is 201 characters long (at most 200)`,
			`${FILE}:3: author is 101 characters long (at most 100)`,
			`${FILE}:5: scene title is 101 characters long (at most 100)`,
			`${FILE}:7: empty scene title after "# Scene:" (write "# Scene" for a scene without a title)`,
		]);
		storyOf(parseStory(lines('---', `title: ${'t'.repeat(200)}`, `author: ${'a'.repeat(100)}`, '---', `# Scene: ${'s'.repeat(100)}`, 'Text.'), FILE));
	});

	it('invalid ids, given or taken from the file name', () => {
		const rules = 'lowercase letters, digits and "-", starting with a letter or digit, at most 50 characters';
		expect(errorsOf(lines('---', 'id: My Story', ...MINIMAL_FRONT_MATTER.slice(1), '# Scene', 'Text.'))).toEqual([`${FILE}:2: invalid id "My Story" (${rules})`]);
		expect(errorsOf(lines('---', 'id: -dash-first', ...MINIMAL_FRONT_MATTER.slice(1), '# Scene', 'Text.'))).toEqual([
			`${FILE}:2: invalid id "-dash-first" (${rules})`,
		]);
		expect(errorsOf(lines('---', `id: ${'a'.repeat(51)}`, ...MINIMAL_FRONT_MATTER.slice(1), '# Scene', 'Text.'))).toHaveLength(1);
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.'), 'story/My Story.md')).toEqual([
			`story/My Story.md:1: the file name "My Story.md" does not make a valid story id (${rules}); rename the file or add an "id:" line to the front matter`,
		]);
		expect(storyOf(parseStory(lines('---', `id: ${'a'.repeat(50)}`, ...MINIMAL_FRONT_MATTER.slice(1), '# Scene', 'Text.'), FILE)).id).toHaveLength(50);
	});

	it('feedback emoji: too many, not emoji, duplicates', () => {
		const withEmoji = (value: string): string[] => errorsOf(lines('---', 'title: T', 'author: A', `feedback-emoji: ${value}`, '---', '# Scene', 'Text.'));
		expect(withEmoji('❤️ 😂 😮 😢 🔥 👏')).toEqual([`${FILE}:4: too many feedback emoji: 6 (at most 5)`]);
		// ": " inside a value needs quotes in YAML, and gets a hint saying so.
		expect(withEmoji('🔥 :heart: 🔥')).toEqual([
			`${FILE}:4: a value containing ": " must be in quotes: feedback-emoji: "🔥 :heart: 🔥" (YAML: Nested mappings are not allowed in compact mappings)`,
		]);
		expect(withEmoji('"🔥 :heart: 🔥 a❤️ ❤"')).toEqual([
			`${FILE}:4: feedback emoji ":heart:" is not a single unicode emoji (separate emoji with spaces; custom server emoji are not supported)`,
			`${FILE}:4: duplicate feedback emoji "🔥"`,
			`${FILE}:4: feedback emoji "a❤️" is not a single unicode emoji (separate emoji with spaces; custom server emoji are not supported)`,
			`${FILE}:4: feedback emoji "❤" is not a single unicode emoji (separate emoji with spaces; custom server emoji are not supported)`,
		]);
		expect(withEmoji('🔥🔥')).toHaveLength(1);
	});

	it('empty scenes, no scenes, text before the first scene', () => {
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, 'Once upon a time.', 'More.', '', 'And more.', '# Scene: The van', '', '# Scene', 'Text.', '# Scene'))).toEqual([
			`${FILE}:6: text before the first scene (${SCENE_HELP})`,
			`${FILE}:10: empty scene "# Scene: The van" (a scene needs at least one paragraph)`,
			`${FILE}:14: empty scene "# Scene" (a scene needs at least one paragraph)`,
		]);
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '<!-- nothing yet -->'))).toEqual([`${FILE}:5: no scenes (${SCENE_HELP})`]);
		expect(errorsOf('---\ntitle: T\nauthor: A\n---')).toEqual([`${FILE}:4: no scenes (${SCENE_HELP})`]);
	});

	it('text before the first chapter of a chaptered story says chapter, and "#Scene" without a space says it needs one', () => {
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, 'Some intro.', '', '# Chapter: One', 'Text.', '# Chapter: Two', 'More.'))).toEqual([
			`${FILE}:6: text before the first chapter (start the story with "# Chapter", "# Chapter: <title>" or "# Part"; an introduction goes in "notes:" in the front matter)`,
		]);
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '#Scene: One', 'Text.'))).toEqual([
			`${FILE}:5: no scenes (${SCENE_HELP})`,
			`${FILE}:6: text before the first scene (${SCENE_HELP}; "#Scene: One" is text: a heading needs a space after "#")`,
		]);
	});

	it('unknown headings; an escaped # is text', () => {
		const help = `(${SCENE_HELP}, or each chapter with "# Chapter" or "# Chapter: <title>", and the footer with "# Afterword"; write "\\#" for a literal "#")`;
		const numbered = '(chapters, parts and scenes are numbered for you: give a title after ":")';
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '# Chapter 2', '## Part two', '# scene', '#', '# Scene 3', 'Text.'))).toEqual([
			`${FILE}:8: unknown heading "# Chapter 2" ${numbered} ${help}`,
			`${FILE}:9: unknown heading "## Part two" ${help}`,
			`${FILE}:10: unknown heading "# scene" ${help}`,
			`${FILE}:11: unknown heading "#" ${help}`,
			`${FILE}:12: unknown heading "# Scene 3" ${numbered} ${help}`,
		]);
		const story = storyOf(parseStory(lines(...MINIMAL_FRONT_MATTER, '# Scene', '\\# Not a heading', '#hashtag'), FILE));
		expect(story.scenes[0]?.paragraphs).toEqual(['\\# Not a heading\n#hashtag']);
	});

	it('the afterword: not before a scene, not twice, not empty', () => {
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '# Afterword', 'Bye.', '# Scene', 'More.', '# Afterword', 'Again.'))).toEqual([
			`${FILE}:10: scene after the afterword ("# Afterword" on line 8 must come after the last scene)`,
			`${FILE}:12: second "# Afterword" (the first is on line 8; a story has at most one)`,
		]);
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '# Afterword', ''))).toEqual([
			`${FILE}:8: empty afterword "# Afterword" (remove it or add at least one paragraph)`,
		]);
	});

	it('HTML comments must fit on one line', () => {
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '<!-- starts here', 'and ends here -->'))).toEqual([
			`${FILE}:8: a line starting with "<!--" must be one comment that closes with "-->" on the same line`,
		]);
		// Two comments with text between them are not one comment: the text would vanish.
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '<!-- a --> text <!-- b -->'))).toEqual([
			`${FILE}:8: a line starting with "<!--" must be one comment that closes with "-->" on the same line`,
		]);
		const story = storyOf(parseStory(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Text.', '   <!-- indented note -->', 'More.'), FILE));
		expect(story.scenes[0]?.paragraphs).toEqual(['Text.', 'More.']);
	});

	it('bytes that are not UTF-8, with the line of the first bad byte', () => {
		const encode = (text: string): number[] => [...new TextEncoder().encode(text)];
		const latin1 = new Uint8Array([...encode(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Caf').trimEnd()), 0xe9, ...encode(' au lait.\nLater: '), 0xff]);
		expect(errorsOf(latin1)).toEqual([`${FILE}:7: not UTF-8: byte 0xE9 does not form a valid character (save the file as UTF-8)`]);
		const cases: Array<[string, number[], number]> = [
			['an overlong encoding', [0xc0, 0xaf], 0xc0],
			['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 0xed],
			['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0xf4],
			['a stray continuation byte', [0x80], 0x80],
			['a sequence cut short by the end of the file', [0xe2, 0x82], 0xe2],
		];
		for (const [name, bad, reported] of cases) {
			const bytes = new Uint8Array([...encode(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Good line.', '')), ...bad]);
			expect(errorsOf(bytes), name).toEqual([`${FILE}:9: not UTF-8: byte 0x${reported.toString(16).toUpperCase()} does not form a valid character (save the file as UTF-8)`]);
		}
	});

	it('control characters, with their line and column; tabs are fine', () => {
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'Tab\tis fine, NUL\u0000 is not.', 'Escape \u001b[31m, lone CR\r in a line, DEL\u007f.'))).toEqual([
			`${FILE}:7: control character U+0000 (NUL) at column 17 (only tabs and line breaks are allowed)`,
			`${FILE}:8: control character U+001B (ESC) at column 8 (only tabs and line breaks are allowed)`,
		]);
		expect(errorsOf(lines(...MINIMAL_FRONT_MATTER, '# Scene', 'C1 control \u0085 here.'))).toEqual([
			`${FILE}:7: control character U+0085 at column 12 (only tabs and line breaks are allowed)`,
		]);
	});

	it('collects every problem in a file, in line order', () => {
		const bytes = new Uint8Array([
			...new TextEncoder().encode(
				lines('---', 'title: T', 'title: T', 'feedback-emoji: x', '---', 'Preface.', '# Scene: A', '', '# Intermission', '# Scene: B', 'Bad byte: '),
			),
			0xff,
			0x0a,
			...new TextEncoder().encode(lines('# Afterword', '# Afterword', 'Bye.\u0000')),
		]);
		expect(errorsOf(bytes).map((error) => error.split(': ')[0])).toEqual([
			`${FILE}:1`, // missing author
			`${FILE}:3`, // duplicate title
			`${FILE}:4`, // not an emoji
			`${FILE}:6`, // text before the first scene
			`${FILE}:7`, // empty scene A
			`${FILE}:9`, // unknown heading
			`${FILE}:12`, // not UTF-8
			`${FILE}:13`, // empty first afterword
			`${FILE}:14`, // second afterword
			`${FILE}:15`, // NUL
		]);
	});
});

describe('formatStoryError', () => {
	it('leaves out the line when there is none', () => {
		expect(formatStoryError({ file: 'story/a.md', line: 3, message: 'bad' })).toBe('story/a.md:3: bad');
		expect(formatStoryError({ file: 'story/nope.md', line: 0, message: 'cannot read: no such file' })).toBe('story/nope.md: cannot read: no such file');
	});
});

describe('sceneText, countWords, estimateReadingMinutes', () => {
	const sceneOfWords = (words: number): Story['scenes'][number] => ({ number: 1, line: 1, paragraphs: [Array.from({ length: words }, () => 'word').join(' ')] });

	it('joins paragraphs with a blank line', () => {
		expect(sceneText({ paragraphs: ['One.', 'Two\nlines.'] })).toBe('One.\n\nTwo\nlines.');
	});

	it('counts words with a letter or digit in them', () => {
		expect(countWords('examination-- Oh god. -- * 42 "Told you so," Clark said.')).toBe(9);
		expect(countWords('')).toBe(0);
	});

	it('rounds reading time up at 200 words a minute, at least one minute', () => {
		expect(estimateReadingMinutes({ scenes: [sceneOfWords(1)] })).toBe(1);
		expect(estimateReadingMinutes({ scenes: [sceneOfWords(200)] })).toBe(1);
		expect(estimateReadingMinutes({ scenes: [sceneOfWords(150), sceneOfWords(51)] })).toBe(2);
	});
});
