import { DEFAULT_FEEDBACK_EMOJI, type Scene, type Story, type StoryMeta } from './types.js';

export { estimateReadingMinutes, sceneText } from './text.js';

/** One problem in a story file, pointing at the line an author has to fix. */
export interface StoryError {
	/** The file as the caller named it, e.g. `story/after-the-end.md`. */
	file: string;
	/** 1-based line; 0 when the problem is the whole file or folder (e.g. it cannot be read). */
	line: number;
	message: string;
}

export type ParseStoryResult = { story: Story } | { errors: StoryError[] };

export const STORY_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_ID_LENGTH = 50;
export const MAX_TITLE_LENGTH = 200;
export const MAX_AUTHOR_LENGTH = 100;
export const MAX_SCENE_TITLE_LENGTH = 100;
export const MAX_FEEDBACK_EMOJI = 5;

export const METADATA_KEYS = [
	'id',
	'title',
	'author',
	'notes',
	'challenge',
	'disclaimer',
	'content-notes',
	'feedback',
	'source',
	'feedback-emoji',
] as const;
type MetadataKey = (typeof METADATA_KEYS)[number];

const FRONT_MATTER_FENCE = '---';
const SCENE_MARKER_HELP = 'start each scene with "# Scene" or "# Scene: <title>"';

/** `file:line: message`, or `file: message` for problems that have no line. */
export function formatStoryError(error: StoryError): string {
	return error.line > 0 ? `${error.file}:${error.line}: ${error.message}` : `${error.file}: ${error.message}`;
}

/**
 * Parses one story file (see story/README.md for the format). Pure: `file` is only used for
 * messages and for the default id. Returns every problem found, not just the first, so an
 * author can fix a file in one pass.
 */
export function parseStory(text: string | Uint8Array, file: string): ParseStoryResult {
	const errors: StoryError[] = [];
	const report = (line: number, message: string): void => {
		errors.push({ file, line, message });
	};

	let decoded: string;
	if (typeof text === 'string') {
		decoded = text;
	} else {
		const result = decodeUtf8(text);
		decoded = result.text;
		if (result.invalid) {
			report(
				result.invalid.line,
				`not UTF-8: byte 0x${hex(result.invalid.byte)} does not form a valid character (save the file as UTF-8)`,
			);
		}
	}

	const lines = splitLines(decoded);
	for (const [index, line] of lines.entries()) {
		const control = findControlCharacter(line);
		if (control) report(index + 1, `control character ${control.name} at column ${control.column} (only tabs and line breaks are allowed)`);
	}

	if (lines.every((line) => line.trim() === '')) {
		report(1, 'empty file (a story needs front matter and at least one scene)');
		return { errors: sortByLine(errors) };
	}

	const frontMatter = splitFrontMatter(lines, report);
	const meta = frontMatter ? parseFrontMatter(lines, frontMatter, report) : undefined;
	const id = meta ? storyIdFor(meta.id, file, report) : undefined;
	const body = parseBody(lines, frontMatter ? frontMatter.bodyStart : 0, frontMatter !== undefined, report);

	if (errors.length > 0 || !meta?.meta || id === undefined) return { errors: sortByLine(errors) };
	return { story: { id, file, meta: meta.meta, scenes: body.scenes, afterword: body.afterword } };
}

// ---------------------------------------------------------------------------------------------
// Bytes and lines

interface InvalidByte {
	line: number;
	byte: number;
}

/** Decodes strictly; on failure still returns a lossy decoding so the rest of the file gets checked. */
function decodeUtf8(bytes: Uint8Array): { text: string; invalid?: InvalidByte } {
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		const offset = firstInvalidUtf8Offset(bytes);
		const text = new TextDecoder('utf-8').decode(bytes);
		if (offset < 0) return { text };
		let line = 1;
		for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line += 1;
		return { text, invalid: { line, byte: bytes[offset] ?? 0 } };
	}
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629 table:
 * no overlongs, no surrogates, nothing above U+10FFFF), or -1. TextDecoder only says "invalid",
 * and an author needs the line.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const lead = bytes[i] ?? 0;
		if (lead < 0x80) {
			i += 1;
			continue;
		}
		let continuationBytes: number;
		let secondMin = 0x80;
		let secondMax = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) continuationBytes = 1;
		else if (lead === 0xe0) [continuationBytes, secondMin] = [2, 0xa0];
		else if (lead === 0xed) [continuationBytes, secondMax] = [2, 0x9f];
		else if (lead >= 0xe1 && lead <= 0xef) continuationBytes = 2;
		else if (lead === 0xf0) [continuationBytes, secondMin] = [3, 0x90];
		else if (lead === 0xf4) [continuationBytes, secondMax] = [3, 0x8f];
		else if (lead >= 0xf1 && lead <= 0xf3) continuationBytes = 3;
		else return i;
		for (let k = 1; k <= continuationBytes; k++) {
			const byte = bytes[i + k];
			const min = k === 1 ? secondMin : 0x80;
			const max = k === 1 ? secondMax : 0xbf;
			if (byte === undefined || byte < min || byte > max) return i;
		}
		i += continuationBytes + 1;
	}
	return -1;
}

