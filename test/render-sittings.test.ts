import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DISCORD_LIMITS,
	describePart,
	embedCharacters,
	linkToPartStart,
	nextButtonLabel,
	openEmphasis,
	partCount,
	planSittings,
	renderEndCard,
	renderFeedbackSummary,
	renderPart,
	renderTitleCard,
	SCENE_BREAK_TEXT,
	unescapeProse,
	type MessagePayload,
} from '../src/render/index.js';
import { escapedProseLength } from '../src/render/prose.js';
import { formatStoryError, parseStory } from '../src/story/parse.js';
import { countWords } from '../src/story/text.js';
import type { Story } from '../src/story/types.js';

function parsed(text: string | Uint8Array, file = 'story/x.md'): Story {
	const result = parseStory(text, file);
	if ('errors' in result) throw new Error(result.errors.map(formatStoryError).join('\n'));
	return result.story;
}

function descriptions(payloads: readonly MessagePayload[]): string[] {
	return payloads.flatMap((payload) => payload.embeds.map((embed) => embed.description ?? ''));
}

/** Every limit Discord enforces on a message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
function expectWithinDiscordLimits(payload: MessagePayload): void {
	expect((payload.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
	expect(payload.embeds.length).toBeGreaterThan(0);
	expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
	expect(payload.allowedMentions).toEqual({ parse: [] });
	let total = 0;
	for (const embed of payload.embeds) {
		const description = embed.description ?? '';
		expect(description.length).toBeGreaterThan(0);
		expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
		total += embedCharacters(embed);
	}
	expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
}

describe('the seed story reads exactly as before chapters existed', () => {
	// Rendered by the code of commit a64c4e8 (before chapters) from the sample story (fixtures/stories/sample is its copy).
	const before = JSON.parse(readFileSync(new URL('./fixtures/seed/rendered-before-chapters.json', import.meta.url), 'utf8')) as {
		titleCard: MessagePayload;
		scenes: MessagePayload[][];
		endCard: MessagePayload;
		endCardWithTally: MessagePayload;
		nextLabels: string[];
	};
	const seed = parsed(readFileSync(new URL('./fixtures/stories/sample/after-the-end.md', import.meta.url)), 'test/fixtures/stories/sample/after-the-end.md');

	it('has the same four parts, title card, scene messages, end card and Next labels', () => {
		expect(seed.chapters).toBeUndefined();
		expect(partCount(seed)).toBe(4);
		expect(renderTitleCard(seed)).toEqual(before.titleCard);
		expect([1, 2, 3, 4].map((part) => renderPart(seed, part))).toEqual(before.scenes);
		expect(renderEndCard(seed)).toEqual(before.endCard);
		const tally = { emojis: [...seed.meta.feedbackEmoji], counts: [[1, 0, 2, 0, 0], [0, 3], [], [0, 0, 0, 0, 4]] };
		expect(renderEndCard(seed, tally)).toEqual(before.endCardWithTally);
		expect([0, 1, 2, 3, 4].map((position) => nextButtonLabel(seed, position))).toEqual(before.nextLabels);
		expect([1, 2, 3, 4].map((part) => describePart(seed, part))).toEqual(['scene 1 of 4', 'scene 2 of 4', 'scene 3 of 4', 'scene 4 of 4']);
	});
});

describe('"A Scandal in Bohemia" (Standard Ebooks) in the chaptered format', () => {
	const fixture = (name: string): string => readFileSync(new URL(`./fixtures/real/${name}`, import.meta.url), 'utf8');
	const story = parsed(fixture('a-scandal-in-bohemia.md'), 'test/fixtures/real/a-scandal-in-bohemia.md');
	const sittings = planSittings(story);
	const messages = sittings.map((sitting) => renderPart(story, sitting.part));

	/** The source's paragraphs as the converted file should hold them: `<em>`/`<i>` as `*`, letters quoted. */
	function sourceParagraphs(): string[] {
		const xhtml = fixture('a-scandal-in-bohemia.xhtml');
		const body = xhtml.slice(xhtml.indexOf('<section'));
		const paragraphs: string[] = [];
		let quoted = false;
		for (const line of body.split('\n').map((text) => text.trim())) {
			if (line.startsWith('<blockquote')) quoted = true;
			if (line.startsWith('</blockquote')) quoted = false;
			const match = /^<p[^>]*>(.*)<\/p>$/u.exec(line);
			if (!match) continue;
			const text = match[1]!
				.replace(/<(em|i)\b[^>]*>(.*?)<\/\1>/gu, '*$2*')
				.replace(/<[^>]+>/gu, '')
				.replace(/&amp;/gu, '&');
			paragraphs.push(quoted ? `> ${text}` : text);
		}
		return paragraphs;
	}

	it('is three chapters, the last with a scene break, read in sittings of about ten minutes', () => {
		expect(story.chapters?.map((chapter) => chapter.title)).toEqual(['I', 'II', 'III']);
		expect(story.chapters?.[2]?.scenes).toHaveLength(2);
		for (const sitting of sittings) {
			expect(sitting.minutes).toBeGreaterThanOrEqual(4);
			expect(sitting.minutes).toBeLessThanOrEqual(15);
		}
		expect(describePart(story, 2)).toBe('Chapter 1 of 3 · sitting 2 of 2');
		expect(nextButtonLabel(story, 1)).toBe(`Next: Chapter 1 of 3 · sitting 2 of 2 · ${sittings[1]!.minutes} min`);
		expect(nextButtonLabel(story, sittings.length)).toBe('Read the ending');
	});

	it('posts every message within Discord\'s limits, labelled with the chapter and sitting', () => {
		for (const [index, payloads] of messages.entries()) {
			for (const [number, payload] of payloads.entries()) {
				expectWithinDiscordLimits(payload);
				expect(payload.content).toContain(`Chapter ${sittings[index]!.chapter!.number} of 3`);
				if (payloads.length > 1) expect(payload.content).toContain(`message ${number + 1} of ${payloads.length}`);
			}
		}
	});

	it('gives every source paragraph, in order, each whole inside one embed, with balanced emphasis in every message', () => {
		const source = sourceParagraphs();
		expect(source.length).toBeGreaterThan(250);
		const posted: string[] = [];
		for (const payloads of messages) {
			for (const payload of payloads) {
				for (const description of descriptions([payload])) {
					expect(openEmphasis(description)).toEqual([]);
					for (const piece of description.split('\n\n')) if (piece !== SCENE_BREAK_TEXT) posted.push(unescapeProse(piece));
				}
			}
		}
		expect(posted).toEqual(source);
		// Every paragraph is shorter than an embed, so none may be cut: each posted piece is a whole one.
		for (const paragraph of source) expect(escapedProseLength(paragraph)).toBeLessThan(DISCORD_LIMITS.embedDescription);
	});

	it('shows the note and Irene Adler\'s letter as block quotes, and the scene break in chapter III', () => {
		const all = descriptions(messages.flat()).join('\n\n');
		expect(all).toMatch(/\n> “My Dear Mr\.\sSherlock Holmes⁠—You really did it very well\./u);
		expect(all).toContain('\n> “Irene Norton, *née* Adler.”');
		expect(all).toMatch(/(?:^|\n)> “There will call upon you tonight/u);
		expect(descriptions(messages.at(-1)!).join('\n\n')).toContain(`\n\n${SCENE_BREAK_TEXT}\n\nAnd that was how a great scandal`);
	});
});

