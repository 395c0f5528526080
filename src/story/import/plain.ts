import { isSeparatorText } from './html.js';
import type { ImportResult } from './model.js';

/*
 * Plain text as old archives and mailing lists kept it: an optional header (a title line, "by
 * Author", `Key: value` lines), then paragraphs separated by blank lines, scene breaks as separator
 * lines (`* * *`, `#`, `~~~`). Text is not Markdown-escaped: plain-text fiction writes `*emphasis*`
 * and `_underline_` on purpose, and Discord shows them as meant. Only line starts that the story
 * format reads as its own syntax (`#` headings, HTML comments, code fences) get a backslash.
 */

/** Header keys (lowercase) to front matter keys. */
const HEADER_KEYS: Record<string, string> = {
	title: 'title',
	author: 'author',
	by: 'author',
	summary: 'summary',
	notes: 'notes',
	note: 'notes',
	"author's notes": 'notes',
	"author's note": 'notes',
	challenge: 'challenge',
	prompt: 'challenge',
	disclaimer: 'disclaimer',
	rating: 'rating',
	warnings: 'warnings',
	warning: 'warnings',
	'archive warnings': 'warnings',
	'content notes': 'content-notes',
	'content warnings': 'content-notes',
	fandom: 'fandoms',
	fandoms: 'fandoms',
	pairing: 'relationships',
	pairings: 'relationships',
	relationship: 'relationships',
	relationships: 'relationships',
	characters: 'characters',
	tags: 'tags',
	language: 'language',
	series: 'series',
	feedback: 'feedback',
	archive: 'source',
	source: 'source',
	status: 'status',
};
const LIST_KEYS = new Set(['warnings', 'fandoms', 'relationships', 'characters', 'tags']);

interface Block {
	lines: string[];
	/** 1-based line of its first line. */
	line: number;
	/** Blank lines before it. */
	blanksBefore: number;
}

function blocksOf(lines: readonly string[]): Block[] {
	const blocks: Block[] = [];
	let current: Block | undefined;
	let blanks = 0;
	lines.forEach((line, index) => {
		if (line.trim() === '') {
			current = undefined;
			blanks += 1;
			return;
		}
		if (!current) {
			current = { lines: [], line: index + 1, blanksBefore: blanks };
			blocks.push(current);
			blanks = 0;
		}
		current.lines.push(line);
	});
	return blocks;
}

