import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapedBlockLength } from '../src/render/escape.js';
import { unescapeProse } from '../src/render/prose.js';
import { DISCORD_LIMITS, embedCharacters, renderScene, sceneText, type MessagePayload } from '../src/render/index.js';
import type { Scene, Story } from '../src/story/types.js';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function storyWith(scenes: Array<{ title?: string; paragraphs: string[] }>, title = 'After The End'): Story {
	return {
		id: 'after-the-end',
		file: 'story/after-the-end.md',
		meta: { title, author: 'Someone', contentNotes: [], feedbackEmoji: ['❤️', '😮'] },
		scenes: scenes.map((scene, index): Scene => ({ number: index + 1, paragraphs: scene.paragraphs, line: 1 + index * 10, ...(scene.title === undefined ? {} : { title: scene.title }) })),
		afterword: [],
	};
}

/** Prose of exactly `length` characters: sentences, ending on a full stop. */
function prose(length: number, seed = 0): string {
	const sentences = ['The van waited at dawn.', 'Nobody spoke for a while.', 'She counted the exits twice, then once more.', 'Rain.'];
	let text = '';
	for (let index = seed; text.length < length; index++) text += `${sentences[index % sentences.length]} `;
	return `${text.slice(0, length - 1).trimEnd().padEnd(length - 1, 'a')}.`;
}

/** Paragraphs of the given lengths, which with the blank lines between them make the scene text. */
function paragraphsOf(...lengths: number[]): string[] {
	return lengths.map((length, index) => prose(length, index));
}

function descriptions(payloads: MessagePayload[]): string[] {
	return payloads.flatMap((payload) => payload.embeds.map((embed) => embed.description ?? ''));
}

/** Every limit Discord enforces on a message, plus the bot's own rules for scene messages. */
function expectWithinLimits(payloads: MessagePayload[], sceneNumber: number, sceneCount: number): void {
	expect(payloads.length).toBeGreaterThan(0);
	for (const [index, payload] of payloads.entries()) {
		expect(payload.allowedMentions).toEqual({ parse: [] });
		const content = payload.content ?? '';
		expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
		expect(content).toContain(`Scene ${sceneNumber} of ${sceneCount}`);
		if (payloads.length > 1) expect(content).toMatch(new RegExp(` · part ${index + 1}/${payloads.length}$`));
		else expect(content).not.toMatch(/part \d+\/\d+/);
		expect(content).not.toMatch(/@(everyone|here)/);
		expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
		let total = 0;
		for (const embed of payload.embeds) {
			const description = embed.description ?? '';
			expect(description.length).toBeGreaterThan(0);
			expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
			expect(description).toBe(description.trim());
			expect(embed.title).toBeUndefined();
			total += embedCharacters(embed);
		}
		expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
	}
}

/**
 * Walks the scene text along the un-escaped descriptions: each must come next after nothing but
 * whitespace, so the payloads hold the whole text, in order, and nothing else. Two descriptions with no
 * whitespace between them are only allowed inside a run of non-whitespace too long for one embed, and
 * then between grapheme clusters.
 */
function expectReconstructs(text: string, payloads: MessagePayload[]): void {
	const clusterStarts = new Map<number, Set<number>>();
	let offset = 0;
	for (const [index, description] of descriptions(payloads).entries()) {
		let chunk = unescapeProse(description);
		const gap = text.slice(offset).match(/^\s*/)![0];
		if (index > 0 && gap === '') expectHardCut(text, offset, clusterStarts);
		offset += gap.length;
		// A block quote line cut in two goes on quoted in the next embed.
		if (chunk.startsWith('> ') && !text.startsWith('> ', offset) && /(?:^|\n)[ \t]*>[ \t][^\n]*$/u.test(text.slice(0, offset))) chunk = chunk.slice(2);
		expect(text.startsWith(chunk, offset), `description ${index} is not the text at ${offset}`).toBe(true);
		offset += chunk.length;
	}
	expect(text.slice(offset)).toMatch(/^\s*$/);
}

/** Start and end of the run of non-whitespace around `offset` (a regex like /\S+$/ is quadratic on long runs). */
function runAround(text: string, offset: number): [number, number] {
	let start = offset;
	while (start > 0 && /\S/.test(text[start - 1]!)) start--;
	let end = offset;
	while (end < text.length && /\S/.test(text[end]!)) end++;
	return [start, end];
}

/** `clusterStarts` caches each run's grapheme boundaries: a long run is cut several times. */
function expectHardCut(text: string, offset: number, clusterStarts: Map<number, Set<number>>): void {
	const [runStart, runEnd] = runAround(text, offset);
	const run = text.slice(runStart, runEnd);
	expect(escapedBlockLength(run), `a word was split at ${offset} although it fits an embed`).toBeGreaterThan(DISCORD_LIMITS.embedDescription);
	let boundaries = clusterStarts.get(runStart);
	if (boundaries === undefined) {
		boundaries = new Set([...graphemeSegmenter.segment(run)].map((segment) => runStart + segment.index));
		clusterStarts.set(runStart, boundaries);
	}
	expect(boundaries.has(offset), `cut inside a grapheme cluster at ${offset}`).toBe(true);
}

