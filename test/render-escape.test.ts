import { escapeMarkdown } from '@discordjs/formatters';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defuseMassMentions, escapeBlockMarkdown, escapedBlockLength, unescapeBlockMarkdown } from '../src/render/escape.js';

const marker = fc.constantFrom('# ', '## ', '### ', '#### ', '#\t', '-# ', '- ', '* ', '+ ', '1. ', '10.', '2.5', '> ', '>>> ', '>> ', '>', '-', '*', '#');
const token = fc.oneof(
	{ weight: 3, arbitrary: marker },
	{ weight: 3, arbitrary: fc.constantFrom('word', '*it*', '**b**', '||s||', '`c`', '@everyone', '<@123>', '👩‍👩‍👧‍👦', 'é', '7') },
	{ weight: 2, arbitrary: fc.constantFrom(' ', '  ', '\t', '\n', '\n\n', '\r\n') },
);
const markdownText = fc.array(token, { maxLength: 40 }).map((tokens) => tokens.join(''));
const withBackslashes = fc.array(fc.oneof(token, fc.constant('\\')), { maxLength: 40 }).map((tokens) => tokens.join(''));

/** What Discord would read as block syntax at the start of a line, written independently of the escaper. */
const DISCORD_BLOCK_LINE = /^[ \t]*(?:#{1,3}[ \t]|-#[ \t]|[-*][ \t]|\d+\.[ \t]|>(?:>>)?[ \t])/m;

describe('escapeBlockMarkdown', () => {
	it.each([
		['# Title', '\\# Title'],
		['## Two', '\\## Two'],
		['### Three', '\\### Three'],
		['-# small print', '\\-# small print'],
		['- Run!', '\\- Run!'],
		['* star', '\\* star'],
		['1. one', '1\\. one'],
		['  12. twelve', '  12\\. twelve'],
		['> quoted', '\\> quoted'],
		['>>> all of it', '\\>>> all of it'],
		['  - indented', '  \\- indented'],
		['- # both', '\\- # both'],
		['She said:\n- no\n> maybe\n# never', 'She said:\n\\- no\n\\> maybe\n\\# never'],
	])('escapes %j', (input, escaped) => {
		expect(escapeBlockMarkdown(input)).toBe(escaped);
		expect(unescapeBlockMarkdown(escaped)).toBe(input);
	});

	it.each(['#### four is not a heading', '#hashtag', '*italics* stay', '**bold** stays', '-dash', 'a - b # c > d 1. e', '||spoiler||', '>> not a quote', '\\- already escaped'])(
		'leaves %j alone',
		(input) => {
			expect(escapeBlockMarkdown(input)).toBe(input);
		},
	);

	it('leaves no line that Discord would read as a heading, subtext, list or quote', () => {
		fc.assert(
			fc.property(withBackslashes, (text) => {
				expect(escapeBlockMarkdown(text)).not.toMatch(DISCORD_BLOCK_LINE);
			}),
			{ numRuns: 500 },
		);
	});

	it('is undone exactly by unescapeBlockMarkdown when the author wrote no backslashes', () => {
		fc.assert(
			fc.property(markdownText, (text) => {
				expect(unescapeBlockMarkdown(escapeBlockMarkdown(text))).toBe(text);
			}),
			{ numRuns: 500 },
		);
	});

	it('with author backslashes, is undone up to lines the author had already escaped', () => {
		fc.assert(
			fc.property(withBackslashes, (text) => {
				expect(unescapeBlockMarkdown(escapeBlockMarkdown(text))).toBe(unescapeBlockMarkdown(text));
			}),
			{ numRuns: 500 },
		);
	});

	it('only adds backslashes, and escapedBlockLength counts them without escaping', () => {
		fc.assert(
			fc.property(withBackslashes, (text) => {
				const escaped = escapeBlockMarkdown(text);
				expect(escapedBlockLength(text)).toBe(escaped.length);
				expect(escaped.replaceAll('\\', '')).toBe(text.replaceAll('\\', ''));
			}),
			{ numRuns: 500 },
		);
	});

	it('escapes every line that @discordjs/formatters would escape as a heading or list', () => {
		const formattersBlockOnly = (text: string) =>
			escapeMarkdown(text, {
				codeBlock: false,
				inlineCode: false,
				bold: false,
				italic: false,
				underline: false,
				strikethrough: false,
				spoiler: false,
				escape: false,
				heading: true,
				bulletedList: true,
				numberedList: true,
			});
		fc.assert(
			fc.property(markdownText, (text) => {
				for (const line of text.split('\n')) {
					if (formattersBlockOnly(line) !== line) expect(escapeBlockMarkdown(line)).not.toBe(line);
				}
			}),
			{ numRuns: 500 },
		);
	});
});

describe('defuseMassMentions', () => {
	it('puts a zero-width space after the @ of @everyone and @here only', () => {
		expect(defuseMassMentions('hey @everyone and @here, <@123> <@&456>')).toBe('hey @\u200beveryone and @\u200bhere, <@123> <@&456>');
	});
});