function headerField(line: string): { key: string; value: string } | undefined {
	const match = /^([A-Za-z][A-Za-z' ]{0,20}):\s*(.*)$/u.exec(line);
	if (!match) return undefined;
	const key = HEADER_KEYS[match[1]!.trim().toLowerCase()];
	return key === undefined || match[2]!.trim() === '' ? undefined : { key, value: match[2]!.trim() };
}

/** A line the story format would read as its own syntax, made literal. */
function escapeLine(line: string): string {
	if (/^#+(?:\s|$)/u.test(line)) return `\\${line}`;
	if (/^\s*<!--/u.test(line)) return line.replace('<!--', '\\<!--');
	if (/^ {0,3}(?:`{3,}|~{3,})/u.test(line) && !isSeparatorText(line)) return line.replace(/^( {0,3})/u, '$1\\');
	return line;
}

/**
 * Reads plain text (`file` names the source in notes). Returns one story in one chapter, its
 * scenes split at separator lines. Notes tell the author where the text most likely lost scene
 * breaks or words in an earlier conversion; nothing is guessed into the text.
 */
export function importPlainText(text: string, file: string): ImportResult {
	const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u).map((line) => line.replace(/[ \t]+$/u, ''));
	const blocks = blocksOf(lines);
	const meta: Record<string, string | string[]> = {};
	const notes: string[] = [];

	// The header: a title line first, a byline, then paragraphs of `Key: value` lines.
	let index = 0;
	const first = blocks[0];
	const titleLine = (line: string): boolean => !headerField(line) && line.length <= 200 && !/[.!?…"”]$/u.test(line);
	if (first && first.lines.length === 1 && titleLine(first.lines[0]!) && blocks.length > 1) {
		meta.title = first.lines[0]!.trim();
		index = 1;
	} else if (first && first.lines.length >= 2 && titleLine(first.lines[0]!) && blocks.length > 1) {
		// The title, its byline and `Key: value` lines on consecutive lines, as often as apart.
		const byline = /^by\s+(.{1,100})$/iu.exec(first.lines[1]!.trim());
		const fields = first.lines.slice(byline ? 2 : 1).map(headerField);
		if ((byline || fields.length > 0) && fields.every((field) => field !== undefined)) {
			meta.title = first.lines[0]!.trim();
			if (byline) meta.author = byline[1]!.trim();
			for (const field of fields) addField(meta, field!.key, field!.value);
			index = 1;
		}
	}
	for (; index < blocks.length; index++) {
		const block = blocks[index]!;
		const byline = block.lines.length === 1 ? /^by\s+(.{1,100})$/iu.exec(block.lines[0]!.trim()) : null;
		if (byline && meta.author === undefined && index <= 2) {
			meta.author = byline[1]!.trim();
			continue;
		}
		const fields = block.lines.map(headerField);
		if (fields.every((field) => field !== undefined)) {
			for (const field of fields) addField(meta, field!.key, field!.value);
			continue;
		}
		// One field whose value runs over several lines.
		const head = fields[0];
		if (head && block.lines.length > 1 && block.lines.slice(1).every((line) => !headerField(line)) && index < 8 && Object.keys(meta).length > 0) {
			addField(meta, head.key, [head.value, ...block.lines.slice(1).map((line) => line.trim())].join('\n'));
			continue;
		}
		break;
	}
	const body = blocks.slice(index);

	// A file with one paragraph a line and no blank lines at all.
	const oneParagraphPerLine = body.length === 1 && body[0]!.lines.length > 1;
	const paragraphs: { text: string; separator: boolean; line: number; blanksBefore: number }[] = [];
	for (const block of oneParagraphPerLine ? body[0]!.lines.map((line, offset) => ({ lines: [line], line: body[0]!.line + offset, blanksBefore: 0 })) : body) {
		let current: string[] = [];
		let line = block.line;
		const flush = (): void => {
			if (current.length > 0) paragraphs.push({ text: current.join('\n'), separator: false, line, blanksBefore: block.blanksBefore });
			current = [];
		};
		block.lines.forEach((text, offset) => {
			if (isSeparatorText(text)) {
				flush();
				paragraphs.push({ text, separator: true, line: block.line + offset, blanksBefore: block.blanksBefore });
				line = block.line + offset + 1;
			} else {
				current.push(escapeLine(text));
			}
		});
		flush();
	}
	if (oneParagraphPerLine) notes.push(`${file}: no blank lines between paragraphs: each line became a paragraph`);

	const scenes: string[][] = [[]];
	for (const paragraph of paragraphs) {
		if (paragraph.separator) {
			if (scenes.at(-1)!.length > 0) scenes.push([]);
			continue;
		}
		scenes.at(-1)!.push(paragraph.text);
	}
	if (scenes.length > 1 && scenes.at(-1)!.length === 0) scenes.pop();
	if (!paragraphs.some((paragraph) => paragraph.separator) && paragraphs.length > 1) {
		notes.push('no scene breaks found: the text is one scene. If the source lost them, add a "* * *" line where each scene changes');
	}
	const gaps = body.filter((block, position) => position > 0 && block.blanksBefore >= 2).map((block) => block.line);
	if (gaps.length > 0 && !oneParagraphPerLine) {
		notes.push(`several blank lines in a row before line${gaps.length === 1 ? '' : 's'} ${gaps.join(', ')} of ${file}: text or a scene break may have been lost there in an earlier conversion (kept as one paragraph break; check the original)`);
	}
	if (meta.title === undefined) notes.push('no title line found: set "title" in the front matter');
	if (meta.author === undefined) notes.push('no "by Author" line found: add "author" to the front matter');
	const ordered: Record<string, string | string[]> = {};
	for (const key of ['title', 'author', ...Object.keys(meta)]) if (meta[key] !== undefined) ordered[key] = meta[key]!;
	const hasText = scenes[0]!.length > 0;
	return { stories: hasText ? [{ meta: ordered, chapters: [{ scenes }] }] : [], leftOut: [], notes, kind: 'plain text' };
}

function addField(meta: Record<string, string | string[]>, key: string, value: string): void {
	if (LIST_KEYS.has(key)) {
		const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
		meta[key] = [...((meta[key] as string[] | undefined) ?? []), ...items];
	} else if (key === 'content-notes') {
		meta[key] = meta[key] === undefined ? value : `${String(meta[key])}; ${value}`;
	} else if (meta[key] === undefined) {
		meta[key] = value;
	} else {
		meta[key] = `${String(meta[key])}\n\n${value}`;
	}
}
