import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BREAK_RANK, joinSplit, splitText, takeFittingPrefix, type SplitText } from '../src/render/split.js';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Words of prose plus the awkward cases: combining marks, emoji with ZWJ and skin tone, flags, CJK. */
const word = fc.constantFrom(
	'the',
	'van',
	'at',
	'dawn.',
	'Run!',
	'why?',
	'“Yes.”',
	'naïve',
	'cafe\u0301',
	'日本語',
	'👩‍👩‍👧‍👦',
	'🇫🇷🇩🇪',
	'👍🏽',
	'❤️',
	'*it*',
	'||s||',
	'@everyone',
	'<@123>',
	'x'.repeat(30),
);
const space = fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', '  ', '\t', ' \n \n', '\u00a0');
/** A run without whitespace, made of one repeated grapheme cluster: long enough to need a hard cut. */
const longWord = fc.tuple(fc.constantFrom('a', 'é', 'e\u0301', '👩‍👩‍👧‍👦', '🇫🇷', '字'), fc.integer({ min: 1, max: 120 })).map(([grapheme, count]) => grapheme.repeat(count));
const text = fc
	.array(fc.oneof({ weight: 6, arbitrary: fc.tuple(word, space) }, { weight: 1, arbitrary: fc.tuple(longWord, space) }), { maxLength: 80 })
	.chain((pairs) => fc.tuple(space, fc.constant(pairs), fc.boolean()).map(([lead, body, trailing]) => lead + body.flat().join('').slice(0, trailing ? undefined : -1)));

/** Every inner separator is whitespace, or empty inside a run without whitespace that is too long for one chunk, at a grapheme boundary. */
function expectWellFormed(input: string, split: SplitText, max: number): void {
	expect(split.separators).toHaveLength(split.chunks.length + 1);
	expect(joinSplit(split)).toBe(input);
	for (const separator of split.separators) expect(separator).toMatch(/^\s*$/);
	for (const chunk of split.chunks) {
		expect(chunk.length).toBeGreaterThan(0);
		expect(chunk.length).toBeLessThanOrEqual(max);
		expect(chunk).toBe(chunk.trim());
	}
	let offset = split.separators[0]!.length;
	for (let index = 0; index < split.chunks.length - 1; index++) {
		offset += split.chunks[index]!.length;
		if (split.separators[index + 1] === '') expectHardCut(input, offset, max);
		offset += split.separators[index + 1]!.length;
	}
}

/** Start and end of the run of non-whitespace around `offset` (a regex like /\S+$/ is quadratic on long runs). */
function runAround(text: string, offset: number): [number, number] {
	let start = offset;
	while (start > 0 && /\S/.test(text[start - 1]!)) start--;
	let end = offset;
	while (end < text.length && /\S/.test(text[end]!)) end++;
	return [start, end];
}

function expectHardCut(input: string, offset: number, max: number): void {
	const [wordStart, wordEnd] = runAround(input, offset);
	const run = input.slice(wordStart, wordEnd);
	expect(run.length, 'a word was cut although it fits a chunk').toBeGreaterThan(max);
	const cluster = [...graphemeSegmenter.segment(run)].find(({ index, segment }) => wordStart + index + segment.length > offset)!;
	const clusterStart = wordStart + cluster.index;
	if (clusterStart === offset) return;
	// Only a cluster longer than a whole chunk may be cut, and then between code points.
	expect(cluster.segment.length, `cut inside a grapheme cluster at ${offset}`).toBeGreaterThan(max);
	expect(isWellFormed(input.slice(clusterStart, offset)), `cut inside a surrogate pair at ${offset}`).toBe(true);
}