/**
 * Lines without their terminators. A leading BOM is dropped, CRLF is accepted, and trailing
 * spaces, tabs and `\r` are trimmed because editors add and remove them invisibly; everything
 * else on a line is kept exactly as written.
 */
function splitLines(text: string): string[] {
	const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
	return withoutBom.split('\n').map((line) => line.replace(/[ \t\r]+$/u, ''));
}

// C0 and C1 controls and DEL, except tab; a `\r` left here is a lone CR inside a line.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/u;

function findControlCharacter(line: string): { name: string; column: number } | undefined {
	const match = CONTROL_CHARACTER.exec(line);
	if (!match) return undefined;
	const codePoint = match[0].codePointAt(0) ?? 0;
	const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
	const nickname = CONTROL_NICKNAMES[codePoint];
	return {
		name: nickname ? `${code} (${nickname})` : code,
		column: [...line.slice(0, match.index)].length + 1,
	};
}

const CONTROL_NICKNAMES: Record<number, string> = { 0x00: 'NUL', 0x0d: 'CR', 0x1b: 'ESC', 0x7f: 'DEL' };

function hex(byte: number): string {
	return byte.toString(16).toUpperCase().padStart(2, '0');
}

function sortByLine(errors: StoryError[]): StoryError[] {
	// Array.prototype.sort is stable, so problems on one line keep the order they were found in.
	return [...errors].sort((a, b) => a.line - b.line);
}

type Report = (line: number, message: string) => void;

// ---------------------------------------------------------------------------------------------
// Front matter

interface FrontMatterSpan {
	/** Index of the first line after the opening fence. */
	start: number;
	/** Index one past the last metadata line. */
	end: number;
	/** Index of the first body line. */
	bodyStart: number;
}

function splitFrontMatter(lines: readonly string[], report: Report): FrontMatterSpan | undefined {
	if (lines[0] !== FRONT_MATTER_FENCE) {
		report(1, `missing front matter: the first line must be "${FRONT_MATTER_FENCE}", followed by "key: value" lines and a closing "${FRONT_MATTER_FENCE}"`);
		return undefined;
	}
	// A heading can never be metadata: if one comes before the closing fence, the fence is
	// missing (a later `---` is story text), and the body most likely starts at that heading.
	// Checking the body anyway finds the author's other mistakes in the same run.
	const end = lines.findIndex((line, index) => index > 0 && (line === FRONT_MATTER_FENCE || isHeading(line)));
	if (end >= 0 && lines[end] === FRONT_MATTER_FENCE) return { start: 1, end, bodyStart: end + 1 };

	report(1, `unterminated front matter: no closing "${FRONT_MATTER_FENCE}" line after the one on line 1`);
	const bodyStart = end >= 0 ? end : lines.length;
	return { start: 1, end: bodyStart, bodyStart };
}

interface ParsedMeta {
	/** Undefined when a required key is missing (already reported). */
	meta?: StoryMeta;
	id?: { value: string; line: number };
}

