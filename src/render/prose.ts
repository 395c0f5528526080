import { splitText } from './split.js';

/*
 * Story text as Discord shows it. Authors write prose in Discord Markdown, so inline syntax
 * (`*italics*`, `||spoilers||`, links) and block quotes (`> ` letters and verse) render as written, and
 * code fences show their contents untouched. What prose never means but Discord would render is shown
 * as typed: a line of dialogue starting "- " or "* " (a list), "1." (a numbered list), `#` (a heading),
 * `-#` (subtext) and `>>> ` (which would quote the rest of the whole message). Markdown rules from
 * https://support.discord.com/hc/en-us/articles/210298617 (Markdown Text 101).
 *
 * One backslash at most per line, so `unescapeBlockMarkdown` (escape.ts) undoes it exactly.
 */
const PROSE_MARKER = /^([ \t]*(?:>[ \t]+)?)(?:(#{1,3}[ \t]|-#[ \t]|[*-][ \t]|>>>[ \t])|(\d+)\.)/u;

/** A scene break as the reader sees it: centred by blank braille cells, which Discord never trims. */
export const SCENE_BREAK_TEXT = `${'\u2800'.repeat(14)}⁂`;

function fenceMarker(line: string): string | undefined {
	return /^ {0,3}(`{3,}|~{3,})/u.exec(line)?.[1];
}

/** Story text (one or more paragraphs) ready for an embed description; fenced code is left alone. */
export function escapeProse(text: string): string {
	let fence: string | undefined;
	return text
		.split('\n')
		.map((line) => {
			const marker = fenceMarker(line);
			if (fence !== undefined) {
				if (marker !== undefined && marker.startsWith(fence) && line.trim() === marker) fence = undefined;
				return line;
			}
			if (marker !== undefined) {
				fence = marker;
				return line;
			}
			return line.replace(PROSE_MARKER, (_match, indent: string, block: string | undefined, number: string | undefined) =>
				block === undefined ? `${indent}${number}\\.` : `${indent}\\${block}`,
			);
		})
		.join('\n');
}

const ESCAPED_PROSE_MARKER = /^([ \t]*(?:>[ \t]+)?)(?:\\(#{1,3}[ \t]|-#[ \t]|[*-][ \t]|>>>[ \t])|(\d+)\\\.)/u;

/**
 * Inverse of `escapeProse` for text without fences and without an author-written backslash before a
 * line-start marker: `unescapeProse(escapeProse(t)) === t`. For tests and tools that compare what is
 * posted with the story file.
 */
export function unescapeProse(text: string): string {
	return text
		.split('\n')
		.map((line) =>
			line.replace(ESCAPED_PROSE_MARKER, (_match, indent: string, block: string | undefined, number: string | undefined) =>
				block === undefined ? `${indent}${number}.` : `${indent}${block}`,
			),
		)
		.join('\n');
}

/** `escapeProse(text).length`: what a piece of text costs in an embed. */
export function escapedProseLength(text: string): number {
	// Measured for every candidate chunk while splitting: without a fence, one backslash per marked line.
	if (!ANY_FENCE.test(text)) return text.length + (text.match(PROSE_MARKERS)?.length ?? 0);
	return escapeProse(text).length;
}
const ANY_FENCE = /^ {0,3}(?:`{3,}|~{3,})/mu;
const PROSE_MARKERS = new RegExp(PROSE_MARKER.source, 'gmu');

// Discord's inline formatting markers, longest first so `**` is not read as two `*`.
const EMPHASIS = ['||', '~~', '**', '__', '*', '_'] as const;

/**
 * The inline formatting still open at the end of `text`, in the order it was opened, e.g. `['**', '*']`
 * for "**bold and *both". Backslash escapes and `code spans` are skipped; `_` inside a word
 * (snake_case) is not a marker, and neither is a `*` or `_` with spaces on both sides (5 * 3).
 * Fenced code has no formatting. An approximation of Discord's parser, good for prose.
 */
export function openEmphasis(text: string): string[] {
	const open: string[] = [];
	let fence: string | undefined;
	let lineStart = true;
	for (let index = 0; index < text.length; ) {
		if (lineStart) {
			const lineEnd = text.indexOf('\n', index);
			const line = text.slice(index, lineEnd < 0 ? text.length : lineEnd);
			const marker = fenceMarker(line);
			if (fence !== undefined || marker !== undefined) {
				if (fence === undefined) fence = marker;
				else if (marker !== undefined && marker.startsWith(fence) && line.trim() === marker) fence = undefined;
				index = lineEnd < 0 ? text.length : lineEnd + 1;
				continue;
			}
		}
		const char = text[index]!;
		lineStart = char === '\n';
		if (char === '\\') {
			index += 2;
			continue;
		}
		if (char === '`') {
			const close = text.indexOf('`', index + 1);
			const newline = text.indexOf('\n', index + 1);
			if (close > 0 && (newline < 0 || close < newline)) {
				index = close + 1;
				continue;
			}
		}
		const marker = EMPHASIS.find((candidate) => text.startsWith(candidate, index));
		if (marker === undefined) {
			index += 1;
			continue;
		}
		const before = text[index - 1] ?? ' ';
		const after = text[index + marker.length] ?? ' ';
		const spaced = /\s/u.test(before) && /\s/u.test(after);
		const intraword = marker.startsWith('_') && /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after);
		if (!spaced && !intraword) {
			const at = open.lastIndexOf(marker);
			if (at >= 0 && !/\s/u.test(before)) open.splice(at, 1);
			else if (!/\s/u.test(after)) open.push(marker);
		}
		index += marker.length;
	}
	return open;
}

/** Whether a code fence is still open at the end of `text`, and with which marker. */
function openFence(text: string): string | undefined {
	let fence: string | undefined;
	for (const line of text.split('\n')) {
		const marker = fenceMarker(line);
		if (marker === undefined) continue;
		if (fence === undefined) fence = marker;
		else if (marker.startsWith(fence) && line.trim() === marker) fence = undefined;
	}
	return fence;
}

/** Room kept in each piece of a long paragraph for the formatting closed before a cut and reopened after it. */
const CARRY_ROOM = 64;

/**
 * A paragraph too long for one embed, as pieces of at most `max` escaped characters, cut at sentence
 * ends first (see splitText). Formatting open across a cut is closed at the end of one piece and
 * reopened at the start of the next, so italics never turn into stray asterisks; so is a code fence,
 * and a block quote goes on in the next piece. `locale` is the text's language (BCP 47): where a cut
 * must fall inside a run without spaces, it is at a sentence end or word boundary in that language
 * (see splitText). Returns escaped text.
 */
export function splitLongParagraph(paragraph: string, max: number, locale?: string): string[] {
	if (escapedProseLength(paragraph) <= max) return [escapeProse(paragraph)];
	const { chunks: pieces, separators } = splitText(paragraph, max - CARRY_ROOM, { measure: escapedProseLength, ...(locale === undefined ? {} : { locale }) });
	const result: string[] = [];
	let carried = '';
	for (const [index, piece] of pieces.entries()) {
		// A piece that starts a quote line itself needs no carried quote marker.
		const text = (carried.startsWith('> ') && /^[ \t]*>[ \t]/u.test(piece) ? carried.slice(2) : carried) + piece;
		const fence = openFence(text);
		const emphasis = fence === undefined ? openEmphasis(text) : [];
		const lastLine = text.slice(text.lastIndexOf('\n') + 1);
		// A quote goes on only when the cut is inside its line.
		const quoted = fence === undefined && /^[ \t]*>[ \t]/u.test(lastLine) && !/\n/u.test(separators[index + 1] ?? '');
		const closing = fence !== undefined ? `\n${fence}` : [...emphasis].reverse().join('');
		result.push(escapeProse(text) + closing);
		carried = fence !== undefined ? `${fence}\n` : `${quoted ? '> ' : ''}${emphasis.join('')}`;
	}
	return result;
}