describe('sittings, labels and links', () => {
	const words = (count: number, seed = 0): string => Array.from({ length: count }, (_, index) => `word${(index + seed) % 97}`).join(' ') + '.';

	it('cuts a long chapter at its scene break rather than between paragraphs, and never across chapters', () => {
		const text = [
			'---',
			'title: T',
			'author: A',
			'sitting-minutes: 3',
			'---',
			'# Chapter: The Red Circle',
			'',
			words(380),
			'',
			words(430, 1),
			'',
			'* * *',
			'',
			words(200, 2),
			'',
			words(200, 3),
			'',
			'# Chapter',
			'',
			words(100, 4),
		].join('\n');
		const story = parsed(text);
		const sittings = planSittings(story);
		expect(sittings.map((sitting) => [sitting.chapter?.number, sitting.index, sitting.of])).toEqual([
			[1, 1, 2],
			[1, 2, 2],
			[2, 1, 1],
		]);
		// The break sits at 810 of 1,210 words, the ideal cut at 605: within reach, so the cut is there.
		expect(sittings[0]!.words).toBe(countWords(`${words(380)} ${words(430, 1)}`));
		expect(renderPart(story, 1)[0]!.content).toBe('**T** · Chapter 1 of 2 · _The Red Circle_ · sitting 1 of 2');
		expect(renderPart(story, 3)[0]!.content).toBe('**T** · Chapter 2 of 2');
		expect(describePart(story, 3)).toBe('Chapter 2 of 2');
	});

	it('says "Chapter 3" without a total for an unfinished story, and counts to the planned total when given', () => {
		const chapter = (title: string): string[] => [`# Chapter: ${title}`, '', 'Text.', ''];
		const base = ['---', 'title: T', 'author: A'];
		const open = parsed([...base, 'status: in-progress', '---', ...chapter('One'), ...chapter('Two')].join('\n'));
		expect(describePart(open, 2)).toBe('Chapter 2');
		const planned = parsed([...base, 'chapters: 2/12', '---', ...chapter('One'), ...chapter('Two')].join('\n'));
		expect(describePart(planned, 2)).toBe('Chapter 2 of 12');
		const unknown = parsed([...base, 'chapters: 2/?', '---', ...chapter('One'), ...chapter('Two')].join('\n'));
		expect(unknown.meta.status).toBe('in-progress');
	});

	it('opens a chapter with its notes and closes it with its end notes, each in an embed of its own', () => {
		const story = parsed(
			[
				'---',
				'title: T',
				'author: A',
				'---',
				'# Part: Beginnings',
				'# Chapter: One',
				'---',
				'notes: |',
				'  Thanks to my beta.',
				'',
				'  Second paragraph of notes.',
				'end-notes: More soon.',
				'---',
				'',
				'The text.',
			].join('\n'),
		);
		const [message] = renderPart(story, 1);
		expect(message!.content).toBe('**T** · Part 1: Beginnings · _One_');
		expect(message!.embeds.map((embed) => [embed.title, embed.description])).toEqual([
			['Chapter notes', 'Thanks to my beta.\n\nSecond paragraph of notes.'],
			[undefined, 'The text.'],
			['End notes', 'More soon.'],
		]);
	});

	it('labels later messages of a sitting and lets the poster link them back to the first', () => {
		const long = Array.from({ length: 12 }, (_, index) => words(180, index)).join('\n\n');
		const story = parsed(`---\ntitle: T\nauthor: A\n---\n# Chapter\n\n${long}\n`);
		const payloads = renderPart(story, 1);
		expect(payloads.length).toBeGreaterThan(1);
		expect(payloads[1]!.content).toBe(`**T** · message 2 of ${payloads.length}`);
		const linked = linkToPartStart(payloads[1]!, 'https://discord.com/channels/1/2/3');
		expect(linked.content).toBe(`**T** · message 2 of ${payloads.length} · [↑ back to the start](<https://discord.com/channels/1/2/3>)`);
		expect(payloads[1]!.content).not.toContain('back to the start');
	});

	it('shows prose as typed: dialogue dashes, numbers and # lines stay text, quotes and fences render as written', () => {
		const story = parsed(
			[
				'---',
				'title: T',
				'author: A',
				'---',
				'# Chapter',
				'',
				'- Run! she said.',
				'1. Not a list.',
				'-# not subtext',
				'',
				'> A letter,',
				'> - with a dash.',
				'',
				'```',
				'# a shell comment',
				'- not escaped',
				'',
				'1. nor this',
				'```',
			].join('\n'),
		);
		expect(descriptions(renderPart(story, 1))).toEqual([
			'\\- Run! she said.\n1\\. Not a list.\n\\-# not subtext\n\n> A letter,\n> \\- with a dash.\n\n```\n# a shell comment\n- not escaped\n\n1. nor this\n```',
		]);
	});

	it('closes formatting open across a cut inside a paragraph longer than an embed, and reopens it', () => {
		const sentence = 'She ran *all the way down to the harbour and back again.* ';
		const paragraph = `**${sentence.repeat(90).trim()} The end.**`;
		const story = parsed(`---\ntitle: T\nauthor: A\n---\n# Chapter\n\n${paragraph}\n`);
		const pieces = descriptions(renderPart(story, 1));
		expect(pieces.length).toBeGreaterThan(1);
		for (const piece of pieces) expect(openEmphasis(piece)).toEqual([]);
		expect(pieces[1]!.startsWith('**')).toBe(true);
		expect(pieces[0]!.endsWith('**')).toBe(true);
	});
});