function parseFrontMatter(lines: readonly string[], span: FrontMatterSpan, report: Report): ParsedMeta {
	const entries = new Map<MetadataKey, { value: string; line: number }>();
	for (let index = span.start; index < span.end; index++) {
		const line = lines[index] ?? '';
		const lineNumber = index + 1;
		if (line.trim() === '') continue;
		const colon = line.indexOf(':');
		if (colon < 0) {
			report(lineNumber, `expected "key: value" in the front matter, found ${quoteExcerpt(line)}`);
			continue;
		}
		const key = line.slice(0, colon).trim();
		const value = line.slice(colon + 1).trim();
		if (!isMetadataKey(key)) {
			report(lineNumber, unknownKeyMessage(key));
			continue;
		}
		const earlier = entries.get(key);
		if (earlier) {
			report(lineNumber, `duplicate metadata key "${key}" (first on line ${earlier.line})`);
			continue;
		}
		entries.set(key, { value, line: lineNumber });
		if (value === '') report(lineNumber, `empty value for "${key}" (remove the line or give it a value)`);
	}

	const fenceLine = span.start;
	const required = (key: 'title' | 'author', maxLength: number): string | undefined => {
		const entry = entries.get(key);
		if (!entry) {
			report(fenceLine, `missing "${key}" in the front matter`);
			return undefined;
		}
		if (entry.value.length > maxLength) {
			report(entry.line, `${key} is ${entry.value.length} characters long (at most ${maxLength})`);
		}
		return entry.value;
	};
	const title = required('title', MAX_TITLE_LENGTH);
	const author = required('author', MAX_AUTHOR_LENGTH);

	const contentNotesEntry = entries.get('content-notes');
	const contentNotes = contentNotesEntry ? splitContentNotes(contentNotesEntry.value) : [];
	if (contentNotesEntry && contentNotesEntry.value !== '' && contentNotes.length === 0) {
		report(contentNotesEntry.line, 'empty value for "content-notes" (separate notes with ";")');
	}

	const emojiEntry = entries.get('feedback-emoji');
	const feedbackEmoji = emojiEntry ? parseFeedbackEmoji(emojiEntry.value, emojiEntry.line, report) : [...DEFAULT_FEEDBACK_EMOJI];

	const id = entries.get('id');
	const parsed: ParsedMeta = id ? { id } : {};
	if (title === undefined || author === undefined) return parsed;
	const meta: StoryMeta = { title, author, contentNotes, feedbackEmoji };
	for (const [key, field] of OPTIONAL_TEXT_FIELDS) {
		const entry = entries.get(key);
		if (entry) meta[field] = entry.value;
	}
	return { ...parsed, meta };
}

const OPTIONAL_TEXT_FIELDS: ReadonlyArray<readonly [MetadataKey, 'notes' | 'challenge' | 'disclaimer' | 'feedback' | 'source']> = [
	['notes', 'notes'],
	['challenge', 'challenge'],
	['disclaimer', 'disclaimer'],
	['feedback', 'feedback'],
	['source', 'source'],
];

function isMetadataKey(key: string): key is MetadataKey {
	return (METADATA_KEYS as readonly string[]).includes(key);
}

function unknownKeyMessage(key: string): string {
	const likely = key.toLowerCase().replace(/[\s_]+/gu, '-');
	if (key !== likely && isMetadataKey(likely)) return `unknown metadata key "${key}" (did you mean "${likely}"?)`;
	return `unknown metadata key "${key}" (known keys: ${METADATA_KEYS.join(', ')})`;
}

/** `;`-separated; empty items (a trailing `;`) are dropped rather than reported. */
function splitContentNotes(value: string): string[] {
	return value
		.split(';')
		.map((note) => note.trim())
		.filter((note) => note !== '');
}

// Built at run time: the `v` flag is newer than the compile target, and Node 20 supports it.
const SINGLE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

function parseFeedbackEmoji(value: string, line: number, report: Report): string[] {
	const emoji = value.split(/\s+/u).filter((item) => item !== '');
	if (emoji.length > MAX_FEEDBACK_EMOJI) {
		report(line, `too many feedback emoji: ${emoji.length} (at most ${MAX_FEEDBACK_EMOJI})`);
	}
	const seen = new Set<string>();
	for (const item of emoji) {
		if (!SINGLE_EMOJI.test(item)) {
			report(line, `feedback emoji "${item}" is not a single unicode emoji (separate emoji with spaces; custom server emoji are not supported)`);
		} else if (seen.has(item)) {
			report(line, `duplicate feedback emoji "${item}"`);
		}
		seen.add(item);
	}
	return emoji;
}

function storyIdFor(given: ParsedMeta['id'], file: string, report: Report): string | undefined {
	const rules = `lowercase letters, digits and "-", starting with a letter or digit, at most ${MAX_ID_LENGTH} characters`;
	if (given) {
		if (isValidStoryId(given.value)) return given.value;
		if (given.value !== '') report(given.line, `invalid id "${given.value}" (${rules})`);
		return undefined;
	}
	const fileName = file.split(/[\\/]/u).pop() ?? file;
	const fromFileName = fileName.replace(/\.md$/u, '');
	if (isValidStoryId(fromFileName)) return fromFileName;
	report(1, `the file name "${fileName}" does not make a valid story id (${rules}); rename the file or add an "id:" line to the front matter`);
	return undefined;
}

export function isValidStoryId(id: string): boolean {
	return id.length <= MAX_ID_LENGTH && STORY_ID_PATTERN.test(id);
}

// ---------------------------------------------------------------------------------------------
// Body

interface Block {
	kind: 'scene' | 'afterword';
	/** The marker line as written, for messages. */
	heading: string;
	line: number;
	title?: string;
	paragraphs: string[];
}