/** No lone surrogate (String.prototype.isWellFormed is ES2024, beyond this project's lib). */
function isWellFormed(text: string): boolean {
	return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Fewest chunks when breaking only between words, by dynamic programming over the words (all shorter than max). */
function fewestChunks(input: string, max: number): number {
	// A no-break space holds the words on either side together.
	const words = [...input.matchAll(/\S+(?:\u00a0+\S+)*/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
	const best = Array.from({ length: words.length + 1 }, () => Infinity);
	best[0] = 0;
	for (let end = 1; end <= words.length; end++) {
		for (let start = end; start >= 1 && words[end - 1]!.end - words[start - 1]!.start <= max; start--) {
			best[end] = Math.min(best[end]!, best[start - 1]! + 1);
		}
	}
	return best[words.length]!;
}

describe('splitText', () => {
	it('gives back the text, keeps every chunk within max and trimmed, and cuts only words too long to fit, between graphemes', () => {
		fc.assert(
			fc.property(text, fc.integer({ min: 2, max: 200 }), (input, max) => {
				expectWellFormed(input, splitText(input, max), max);
			}),
			{ numRuns: 300 },
		);
	});

	it('with fewestChunks, uses as few chunks as breaking between words allows', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(word, space), { minLength: 1, maxLength: 60 }).map((pairs) => pairs.flat().join('')),
				fc.integer({ min: 30, max: 300 }),
				(input, max) => {
					const split = splitText(input, max, { fewestChunks: true });
					expectWellFormed(input, split, max);
					fc.pre(Number.isFinite(fewestChunks(input, max)));
					expect(split.chunks.length).toBe(fewestChunks(input, max));
				},
			),
			{ numRuns: 300 },
		);
	});

	const paragraph = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' '));
	const paragraphs = fc.array(paragraph, { minLength: 1, maxLength: 12 });

	it('never splits a paragraph that fits', () => {
		fc.assert(
			fc.property(paragraphs, fc.integer({ min: 40, max: 400 }), (list, max) => {
				fc.pre(list.every((p) => p.length <= max));
				const input = list.join('\n\n');
				const split = splitText(input, max);
				expectWellFormed(input, split, max);
				for (const separator of split.separators.slice(1, -1)) expect(separator).toBe('\n\n');
			}),
			{ numRuns: 300 },
		);
	});

	it('with fewestChunks, breaks only between paragraphs when whole paragraphs make as few chunks', () => {
		fc.assert(
			fc.property(paragraphs, fc.integer({ min: 40, max: 400 }), (list, max) => {
				fc.pre(list.every((p) => p.length <= max));
				const input = list.join('\n\n');
				// Greedy packing of whole paragraphs gives the fewest paragraph-only chunks.
				let paragraphOnly = 1;
				let current = list[0]!.length;
				for (const p of list.slice(1)) {
					if (current + 2 + p.length <= max) current += 2 + p.length;
					else [paragraphOnly, current] = [paragraphOnly + 1, p.length];
				}
				const split = splitText(input, max, { fewestChunks: true });
				expectWellFormed(input, split, max);
				expect(split.chunks.length).toBeLessThanOrEqual(paragraphOnly);
				if (split.chunks.length === paragraphOnly) for (const separator of split.separators.slice(1, -1)) expect(separator).toBe('\n\n');
			}),
			{ numRuns: 300 },
		);
	});

	it('packs as many whole paragraphs as fit, splits a long paragraph at sentence ends, and with fewestChunks fills chunks instead', () => {
		const sentence = (n: number) => `Sentence ${n} goes on for a few words.`;
		const long = Array.from({ length: 8 }, (_, n) => sentence(n)).join(' ');
		const input = ['Short one.', 'Short two.', long, 'Tail.'].join('\n\n');
		const split = splitText(input, 160);
		expectWellFormed(input, split, 160);
		expect(split.chunks[0]).toBe('Short one.\n\nShort two.');
		for (const chunk of split.chunks.slice(1)) expect(chunk).toMatch(/\.$/);
		expect(split.chunks.at(-1)).toMatch(/\n\nTail\.$/);
		// Whole paragraphs need three chunks here; filling them needs two.
		expect(split.chunks).toHaveLength(3);
		const fewest = splitText(input, 160, { fewestChunks: true });
		expectWellFormed(input, fewest, 160);
		expect(fewest.chunks).toHaveLength(2);
	});

	it('cuts a run without whitespace between grapheme clusters, never inside an emoji or flag', () => {
		const input = '👩‍👩‍👧‍👦'.repeat(10) + '🇫🇷'.repeat(10);
		const split = splitText(input, 16);
		expectWellFormed(input, split, 16);
		for (const chunk of split.chunks) expect([...graphemeSegmenter.segment(chunk)].every(({ segment }) => segment === '👩‍👩‍👧‍👦' || segment === '🇫🇷')).toBe(true);
	});

	it('cuts a grapheme cluster longer than a chunk between code points, never inside a surrogate pair', () => {
		const input = `a${'\u0301'.repeat(50)}${'😀'.repeat(3)}`;
		const split = splitText(input, 7);
		expectWellFormed(input, split, 7);
		for (const chunk of split.chunks) expect(isWellFormed(chunk)).toBe(true);
	});

	it('measures chunks with the given measure', () => {
		const doubled = (chunk: string) => chunk.length * 2;
		const split = splitText('aa bb cc dd', 10, { measure: doubled });
		expect(split.chunks).toEqual(['aa bb', 'cc dd']);
	});

	it('returns no chunks for empty or blank text, keeping the whitespace as the only separator', () => {
		expect(splitText('', 10)).toEqual({ chunks: [], separators: [''] });
		expect(splitText(' \n\n ', 10)).toEqual({ chunks: [], separators: [' \n\n '] });
	});

	it('refuses a max that cannot hold one character', () => {
		expect(() => splitText('😀', 1)).toThrow(RangeError);
	});

	it('ranks breaks paragraph > sentence > line > word > hard cut', () => {
		expect(BREAK_RANK.paragraph).toBeGreaterThan(BREAK_RANK.sentence);
		expect(BREAK_RANK.sentence).toBeGreaterThan(BREAK_RANK.line);
		expect(BREAK_RANK.line).toBeGreaterThan(BREAK_RANK.word);
		expect(BREAK_RANK.word).toBeGreaterThan(BREAK_RANK.hardCut);
	});
});

