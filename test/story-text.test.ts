import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords } from '../src/story/text.js';

// The count as first written (one array per text): the fast version must agree with them.
const wordsBefore = (text: string) => text.split(/\s+/u).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;

const pieces = fc.constantFrom('word', 'Élan', '42', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '—', '-', '*', '…', '日本語', 'ñ', '😀', 'x😀', '\u0301', '"', 'l’été', '\ud800', '\u200b');

describe('countWords', () => {
	it('counts what split counted, for any mix of letters, digits, marks, emoji and every kind of space', () => {
		fc.assert(
			fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
				const text = parts.join('');
				expect(countWords(text)).toBe(wordsBefore(text));
			}),
			{ numRuns: 2_000 },
		);
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
				expect(countWords(text)).toBe(wordsBefore(text));
			}),
			{ numRuns: 2_000 },
		);
	});

	it('counts a free-standing dash or asterisk as no word, "examination--" as one', () => {
		expect(countWords('It was — * — an examination-- of sorts.')).toBe(6);
	});
});