// Random chaptered stories: chapters with notes, scene breaks, short paragraphs with balanced
// emphasis, and paragraphs past one embed (with emphasis open across the place they get cut).
const word = fc.constantFrom('the', 'van', 'dawn.', 'Run!', '“Yes.”', 'naïve', '日本語', '👩‍👩‍👧‍👦', '❤️', '*it*', '**bold**', '||hush||', 'Dr.\u00a0Roylott', 'Mr. Holmes', '`code`', '@everyone');
const lineStart = fc.constantFrom('', '', '', '- ', '1. ', '> ', '-# ');
const emphasised = fc.array(word, { minLength: 2, maxLength: 6 }).map((words) => `*${words.filter((w) => !w.includes('*')).join(' ') || 'so'}*`);
const line = fc
	.tuple(lineStart, fc.array(fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: emphasised }), { minLength: 1, maxLength: 14 }))
	.map(([start, words]) => start + words.join(' '));
const shortParagraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
const longParagraph = fc
	.tuple(fc.array(fc.oneof(word, emphasised), { minLength: 3, maxLength: 10 }), fc.integer({ min: 4200, max: 9000 }))
	.map(([words, length]) => {
		const sentence = `${words.join(' ')}.`;
		return Array.from({ length: Math.ceil(length / (sentence.length + 1)) }, () => sentence).join(' ');
	});