function isHeading(line: string): boolean {
	return /^#+(?:\s|$)/u.test(line);
}

// Only comments that open and close on one line: anything longer is easy to leave unclosed,
// and then story text would silently disappear.
function isComment(line: string): boolean {
	return /^<!--(?:(?!-->).)*-->$/u.test(line.trim());
}

function parseBody(
	lines: readonly string[],
	start: number,
	hasFrontMatter: boolean,
	report: Report,
): { scenes: Scene[]; afterword: string[] } {
	const blocks: Block[] = [];
	let current: Block | undefined;
	let afterword: Block | undefined;
	let paragraph: string[] = [];
	let reportedTextBeforeFirstScene = false;

	const endParagraph = (): void => {
		if (paragraph.length > 0 && current) current.paragraphs.push(paragraph.join('\n'));
		paragraph = [];
	};
	const endBlock = (): void => {
		endParagraph();
		if (current && current.paragraphs.length === 0) {
			report(
				current.line,
				current.kind === 'scene'
					? `empty scene "${current.heading}" (a scene needs at least one paragraph)`
					: `empty afterword "${current.heading}" (remove it or add at least one paragraph)`,
			);
		}
	};

	for (let index = start; index < lines.length; index++) {
		const line = lines[index] ?? '';
		const lineNumber = index + 1;
		if (line.trim() === '' || isComment(line)) {
			endParagraph();
			continue;
		}
		if (line.trimStart().startsWith('<!--')) {
			endParagraph();
			report(lineNumber, 'a line starting with "<!--" must be one comment that closes with "-->" on the same line');
			continue;
		}
		if (isHeading(line)) {
			const marker = parseMarker(line, lineNumber, report);
			if (!marker) {
				endParagraph();
				continue;
			}
			endBlock();
			if (marker.kind === 'scene' && afterword) {
				report(lineNumber, `scene after the afterword ("# Afterword" on line ${afterword.line} must come after the last scene)`);
			}
			if (marker.kind === 'afterword' && afterword) {
				report(lineNumber, `second "# Afterword" (the first is on line ${afterword.line}; a story has at most one)`);
			}
			current = { ...marker, heading: line, line: lineNumber, paragraphs: [] };
			blocks.push(current);
			if (marker.kind === 'afterword' && !afterword) afterword = current;
			continue;
		}
		if (!current) {
			// Without front matter this text is most likely the metadata itself; the missing
			// front matter was already reported.
			if (hasFrontMatter && !reportedTextBeforeFirstScene) {
				report(lineNumber, `text before the first scene (${SCENE_MARKER_HELP})`);
			}
			reportedTextBeforeFirstScene = true;
			continue;
		}
		paragraph.push(line);
	}
	endBlock();

	const scenes: Scene[] = blocks
		.filter((block) => block.kind === 'scene')
		.map((block, index) => {
			const scene: Scene = { number: index + 1, paragraphs: block.paragraphs, line: block.line };
			if (block.title !== undefined) scene.title = block.title;
			return scene;
		});
	if (scenes.length === 0) {
		const line = Math.min(Math.max(start + 1, 1), lines.length);
		report(line, `no scenes (${SCENE_MARKER_HELP})`);
	}
	return { scenes, afterword: afterword?.paragraphs ?? [] };
}

function parseMarker(line: string, lineNumber: number, report: Report): Pick<Block, 'kind' | 'title'> | undefined {
	const text = line.replace(/^#\s+/u, '');
	if (line.startsWith('# ') || line.startsWith('#\t')) {
		if (text === 'Scene') return { kind: 'scene' };
		if (text === 'Afterword') return { kind: 'afterword' };
		if (text.startsWith('Scene:')) {
			const title = text.slice('Scene:'.length).trim();
			if (title === '') {
				report(lineNumber, 'empty scene title after "# Scene:" (write "# Scene" for a scene without a title)');
			} else if (title.length > MAX_SCENE_TITLE_LENGTH) {
				report(lineNumber, `scene title is ${title.length} characters long (at most ${MAX_SCENE_TITLE_LENGTH})`);
			}
			return { kind: 'scene', title };
		}
	}
	report(
		lineNumber,
		`unknown heading ${quoteExcerpt(line)} (${SCENE_MARKER_HELP}, and the footer with "# Afterword"; write "\\#" for a literal "#")`,
	);
	return undefined;
}

function quoteExcerpt(line: string): string {
	const excerpt = line.length > 40 ? `${line.slice(0, 40)}…` : line;
	return `"${excerpt}"`;
}