describe('takeFittingPrefix', () => {
	it('takes the longest beginning that fits, ending between words, and says whether that is all', () => {
		expect(takeFittingPrefix('  one two three  ', 20)).toEqual({ prefix: 'one two three', complete: true });
		expect(takeFittingPrefix('one two three four', 12)).toEqual({ prefix: 'one two', complete: false });
		expect(takeFittingPrefix('One. Two three four five', 18)).toEqual({ prefix: 'One. Two three', complete: false });
		expect(takeFittingPrefix('First sentence here. Then more words', 30)).toEqual({ prefix: 'First sentence here.', complete: false });
	});

	it('always fits and is a trimmed beginning of the text', () => {
		fc.assert(
			fc.property(text, fc.integer({ min: 2, max: 200 }), (input, max) => {
				const { prefix, complete } = takeFittingPrefix(input, max);
				expect(prefix.length).toBeLessThanOrEqual(max);
				expect(input.trimStart().startsWith(prefix)).toBe(true);
				expect(prefix).toBe(prefix.trim());
				expect(complete).toBe(prefix === input.trim());
			}),
			{ numRuns: 200 },
		);
	});
});

describe('splitText: places a chunk never ends', () => {
	it('keeps a title abbreviation and a no-break space with the next word', () => {
		// From "The Adventure of the Speckled Band": a cut after "Dr." left it alone at a message's end.
		const text = `${'a'.repeat(30)} splendidly. Dr. Roylott has gone to town. Mrs.\u00a0Hudson came up.`;
		for (let max = 45; max < text.length; max++) {
			for (const chunk of splitText(text, max).chunks) {
				expect(chunk, `max ${max}`).not.toMatch(/(?:Dr|Mrs)\.$/u);
				expect(chunk, `max ${max}`).not.toMatch(/^(?:Roylott|Hudson)/u);
			}
		}
	});

	it('still cuts at a no-break space when the words it joins cannot fit together', () => {
		const { chunks } = splitText('abcdef\u00a0ghijkl', 8);
		expect(chunks).toEqual(['abcdef', 'ghijkl']);
	});

	it('never cuts between a space and the combining mark on it', () => {
		const text = `${'word '.repeat(5)}\u0301accent ${'word '.repeat(5)}`.trim();
		for (let max = 12; max < text.length; max++) for (const chunk of splitText(text, max).chunks) expect(chunk).not.toMatch(/^\u0301/u);
	});
});