const paragraph = fc.oneof({ weight: 8, arbitrary: shortParagraph }, { weight: 1, arbitrary: longParagraph });
const scene = fc.array(paragraph, { minLength: 1, maxLength: 8 });
const chapter = fc.record({
	title: fc.option(fc.constantFrom('The Red Circle', '*Stars* @here', 'À la fin'), { nil: undefined }),
	notes: fc.option(fc.constantFrom('Thanks to my beta.', 'Warning: *angst*.'), { nil: undefined }),
	scenes: fc.array(scene, { minLength: 1, maxLength: 3 }),
});
const chaptered = fc.record({ chapters: fc.array(chapter, { minLength: 1, maxLength: 4 }), minutes: fc.integer({ min: 1, max: 12 }) });

function fileOf({ chapters, minutes }: { chapters: Array<{ title?: string | undefined; notes?: string | undefined; scenes: string[][] }>; minutes: number }): string {
	let text = `---\ntitle: Random\nauthor: A\nsitting-minutes: ${minutes}\n---\n`;
	for (const { title, notes, scenes } of chapters) {
		text += `\n${title === undefined ? '# Chapter' : `# Chapter: ${title}`}\n`;
		if (notes !== undefined) text += `---\nnotes: "${notes}"\n---\n`;
		text += `\n${scenes.map((paragraphs) => paragraphs.join('\n\n')).join('\n\n* * *\n\n')}\n`;
	}
	return text;
}

