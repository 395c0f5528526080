import { parseChapterFrontMatter, quoteExcerpt, type Report } from './front-matter.js';
import { takeMarkerId } from './keys.js';
import type { Chapter, Scene } from './types.js';

/** Scene, chapter and part titles at most this long. */
export const MAX_SCENE_TITLE_LENGTH = 100;
const SCENE_MARKER_HELP = 'start each scene with "# Scene" or "# Scene: <title>"';
const HEADING_HELP = `${SCENE_MARKER_HELP}, or each chapter with "# Chapter" or "# Chapter: <title>", and the footer with "# Afterword"; write "\\#" for a literal "#"`;

export function isHeading(line: string): boolean {
	return /^#+(?:\s|$)/u.test(line);
}

/**
 * A scene break inside a chapter, as manuscripts write them: `* * *`, `***` (three or more
 * asterisks, spaces allowed between), a line holding only `#`, or `⁂`.
 */
export function isSceneBreak(line: string): boolean {
	return /^(?:\*[ \t]*){3,}$|^#$|^⁂$/u.test(line.trim());
}

/** A code fence opens or closes on a line starting with three backticks or tildes (CommonMark). */
function fenceOf(line: string): string | undefined {
	return /^ {0,3}(`{3,}|~{3,})/u.exec(line)?.[1];
}

// Only comments that open and close on one line: anything longer is easy to leave unclosed,
// and then story text would silently disappear.
function isComment(line: string): boolean {
	return /^<!--(?:(?!-->).)*-->$/u.test(line.trim());
}

type MarkerKind = 'scene' | 'chapter' | 'part' | 'afterword';
interface Marker {
	kind: MarkerKind;
	title?: string;
	id?: string;
}

interface Segment {
	line: number;
	paragraphs: string[];
}

interface Block {
	kind: MarkerKind;
	heading: string;
	line: number;
	title?: string;
	id?: string;
	/** Scene and afterword text; a chapter's text between scene breaks. */
	segments: Segment[];
	/** A scene break was the last thing in this chapter. */
	pendingBreak?: number;
	part?: { number: number; title?: string };
	notes?: string;
	endNotes?: string;
}

export interface Body {
	scenes: Scene[];
	/** Only in a chaptered story. */
	chapters?: Chapter[];
	afterword: string[];
}

const HTML_TAG = /<\/?(?:i|b|em|strong|u|s|p|br|span|div|a|blockquote|hr|sup|sub|center|strike|del)\b[^>]*>/iu;

/**
 * The story body (see story/README.md): either `# Scene` blocks (every scene one `/next`), or
 * `# Chapter` blocks, optionally under `# Part` headings, each with its own front matter (notes,
 * end notes) and scene breaks; then an optional `# Afterword`. Code fences hold any text, `#` lines
 * included. Reports errors through `report`, and through `warn` what is allowed but likely a mistake.
 */
export function parseBody(lines: readonly string[], start: number, hasFrontMatter: boolean, report: Report, warn: Report): Body {
	const blocks: Block[] = [];
	let structure: { kind: 'scene' | 'chapter'; line: number } | undefined;
	let current: Block | undefined;
	let afterword: Block | undefined;
	let part: { number: number; title?: string; line: number; chapters: number; textReported: boolean } | undefined;
	let parts = 0;
	let paragraph: string[] = [];
	let fence: { marker: string; line: number } | undefined;
	let reportedTextBeforeFirstScene = false;
	// Reported once the story is read: a chaptered story's text goes before its first chapter.
	let textBeforeFirst: { line: number; text: string } | undefined;

	const segment = (): Segment | undefined => current?.segments.at(-1);
	const endParagraph = (): void => {
		const open = segment();
		if (paragraph.length > 0 && open) {
			open.paragraphs.push(paragraph.join('\n'));
			if (current) current.pendingBreak = undefined;
		}
		paragraph = [];
	};
	const endPart = (): void => {
		if (part && part.chapters === 0) report(part.line, 'empty part (a "# Part" holds chapters: start one with "# Chapter")');
	};
	const endBlock = (): void => {
		endParagraph();
		if (!current) return;
		const empty = current.segments.every((piece) => piece.paragraphs.length === 0);
		if (current.pendingBreak !== undefined && !empty) report(current.pendingBreak, 'scene break at the end of a chapter (remove it, or add the scene after it)');
		if (empty) {
			const what = current.kind === 'scene' ? 'scene' : current.kind === 'chapter' ? 'chapter' : 'afterword';
			report(
				current.line,
				what === 'afterword'
					? `empty afterword "${current.heading}" (remove it or add at least one paragraph)`
					: `empty ${what} "${current.heading}" (a ${what} needs at least one paragraph)`,
			);
		}
	};

	for (let index = start; index < lines.length; index++) {
		const line = lines[index] ?? '';
		const lineNumber = index + 1;
		if (fence) {
			paragraph.push(line);
			if (fenceOf(line)?.startsWith(fence.marker) && line.trim() === fenceOf(line)) fence = undefined;
			continue;
		}
		if (line.trim() === '' || isComment(line)) {
			endParagraph();
			continue;
		}
		if (line.trimStart().startsWith('<!--')) {
			endParagraph();
			report(lineNumber, 'a line starting with "<!--" must be one comment that closes with "-->" on the same line');
			continue;
		}
		if (current?.kind === 'chapter' && isSceneBreak(line)) {
			endParagraph();
			const open = segment();
			if (open && open.paragraphs.length === 0) report(lineNumber, 'scene break with no text before it (a break goes between two scenes of a chapter)');
			else current.segments.push({ line: lineNumber + 1, paragraphs: [] });
			current.pendingBreak = lineNumber;
			continue;
		}
		if (isHeading(line)) {
			const marker = parseMarker(line, lineNumber, report);
			if (!marker) {
				endParagraph();
				continue;
			}
			endBlock();
			if (marker.kind !== 'afterword') {
				const kind = marker.kind === 'part' ? 'chapter' : marker.kind;
				if (!structure) structure = { kind, line: lineNumber };
				else if (structure.kind !== kind) {
					report(
						lineNumber,
						`a story is either "# Scene" blocks or "# Chapter" blocks, not both (the first ${structure.kind === 'scene' ? '"# Scene"' : 'chapter'} is on line ${structure.line}; split a chapter into scenes with a scene break such as "* * *")`,
					);
				}
				if (afterword) {
					report(lineNumber, `${marker.kind} after the afterword ("# Afterword" on line ${afterword.line} must come after the last ${structure.kind})`);
				}
			}
			if (marker.kind === 'afterword' && afterword) {
				report(lineNumber, `second "# Afterword" (the first is on line ${afterword.line}; a story has at most one)`);
			}
			if (marker.kind === 'part') {
				endPart();
				parts += 1;
				part = { number: parts, line: lineNumber, chapters: 0, textReported: false, ...(marker.title === undefined ? {} : { title: marker.title }) };
				current = undefined;
				continue;
			}
			if (marker.kind === 'afterword') endPart();
			current = { ...marker, heading: line, line: lineNumber, segments: [{ line: lineNumber + 1, paragraphs: [] }] };
			if (marker.kind === 'chapter') {
				if (part) {
					part.chapters += 1;
					current.part = part.title === undefined ? { number: part.number } : { number: part.number, title: part.title };
				}
				index = readChapterFrontMatter(lines, index, current, report);
			}
			blocks.push(current);
			if (marker.kind === 'afterword' && !afterword) afterword = current;
			continue;
		}
		if (!current) {
			if (part) {
				if (!part.textReported) report(lineNumber, `text after "# Part" on line ${part.line} (a part holds chapters: start one with "# Chapter")`);
				part.textReported = true;
				continue;
			}
			// Without front matter this text is most likely the metadata itself; the missing
			// front matter was already reported.
			if (hasFrontMatter && !reportedTextBeforeFirstScene) textBeforeFirst = { line: lineNumber, text: line };
			reportedTextBeforeFirstScene = true;
			continue;
		}
		const opened = fenceOf(line);
		if (opened) fence = { marker: opened[0]!.repeat(3), line: lineNumber };
		paragraph.push(opened ? line : checkText(line, lineNumber, warn));
	}
	if (textBeforeFirst) {
		const chaptered = parts > 0 || blocks.some((block) => block.kind === 'chapter');
		const help = chaptered ? 'start the story with "# Chapter", "# Chapter: <title>" or "# Part"; an introduction goes in "notes:" in the front matter' : SCENE_MARKER_HELP;
		// `#Scene` without a space is text, not a heading.
		const heading = /^(#{1,6})(?=[^#\s])(.*)$/u.exec(textBeforeFirst.text.trim());
		const hint = heading ? `; "${textBeforeFirst.text.trim()}" is text: a heading needs a space after "${heading[1]}"` : '';
		report(textBeforeFirst.line, `text before the first ${chaptered ? 'chapter' : 'scene'} (${help}${hint})`);
	}
	if (fence) report(fence.line, `code fence opened here is never closed (close it with a line of ${fence.marker})`);
	endBlock();
	endPart();

	let sceneNumber = 0;
	const scenes: Scene[] = [];
	const chapters: Chapter[] = [];
	for (const block of blocks) {
		if (block.kind === 'afterword') continue;
		const blockScenes = block.segments
			.filter((piece) => piece.paragraphs.length > 0)
			.map((piece): Scene => {
				sceneNumber += 1;
				const scene: Scene = { number: sceneNumber, paragraphs: piece.paragraphs, line: block.kind === 'scene' ? block.line : piece.line };
				if (block.kind === 'scene' && block.title !== undefined) scene.title = block.title;
				if (block.kind === 'scene' && block.id !== undefined) scene.id = block.id;
				return scene;
			});
		scenes.push(...blockScenes);
		if (block.kind === 'chapter') {
			const chapter: Chapter = { number: chapters.length + 1, scenes: blockScenes, line: block.line };
			if (block.title !== undefined) chapter.title = block.title;
			if (block.id !== undefined) chapter.id = block.id;
			if (block.part) chapter.part = block.part;
			if (block.notes !== undefined) chapter.notes = block.notes;
			if (block.endNotes !== undefined) chapter.endNotes = block.endNotes;
			chapters.push(chapter);
		}
	}
	if (blocks.every((block) => block.kind === 'afterword') && parts === 0) {
		const line = Math.min(Math.max(start + 1, 1), lines.length);
		report(line, `no scenes (${SCENE_MARKER_HELP})`);
	}
	// An id names one chapter (or scene): a second one would make readings and votes ambiguous.
	const firstWithId = new Map<string, Block>();
	for (const block of blocks) {
		if (block.id === undefined) continue;
		const first = firstWithId.get(block.id);
		if (first) report(block.line, `duplicate ${block.kind} id "${block.id}": the ${first.kind} on line ${first.line} has it already (ids must differ)`);
		else firstWithId.set(block.id, block);
	}
	const body: Body = { scenes, afterword: afterword?.segments[0]?.paragraphs ?? [] };
	if (structure?.kind === 'chapter') body.chapters = chapters;
	return body;
}

/** Reads `---` … `---` right after a chapter heading into the block; returns the index of the last line used. */
function readChapterFrontMatter(lines: readonly string[], headingIndex: number, block: Block, report: Report): number {
	let open = headingIndex + 1;
	while (open < lines.length && (lines[open] ?? '').trim() === '') open += 1;
	if (lines[open] !== '---') return headingIndex;
	const close = lines.findIndex((line, index) => index > open && (line === '---' || isHeading(line)));
	if (close < 0 || lines[close] !== '---') {
		report(open + 1, 'chapter front matter opened here has no closing "---" line');
		return close < 0 ? lines.length : close - 1;
	}
	const fields = parseChapterFrontMatter(lines.slice(open + 1, close).join('\n'), open + 2, report);
	if (fields.notes !== undefined) block.notes = fields.notes;
	if (fields.endNotes !== undefined) block.endNotes = fields.endNotes;
	block.segments = [{ line: close + 2, paragraphs: [] }];
	return close;
}

function parseMarker(line: string, lineNumber: number, report: Report): Marker | undefined {
	const { text, id, problem } = takeMarkerId(line.replace(/^#\s+/u, ''));
	if (problem !== undefined) report(lineNumber, problem);
	const marker = parseMarkerText(line, text, lineNumber, report);
	if (marker && id !== undefined) {
		if (marker.kind === 'chapter' || marker.kind === 'scene') return { ...marker, id };
		report(lineNumber, `"{#${id}}": only chapters and scenes take an id`);
	}
	return marker;
}

function parseMarkerText(line: string, text: string, lineNumber: number, report: Report): Marker | undefined {
	if (line.startsWith('# ') || line.startsWith('#\t')) {
		if (text === 'Afterword') return { kind: 'afterword' };
		for (const [word, kind] of [['Scene', 'scene'], ['Chapter', 'chapter'], ['Part', 'part']] as const) {
			if (text === word) return { kind };
			if (!text.startsWith(`${word}:`)) continue;
			const title = text.slice(word.length + 1).trim();
			if (title === '') {
				report(lineNumber, `empty ${kind} title after "# ${word}:" (write "# ${word}" for a ${kind} without a title)`);
			} else if (title.length > MAX_SCENE_TITLE_LENGTH) {
				report(lineNumber, `${kind} title is ${title.length} characters long (at most ${MAX_SCENE_TITLE_LENGTH})`);
			}
			return { kind, title };
		}
	}
	const numbered = /^# (Chapter|Part|Scene) \S/u.test(line) ? ' (chapters, parts and scenes are numbered for you: give a title after ":")' : '';
	report(lineNumber, `unknown heading ${quoteExcerpt(line)}${numbered} (${HEADING_HELP})`);
	return undefined;
}

/**
 * Warnings for a text line, and the line as it will be read: a ❤ without U+FE0F (which many
 * clients show as a small black heart) gets one.
 */
function checkText(line: string, lineNumber: number, warn: Report): string {
	const glued = /^#+(Scene|Chapter|Part|Afterword)\b/u.exec(line);
	if (glued) warn(lineNumber, `${quoteExcerpt(line)} is read as text: write "# ${glued[1]}" with a space to start a ${glued[1]!.toLowerCase()}`);
	const tag = HTML_TAG.exec(line);
	if (tag) warn(lineNumber, `HTML tag "${tag[0]}" is shown as typed (Discord does not read HTML: use *italics* and **bold**)`);
	if (/❤(?!\uFE0F)/u.test(line)) {
		warn(lineNumber, '❤ without U+FE0F shows as a small black heart on some devices: read as ❤️');
		return line.replace(/❤(?!\uFE0F)/gu, '❤\uFE0F');
	}
	return line;
}
