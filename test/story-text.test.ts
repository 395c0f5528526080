import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, countWords } from '../src/story/text.js';

// The counts as first written (one array per text): the fast versions must agree with them.
const wordsBefore = (text: string) => text.split(/\s+/u).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
const tokensBefore = (text: string) => text.match(/\S+/g)?.length ?? 0;

const pieces = fc.constantFrom('word', 'Élan', '42', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '—', '-', '*', '…', '日本語', 'ñ', '😀', 'x😀', '\u0301', '"', 'l’été', '\ud800', '\u200b');

describe('countWords and countTokens', () => {
	it('count what split/match counted, for any mix of letters, digits, marks, emoji and every kind of space', () => {
		fc.assert(
			fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
				const text = parts.join('');
				expect(countWords(text)).toBe(wordsBefore(text));
				expect(countTokens(text)).toBe(tokensBefore(text));
			}),
			{ numRuns: 2_000 },
		);
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
				expect(countWords(text)).toBe(wordsBefore(text));
				expect(countTokens(text)).toBe(tokensBefore(text));
			}),
			{ numRuns: 2_000 },
		);
	});

	it('counts a free-standing dash or asterisk as no word, "examination--" as one', () => {
		expect(countWords('It was — * — an examination-- of sorts.')).toBe(6);
		expect(countTokens('It was — * — an examination-- of sorts.')).toBe(9);
	});
});