// Random scene text: prose, unicode, emoji (ZWJ sequences, flags, skin tones), inline Markdown,
// mentions, and block syntax at line starts; paragraphs past 4,096 with and without whitespace.
const word = fc.constantFrom('the', 'van', 'dawn.', 'Run!', 'why?', '“Yes.”', 'naïve', 'e\u0301', '日本語', '👩‍👩‍👧‍👦', '🇫🇷', '👍🏽', '❤️', '*it*', '**bold**', '||spoiler||', '`code`', '@everyone', '@here', '<@123>', '<@&456>', '12.', '-');
const lineStart = fc.constantFrom('# ', '## ', '### ', '-# ', '- ', '* ', '1. ', '> ', '>>> ', '');
const line = fc.tuple(lineStart, fc.array(word, { minLength: 1, maxLength: 20 })).map(([start, words]) => start + words.join(' '));
const shortParagraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
/** A paragraph repeated to a few thousand characters, often past 4,096, so it must be split. */
const longParagraph = fc
	.tuple(shortParagraph, fc.integer({ min: 1500, max: 9000 }))
	.map(([paragraph, length]) => Array.from({ length: Math.ceil(length / (paragraph.length + 1)) }, () => paragraph).join(' '));
/** A run without whitespace, up to twice as long as an embed description. */
const giantWord = fc
	.tuple(fc.constantFrom('a', 'é', '👩‍👩‍👧‍👦', '🇫🇷', '#', '-', '1.'), fc.integer({ min: 1000, max: 9000 }))
	.map(([grapheme, length]) => grapheme.repeat(Math.ceil(length / grapheme.length)));
const paragraph = fc.oneof({ weight: 5, arbitrary: shortParagraph }, { weight: 2, arbitrary: longParagraph }, { weight: 1, arbitrary: giantWord });
const scene = fc.record({ title: fc.option(fc.constantFrom('The van at dawn', '*Stars* || @everyone', '# Heading?'), { nil: undefined }), paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 6 }) });
const storyAndScene = fc
	.tuple(fc.array(scene, { minLength: 1, maxLength: 4 }), fc.constantFrom('After The End', '**Bold** @here', 'x'.repeat(3000)))
	.chain(([scenes, title]) => fc.tuple(fc.constant(storyWith(scenes.map(({ title: sceneTitle, paragraphs }) => (sceneTitle === undefined ? { paragraphs } : { title: sceneTitle, paragraphs })), title)), fc.integer({ min: 1, max: scenes.length })));

