import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { DEFAULT_STORY_LANGUAGE, languageTag } from './language.js';
import { entryAround, lastUnclosedAtOrBefore, quoteExcerpt, yamlMessage } from './yaml-errors.js';

export { quoteExcerpt } from './yaml-errors.js';
import { DEFAULT_FEEDBACK_EMOJI, RATINGS, type Rating, type StoryMeta } from './types.js';

/*
 * Front matter is YAML (https://yaml.org/spec/1.2.2/), read with the `yaml` package's failsafe
 * schema: every value is a string, a list or a map, so `title: 1984` stays "1984" and `3.10` is not
 * a number. The old one-`key: value`-a-line format is a subset of it, apart from values that YAML
 * reads differently (a leading quote, `#` after a space); those are reported, never changed silently.
 */

export type Report = (line: number, message: string) => void;

/** Every front-matter key, with its documented limit in characters (story/README.md). */
export const FIELD_LIMITS = {
	id: 50,
	title: 200,
	author: 100,
	summary: 1000,
	notes: 1500,
	'end-notes': 1500,
	challenge: 500,
	disclaimer: 500,
	'content-notes': 1000,
	feedback: 600,
	source: 500,
	'feedback-emoji': 100,
	rating: 30,
	warnings: 500,
	fandoms: 500,
	relationships: 500,
	characters: 500,
	tags: 1000,
	language: 50,
	series: 200,
	status: 20,
	chapters: 20,
	'sitting-minutes': 2,
} as const;
export type MetadataKey = keyof typeof FIELD_LIMITS;
export const METADATA_KEYS = Object.keys(FIELD_LIMITS) as MetadataKey[];

/** One list item (a tag, a character) at most this long. */
export const MAX_LIST_ITEM = 100;
export const MAX_FEEDBACK_EMOJI = 5;
/** Limits of a chapter's own notes (`# Chapter` front matter); they are posted as their own embed. */
export const CHAPTER_NOTE_LIMIT = 3000;

const LIST_KEYS = new Set<MetadataKey>(['warnings', 'fandoms', 'relationships', 'characters', 'tags', 'content-notes']);
const ALIASES: Record<string, MetadataKey> = {
	'archive-warnings': 'warnings',
	fandom: 'fandoms',
	relationship: 'relationships',
	character: 'characters',
	'additional-tags': 'tags',
	'chapter-notes': 'notes',
	'beginning-notes': 'notes',
};

interface Entry {
	key: MetadataKey;
	/** A string for a scalar, the items for a list. */
	value: string | string[];
	line: number;
}

/**
 * Parses YAML `source` (the lines between the fences; `firstLine` is the file line of its first line)
 * into entries, reporting YAML syntax errors, unknown and duplicate keys, empty values and values YAML
 * would read differently from what the author most likely meant, each at its file line.
 */