describe('random chaptered stories (property)', () => {
	it('fit Discord\'s limits, give back the text in order, cut no short paragraph, and balance emphasis per message', () => {
		fc.assert(
			fc.property(chaptered, (shape) => {
				const story = parsed(fileOf(shape));
				const sittings = planSittings(story);
				expect(story.chapters).toHaveLength(shape.chapters.length);
				for (const [index, chapterShape] of shape.chapters.entries()) {
					const own = sittings.filter((sitting) => sitting.chapter?.number === index + 1);
					// Parts joined give back the chapter: its paragraphs in order, breaks where scenes meet inside a sitting.
					const joined = own.flatMap((sitting) => sitting.blocks.flatMap((block) => (block.kind === 'text' ? [block.text] : [])));
					expect(joined).toEqual(chapterShape.scenes.flat());
					expect(own.map((sitting) => sitting.index)).toEqual(own.map((_, position) => position + 1));
				}
				for (const sitting of sittings) {
					const payloads = renderPart(story, sitting.part);
					for (const payload of payloads) {
						expectWithinDiscordLimits(payload);
						for (const description of descriptions([payload])) expect(openEmphasis(description)).toEqual([]);
					}
					// A paragraph that fits an embed is posted whole, inside one embed.
					const posted = descriptions(payloads).flatMap((description) => description.split('\n\n')).map(unescapeProse);
					for (const block of sitting.blocks) {
						if (block.kind === 'text' && escapedProseLength(block.text) <= DISCORD_LIMITS.embedDescription && !block.text.includes('\n\n')) {
							expect(posted).toContain(block.text);
						}
					}
				}
			}),
			{ numRuns: 60 },
		);
	});
});

describe('a story of one chapter', () => {
	const paragraph = Array.from({ length: 100 }, () => 'word').join(' ');
	const oneChapter = (front: string[]): Story =>
		parsed(['---', 'title: T', 'author: A', 'sitting-minutes: 1', ...front, '---', '# Chapter: The Only One', '', ...Array.from({ length: 6 }, () => [paragraph, '']).flat()].join('\n'));

	it('labels its parts by sitting alone, never "Chapter 1 of 1": part labels, where a reading is, the Next button, the title card, the reactions', async () => {
		const { readingMessagesIn } = await import('../src/messages/index.js');
		for (const story of [oneChapter([]), oneChapter(['chapters: 1/1'])]) {
			expect(partCount(story)).toBe(3);
			const labels = [1, 2, 3].map((part) => renderPart(story, part)[0]!.content);
			expect(labels).toEqual(['**T** · _The Only One_ · sitting 1 of 3', '**T** · _The Only One_ · sitting 2 of 3', '**T** · _The Only One_ · sitting 3 of 3']);
			expect(describePart(story, 2)).toBe('sitting 2 of 3');
			expect(nextButtonLabel(story, 1)).toMatch(/^Next: sitting 2 of 3 · \d+ min$/u);
			// What /progress says, and the title card's "what comes next".
			const progress = readingMessagesIn('en');
			expect(progress.position(0, 3, (part) => describePart(story, part))).toBe('the title card (sitting 1 of 3 is next)');
			expect(progress.position(2, 3, (part) => describePart(story, part))).toBe('sitting 2 of 3');
			const length = renderTitleCard(story).embeds[0]!.fields!.find((field) => field.name === 'Length')!.value;
			expect(length).toBe('3 sittings · about 3 min read');
			expect(renderFeedbackSummary(story, { emojis: ['❤️'], counts: [[1], [0], [2]] })).toMatch(/^Sitting 1 of 3 · The Only One · ❤️ 1 /u);
			const everything = JSON.stringify([renderTitleCard(story), ...[1, 2, 3].flatMap((part) => renderPart(story, part)), renderEndCard(story)]);
			expect(everything).not.toMatch(/Chapter 1|1 chapter/u);
		}
	});

	it('keeps "Chapter 1" while more chapters may follow or are planned', () => {
		const open = oneChapter(['chapters: 1/?']);
		expect(describePart(open, 2)).toBe('Chapter 1 · sitting 2 of 3');
		expect(describePart(oneChapter(['chapters: 1/4']), 2)).toBe('Chapter 1 of 4 · sitting 2 of 3');
	});
});