describe('renderScene', () => {
	it('keeps every message within the limits, labels it, and carries the scene text exactly', () => {
		fc.assert(
			fc.property(storyAndScene, ([story, sceneNumber]) => {
				const payloads = renderScene(story, sceneNumber);
				expectWithinLimits(payloads, sceneNumber, story.scenes.length);
				expectReconstructs(sceneText(story.scenes[sceneNumber - 1]!), payloads);
				// Whatever fits one message (two backslashes of room for embed starts mid-line) is one message.
				if (escapedBlockLength(sceneText(story.scenes[sceneNumber - 1]!).trim()) <= DISCORD_LIMITS.embedsTotal - 2) expect(payloads).toHaveLength(1);
			}),
			{ numRuns: 40 },
		);
	});

	it('posts a 3,000-character scene as one message with one embed', () => {
		const story = storyWith([{ title: 'The van at dawn', paragraphs: paragraphsOf(1000, 998) }]);
		expect(sceneText(story.scenes[0]!)).toHaveLength(2000);
		const long = storyWith([{ paragraphs: paragraphsOf(1200, 900, 896) }]);
		expect(sceneText(long.scenes[0]!)).toHaveLength(3000);
		const payloads = renderScene(long, 1);
		expect(payloads).toHaveLength(1);
		expect(payloads[0]!.embeds).toHaveLength(1);
		expect(payloads[0]!.embeds[0]!.description).toBe(sceneText(long.scenes[0]!));
	});

	it('posts a 5,900-character scene as one message with two embeds', () => {
		const story = storyWith([{ paragraphs: paragraphsOf(2000, 1900, 1996) }]);
		expect(sceneText(story.scenes[0]!)).toHaveLength(5900);
		const payloads = renderScene(story, 1);
		expect(payloads).toHaveLength(1);
		expect(payloads[0]!.embeds).toHaveLength(2);
		expectReconstructs(sceneText(story.scenes[0]!), payloads);
	});

	it('posts a scene of exactly 6,000 characters as one message, even as one long paragraph', () => {
		for (const paragraphs of [paragraphsOf(3000, 2998), paragraphsOf(6000)]) {
			const story = storyWith([{ paragraphs }]);
			expect(sceneText(story.scenes[0]!)).toHaveLength(6000);
			const payloads = renderScene(story, 1);
			expect(payloads).toHaveLength(1);
			expectWithinLimits(payloads, 1, 1);
			expectReconstructs(sceneText(story.scenes[0]!), payloads);
		}
	});

	it('posts a 13,000-character scene as three messages labelled part 1/3 to 3/3', () => {
		const story = storyWith([{ paragraphs: [prose(1000)] }, { title: 'The long night', paragraphs: paragraphsOf(3000, 2500, 3500, 1500, 2492) }]);
		expect(sceneText(story.scenes[1]!)).toHaveLength(13000);
		const payloads = renderScene(story, 2);
		expect(payloads.map((payload) => payload.content)).toEqual([1, 2, 3].map((part) => `**After The End** · Scene 2 of 2 · _The long night_ · part ${part}/3`));
		expectWithinLimits(payloads, 2, 2);
		expectReconstructs(sceneText(story.scenes[1]!), payloads);
	});

	it('posts each scene of the first story (2,200 to 3,300 characters) as one message', () => {
		const story = storyWith([{ paragraphs: paragraphsOf(800, 700, 698) }, { paragraphs: paragraphsOf(1500, 1798) }, { paragraphs: paragraphsOf(3300) }]);
		for (const number of [1, 2, 3]) expect(renderScene(story, number)).toHaveLength(1);
	});

	it('splits a paragraph longer than an embed at sentence ends, and a run without spaces between graphemes', () => {
		const story = storyWith([{ paragraphs: ['Short opening.', prose(9000)] }, { paragraphs: ['👩‍👩‍👧‍👦'.repeat(1000)] }]);
		const sentences = renderScene(story, 1);
		for (const description of descriptions(sentences)) expect(description).toMatch(/\.$/);
		const emoji = renderScene(story, 2);
		expectWithinLimits(emoji, 2, 2);
		for (const description of descriptions(emoji)) expect(description).toMatch(/^(👩‍👩‍👧‍👦)+$/u);
	});

	// Shrunk from fast-check seed 1597835997: a paragraph's short last piece fitted beside the piece
	// before it and was joined to it with a blank line, as if it were a new paragraph.
	it('puts each piece of a cut paragraph in an embed of its own, never after a blank line in the embed before', () => {
		const sentence = 'The van waited at dawn. ';
		const tail = storyWith([{ paragraphs: [`${sentence.repeat(337)}Rain.`] }]);
		const pieces = descriptions(renderScene(tail, 1));
		expect(pieces).toEqual([sentence.repeat(168).trim(), sentence.repeat(168).trim(), 'The van waited at dawn. Rain.']);
		expectReconstructs(sceneText(tail.scenes[0]!), renderScene(tail, 1));
		// A short first sentence, then italics cut across embeds: the closing and reopening `*` stay at the cut.
		const opening = storyWith([{ paragraphs: [`Run! *${'she ran '.repeat(520)}away*`] }]);
		const payloads = renderScene(opening, 1);
		expectWithinLimits(payloads, 1, 1);
		const [first, ...rest] = descriptions(payloads);
		expect(first).toBe('Run!');
		expect(rest.length).toBeGreaterThan(1);
		for (const description of rest) expect(description).toMatch(/^\*(?:she|ran|away)(?: (?:she|ran|away))*\*$/u);
	});

	it('labels the message with the story and scene titles, escaped, and defuses mass mentions in content', () => {
		const story = storyWith([{ title: '*Stars* @everyone', paragraphs: ['Text.'] }], 'A || B');
		const [payload] = renderScene(story, 1);
		expect(payload!.content).toBe('**A \\|\\| B** · Scene 1 of 1 · _\\*Stars\\* @\u200beveryone_');
		const untitled = renderScene(storyWith([{ paragraphs: ['Text.'] }]), 1);
		expect(untitled[0]!.content).toBe('**After The End** · Scene 1 of 1');
	});

	it('shows block syntax in the text literally, block quotes as quotes, and inline Markdown and mentions as written', () => {
		const story = storyWith([{ paragraphs: ['# Not a heading\n- not a list\n> a quote\n>>> not the rest of the message', 'She said *no* to <@123> and @everyone.'] }]);
		expect(descriptions(renderScene(story, 1))).toEqual(['\\# Not a heading\n\\- not a list\n> a quote\n\\>>> not the rest of the message\n\nShe said *no* to <@123> and @everyone.']);
	});

	it('refuses a scene number the story does not have', () => {
		const story = storyWith([{ paragraphs: ['One.'] }, { paragraphs: ['Two.'] }]);
		for (const number of [0, 3, -1, 1.5, Number.NaN]) expect(() => renderScene(story, number)).toThrow(RangeError);
	});

	it('returns fresh payload objects, so changing one never changes another', () => {
		const story = storyWith([{ paragraphs: [prose(13000)] }]);
		const [first, second] = renderScene(story, 1);
		expect(first!.allowedMentions).not.toBe(second!.allowedMentions);
	});
});