function readEntries(source: string, firstLine: number, allowed: readonly string[], report: Report, broken: Set<string>): Map<MetadataKey, Entry> {
	const entries = new Map<MetadataKey, Entry>();
	// The one-line format before YAML took any text as a value; these first characters mean something
	// else in YAML (a reserved character, an alias, an anchor, a tag) that no author means in front
	// matter, so such a value is read as the text it is, and old files keep working unchanged.
	const sourceLines = source.split('\n').map((line) => {
		const simple = /^([A-Za-z][\w-]*):[ \t]+([@`%*&!].*)$/u.exec(line);
		return simple ? `${simple[1]}: ${JSON.stringify(simple[2])}` : line;
	});
	// A syntax error costs only its own entry: the entry is blanked and the rest read again, so an
	// author gets every mistake in one run, as with the rest of the file.
	let lineCounter = new LineCounter();
	let doc = parseDocument(sourceLines.join('\n'), { schema: 'failsafe', uniqueKeys: false, lineCounter, prettyErrors: false });
	const lineOf = (offset: number): number => firstLine + lineCounter.linePos(offset).line - 1;
	const working = [...sourceLines];
	const reported = new Set<number>();
	for (let attempt = 0; doc.errors.length > 0 && attempt < sourceLines.length; attempt++) {
		const error = doc.errors[0]!;
		const at = lineOf(error.pos[0]) - firstLine;
		// An unclosed `[`, `{` or quote is noticed where YAML gives up, lines later: blame the line that opened it.
		const index = lastUnclosedAtOrBefore(working, at) ?? at;
		if (!reported.has(index)) report(index + firstLine, yamlMessage(error.code, error.message, working[index] ?? ''));
		reported.add(index);
		const [from, to] = entryAround(working, index);
		const key = /^([^:#\s][^:]*):/u.exec(working[from] ?? '')?.[1]?.trim();
		if (key !== undefined) broken.add(ALIASES[key] ?? key);
		for (let line = from; line < to; line++) working[line] = '';
		lineCounter = new LineCounter();
		doc = parseDocument(working.join('\n'), { schema: 'failsafe', uniqueKeys: false, lineCounter, prettyErrors: false });
	}
	if (doc.errors.length > 0) return entries;
	const contents = doc.contents;
	if (contents === null) return entries;
	if (!isMap(contents)) {
		report(lineOf(contents.range?.[0] ?? 0), `expected "key: value" lines, found ${quoteExcerpt(sourceLines.find((line) => line.trim() !== '') ?? '')}`);
		return entries;
	}
	const firstSeen = new Map<string, number>();
	for (const pair of contents.items as Pair<Node, Node | null>[]) {
		const keyNode = pair.key;
		const line = lineOf(keyNode?.range?.[0] ?? 0);
		const rawKey = isScalar(keyNode) ? String(keyNode.value) : '';
		const earlier = firstSeen.get(rawKey);
		if (earlier !== undefined) {
			report(line, `duplicate metadata key "${rawKey}" (first on line ${earlier})`);
			continue;
		}
		firstSeen.set(rawKey, line);
		const key = (ALIASES[rawKey] ?? rawKey) as MetadataKey;
		if (!allowed.includes(key)) {
			report(line, unknownKeyMessage(rawKey, allowed));
			continue;
		}
		if (entries.has(key)) {
			report(line, `"${rawKey}" repeats "${key}" (first on line ${entries.get(key)!.line})`);
			continue;
		}
		const valueNode = pair.value;
		if (isScalar(valueNode)) {
			const value = String(valueNode.value).trim();
			if (valueNode.comment !== undefined && valueNode.type === 'PLAIN') {
				report(line, `"#" after a space starts a YAML comment, so "${rawKey}" would lose "#${valueNode.comment}": put the whole value in quotes`);
			}
			if (value === '') report(line, `empty value for "${rawKey}" (remove the line or give it a value)`);
			entries.set(key, { key, value, line });
		} else if (isSeq(valueNode) && LIST_KEYS.has(key)) {
			const items: string[] = [];
			for (const item of valueNode.items) {
				if (isScalar(item)) items.push(String(item.value).trim());
				else report(lineOf((item as Node | null)?.range?.[0] ?? 0), `"${rawKey}" holds a list of words, not a nested list or map`);
			}
			entries.set(key, { key, value: items.filter((item) => item !== ''), line });
			if (items.every((item) => item === '')) report(line, `empty list for "${rawKey}" (remove the line or give it items)`);
		} else if (valueNode === null) {
			report(line, `empty value for "${rawKey}" (remove the line or give it a value)`);
		} else {
			report(line, LIST_KEYS.has(key) ? `"${rawKey}" must be text or a list ("- item" lines)` : `"${rawKey}" must be text, not a list or map (indent continuation lines, or use "|" for several paragraphs)`);
		}
	}
	return entries;
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
	const likely = key.toLowerCase().replace(/[\s_]+/gu, '-');
	if (key !== likely && (allowed.includes(likely) || likely in ALIASES)) return `unknown metadata key "${key}" (did you mean "${likely}"?)`;
	return `unknown metadata key "${key}" (known keys: ${allowed.join(', ')})`;
}


export interface ParsedMeta {
	/** Undefined when a required key is missing (already reported). */
	meta?: StoryMeta;
	id?: { value: string; line: number };
	/** A readable `chapters:` line: chapters posted, planned (undefined for `?`), and its file line, for checking against the file's chapters. */
	chapters?: { posted: number; planned?: number; line: number };
}

/**
 * A story's front matter (see story/README.md): `source` is the text between the fences, `firstLine`
 * the file line of its first line, `fenceLine` the line of the opening fence (for missing keys).
 */
export function parseFrontMatter(source: string, firstLine: number, fenceLine: number, report: Report, warn: Report = () => {}): ParsedMeta {
	const broken = new Set<string>();
	const entries = readEntries(source, firstLine, METADATA_KEYS, report, broken);
	const text = (key: MetadataKey): string | undefined => {
		const entry = entries.get(key);
		if (!entry) return undefined;
		const value = Array.isArray(entry.value) ? entry.value.join(', ') : entry.value;
		const limit = FIELD_LIMITS[key];
		if (value.length > limit) report(entry.line, `${key} is ${value.length} characters long (at most ${limit})`);
		return value === '' ? undefined : value;
	};
	const required = (key: 'title' | 'author'): string | undefined => {
		if (!entries.has(key)) {
			if (broken.has(key)) return undefined; // its line is already reported
			report(fenceLine, `missing "${key}" in the front matter`);
			return undefined;
		}
		return text(key) ?? '';
	};
	const title = required('title');
	const author = required('author');

	const contentNotesEntry = entries.get('content-notes');
	const contentNotes = contentNotesEntry ? listOf(contentNotesEntry, ';', report) : [];
	if (contentNotesEntry && !Array.isArray(contentNotesEntry.value) && contentNotesEntry.value !== '' && contentNotes.length === 0) {
		report(contentNotesEntry.line, 'empty value for "content-notes" (separate notes with ";")');
	}
	const emojiEntry = entries.get('feedback-emoji');
	const feedbackEmoji = emojiEntry ? parseFeedbackEmoji(String(emojiEntry.value), emojiEntry.line, report) : [...DEFAULT_FEEDBACK_EMOJI];

	const id = entries.get('id');
	const parsed: ParsedMeta = id ? { id: { value: String(id.value), line: id.line } } : {};
	for (const key of METADATA_KEYS) if (!['title', 'author', 'id', 'feedback-emoji'].includes(key)) text(key); // length limits
	if (title === undefined || author === undefined) return parsed;

	const meta: StoryMeta = { title, author, contentNotes, feedbackEmoji };
	const optional = [
		['notes', 'notes'],
		['challenge', 'challenge'],
		['disclaimer', 'disclaimer'],
		['feedback', 'feedback'],
		['source', 'source'],
		['summary', 'summary'],
		['language', 'language'],
		['series', 'series'],
		['end-notes', 'endNotes'],
	] as const;
	for (const [key, field] of optional) {
		const value = entries.get(key)?.value;
		if (typeof value === 'string' && value !== '') meta[field] = value;
	}
	const lists = [
		['warnings', 'warnings'],
		['fandoms', 'fandoms'],
		['relationships', 'relationships'],
		['characters', 'characters'],
		['tags', 'tags'],
	] as const;
	for (const [key, field] of lists) {
		const entry = entries.get(key);
		if (entry) meta[field] = listOf(entry, ',', report);
	}
	const language = entries.get('language');
	if (language && typeof language.value === 'string' && language.value !== '') {
		const tag = languageTag(language.value);
		if (tag === undefined) {
			warn(
				language.line,
				`language "${language.value}" is not a language I know, so the text is cut and timed as ${DEFAULT_STORY_LANGUAGE} (English): write AO3's name ("中文-普通话 國語", "日本語", "English"), the name in English ("Chinese") or a BCP 47 tag ("zh", "ja", "th", "he")`,
			);
		} else meta.languageTag = tag;
	}
	const rating = entries.get('rating');
	if (rating) {
		const value = parseRating(String(rating.value));
		if (value === undefined) report(rating.line, `unknown rating "${rating.value}" (one of AO3's: ${RATINGS.join(', ')})`);
		else meta.rating = value;
	}
	const chapters = readStatus(entries, meta, report);
	const minutes = entries.get('sitting-minutes');
	if (minutes) {
		const value = String(minutes.value);
		if (!/^\d+$/u.test(value) || Number(value) < 1 || Number(value) > 60) report(minutes.line, `sitting-minutes must be a whole number of minutes from 1 to 60, not "${value}"`);
		else meta.sittingMinutes = Number(value);
	}
	return { ...parsed, meta, ...(chapters === undefined ? {} : { chapters }) };
}

/** A list given as a YAML list or as one string separated by `separator`; every item at most MAX_LIST_ITEM. */
function listOf(entry: Entry, separator: string, report: Report): string[] {
	const items = (Array.isArray(entry.value) ? entry.value : entry.value.split(separator)).map((item) => item.trim()).filter((item) => item !== '');
	for (const item of items) {
		if (item.length > MAX_LIST_ITEM && entry.key !== 'content-notes') {
			report(entry.line, `${entry.key}: "${item.slice(0, 30)}…" is ${item.length} characters long (at most ${MAX_LIST_ITEM} per item)`);
		}
	}
	return items;
}

/** AO3's rating names, case-insensitively, or their initials (G, T, M, E). */
export function parseRating(value: string): Rating | undefined {
	const wanted = value.trim().toLowerCase();
	const short: Record<string, Rating> = { g: 'General Audiences', general: 'General Audiences', t: 'Teen And Up Audiences', teen: 'Teen And Up Audiences', m: 'Mature', e: 'Explicit', 'not rated': 'Not Rated' };
	return RATINGS.find((rating) => rating.toLowerCase() === wanted) ?? short[wanted];
}

/**
 * `status: complete | in-progress` and AO3's `chapters: 3/12` or `3/?` (posted/planned). Fewer posted
 * than planned means in progress, as on AO3, unless `status:` says otherwise, which contradicts it
 * (an error). Returns the readable `chapters:` line, which parse.ts checks against the file.
 */
function readStatus(entries: Map<MetadataKey, Entry>, meta: StoryMeta, report: Report): ParsedMeta['chapters'] {
	const status = entries.get('status');
	if (status) {
		const value = String(status.value).trim().toLowerCase().replace(/[\s_]+/gu, '-');
		if (value === 'complete' || value === 'completed') meta.status = 'complete';
		else if (value === 'in-progress' || value === 'wip' || value === 'ongoing') meta.status = 'in-progress';
		else report(status.line, `unknown status "${status.value}" (complete or in-progress)`);
	}
	const chapters = entries.get('chapters');
	if (!chapters) return undefined;
	const match = /^(\d+)\s*\/\s*(\d+|\?)$/u.exec(String(chapters.value).trim());
	if (!match) {
		report(chapters.line, `chapters must read like AO3's "3/12" or "3/?" (posted/planned), not "${chapters.value}"`);
		return undefined;
	}
	const posted = Number(match[1]);
	if (match[2] === '?') {
		if (meta.status === 'complete') report(chapters.line, 'chapters "…/?" says the story is unfinished, but status says complete');
		meta.status ??= 'in-progress';
		return { posted, line: chapters.line };
	}
	const planned = Number(match[2]);
	meta.plannedChapters = planned;
	if (posted > planned) report(chapters.line, `chapters "${chapters.value}": more posted than planned`);
	else if (posted < planned) {
		if (meta.status === 'complete') {
			report(chapters.line, `chapters "${chapters.value}" says ${posted} of ${planned} chapters are out, but status says complete: write "status: in-progress", or "chapters: ${posted}/${posted}" if the story ends here`);
		}
		meta.status ??= 'in-progress';
	}
	return { posted, planned, line: chapters.line };
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

/** A chapter's own front matter (`notes`, `end-notes`), between `---` lines right after `# Chapter`. */
export function parseChapterFrontMatter(source: string, firstLine: number, report: Report): { notes?: string; endNotes?: string } {
	const entries = readEntries(source, firstLine, ['notes', 'end-notes'], report, new Set());
	const result: { notes?: string; endNotes?: string } = {};
	for (const [key, field] of [['notes', 'notes'], ['end-notes', 'endNotes']] as const) {
		const entry = entries.get(key);
		if (!entry || typeof entry.value !== 'string' || entry.value === '') continue;
		if (entry.value.length > CHAPTER_NOTE_LIMIT) report(entry.line, `chapter ${key} are ${entry.value.length} characters long (at most ${CHAPTER_NOTE_LIMIT})`);
		result[field] = entry.value;
	}
	return result;
}
