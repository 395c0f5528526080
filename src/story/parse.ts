import { parseFrontMatter, type ParsedMeta, type Report } from './front-matter.js';
import { isHeading, parseBody } from './body.js';
import { detectScriptLanguage, languageName, scriptName } from './language.js';
import type { Scene, Story } from './types.js';

export { estimateReadingMinutes, sceneText } from './text.js';

/** One problem in a story file, pointing at the line an author has to fix. */
export interface StoryError {
	/** The file as the caller named it, e.g. `story/after-the-end.md`. */
	file: string;
	/** 1-based line; 0 when the problem is the whole file or folder (e.g. it cannot be read). */
	line: number;
	message: string;
}

/**
 * A story, or every error found. `warnings` are things that are allowed but most likely not meant
 * (`#Scene` without a space, HTML tags): `story:check` prints them, the bot loads the story anyway.
 */
/** `id` on a refused file: its `id:` when the front matter gave a valid one, else the one its file name makes (readings of it are told "has a mistake"). */
export type ParseStoryResult = { story: Story; warnings: StoryError[] } | { errors: StoryError[]; warnings: StoryError[]; id?: string };

export const STORY_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_ID_LENGTH = 50;
export { FIELD_LIMITS, METADATA_KEYS, MAX_FEEDBACK_EMOJI } from './front-matter.js';

const FRONT_MATTER_FENCE = '---';

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
	const warnings: StoryError[] = [];
	const report = (line: number, message: string): void => {
		errors.push({ file, line, message });
	};
	const warn = (line: number, message: string): void => {
		warnings.push({ file, line, message });
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
		return { errors: sortByLine(errors), warnings };
	}

	const frontMatter = splitFrontMatter(lines, report);
	const meta = frontMatter
		? parseFrontMatter(lines.slice(frontMatter.start, frontMatter.end).join('\n'), frontMatter.start + 1, frontMatter.start, report, warn)
		: undefined;
	const id = meta ? storyIdFor(meta.id, file, report) : undefined;
	const body = parseBody(lines, frontMatter ? frontMatter.bodyStart : 0, frontMatter !== undefined, report, warn);
	if (meta?.meta && meta.meta.language === undefined) checkUndeclaredLanguage(body.scenes, warn);
	if (meta?.meta && meta.chapters && body.chapters) checkChapterCount(meta.chapters, meta.meta.status, body.chapters.length, report, warn);

	if (errors.length > 0 || !meta?.meta || id === undefined) {
		const meant = meta?.id !== undefined && isValidStoryId(meta.id.value) ? meta.id.value : idFromFileName(file);
		return { errors: sortByLine(errors), warnings: sortByLine(warnings), ...(meant === undefined ? {} : { id: meant }) };
	}
	const story: Story = { id, file, meta: meta.meta, scenes: body.scenes, afterword: body.afterword };
	if (body.chapters) story.chapters = body.chapters;
	if (meta.id !== undefined) {
		story.idPinned = true;
		story.idLine = meta.id.line;
	}
	return { story, warnings: sortByLine(warnings) };
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
	return withoutBom.split('\n').map(trimLineEnd);
}

/** `line` without trailing spaces, tabs and `\r`: what `replace(/[ \t\r]+$/u, '')` did, a fifth of the load time of 500 stories. */
function trimLineEnd(line: string): string {
	let end = line.length;
	for (let code = line.charCodeAt(end - 1); code === 0x20 || code === 0x09 || code === 0x0d; code = line.charCodeAt(end - 1)) end--;
	return end === line.length ? line : line.slice(0, end);
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

function storyIdFor(given: ParsedMeta['id'], file: string, report: Report): string | undefined {
	const rules = `lowercase letters, digits and "-", starting with a letter or digit, at most ${MAX_ID_LENGTH} characters`;
	if (given) {
		if (isValidStoryId(given.value)) return given.value;
		if (given.value !== '') report(given.line, `invalid id "${given.value}" (${rules})`);
		return undefined;
	}
	const fromFileName = idFromFileName(file);
	if (fromFileName !== undefined) return fromFileName;
	const fileName = file.split(/[\\/]/u).pop() ?? file;
	report(1, `the file name "${fileName}" does not make a valid story id (${rules}); rename the file or add an "id:" line to the front matter`);
	return undefined;
}

/** The id a file without `id:` gets: its name without `.md` (`story/quay.md` → `quay`), when that is a valid id. */
export function idFromFileName(file: string): string | undefined {
	const fromFileName = (file.split(/[\\/]/u).pop() ?? file).replace(/\.md$/u, '');
	return isValidStoryId(fromFileName) ? fromFileName : undefined;
}

export function isValidStoryId(id: string): boolean {
	return id.length <= MAX_ID_LENGTH && STORY_ID_PATTERN.test(id);
}

/**
 * AO3's `chapters: posted/planned` against a chaptered file: the bot posts the chapters the file has,
 * so a `posted` that differs is a line the author forgot to update (a warning at that line, with the
 * value to write), and more chapters than planned means the plan changed. A complete story with fewer
 * chapters than planned would label its last chapter "Chapter 3 of 12" and then end: an error.
 */
function checkChapterCount(given: NonNullable<ParsedMeta['chapters']>, status: Story['meta']['status'], inFile: number, report: Report, warn: Report): void {
	const value = `${given.posted}/${given.planned ?? '?'}`;
	if (given.planned !== undefined && inFile > given.planned) {
		warn(given.line, `chapters "${value}" plans ${given.planned} chapters but the file has ${inFile}: write "chapters: ${inFile}/${inFile}" if the story is complete, or "chapters: ${inFile}/?"`);
	} else if (given.planned !== undefined && inFile < given.planned && given.posted === given.planned && status !== 'in-progress') {
		// (fewer posted than planned with status: complete is reported at the same line by the front matter)
		report(given.line, `chapters "${value}" says the story is complete with ${given.planned} chapters, but the file has ${inFile}: add the missing chapters, or write "chapters: ${inFile}/${given.planned}" (in progress) or "chapters: ${inFile}/${inFile}" (complete)`);
	} else if (given.posted !== inFile) {
		warn(given.line, `chapters "${value}" says ${given.posted} ${given.posted === 1 ? 'chapter is' : 'chapters are'} posted but the file has ${inFile}: the bot posts the file's chapters, so write "chapters: ${inFile}/${given.planned ?? '?'}"`);
	}
}

/**
 * A story without `language:` is cut and timed as English; a text mostly in Chinese, Japanese or
 * Korean characters, or in Hebrew or Arabic letters, most likely is not: a warning at line 1 (the
 * front matter's opening line) naming the tag to add (detectScriptLanguage).
 */
function checkUndeclaredLanguage(scenes: readonly Scene[], warn: Report): void {
	let sample = '';
	for (const scene of scenes) {
		for (const paragraph of scene.paragraphs) {
			sample += `${paragraph}\n`;
			if (sample.length > 4000) break;
		}
		if (sample.length > 4000) break;
	}
	const detected = detectScriptLanguage(sample);
	if (detected === undefined) return;
	const name = languageName(detected.tag);
	const other = detected.script === 'Arab' ? ` (or the tag of the language it is in: "fa", "ur"...)` : '';
	warn(
		1,
		`the text is mostly in ${scriptName(detected.script)} script but the front matter has no "language:", so reading time and where sittings and long paragraphs are cut assume English: add "language: ${detected.tag}" (${name})${other}`,
	);
}
