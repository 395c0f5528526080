import type { HTMLElement } from 'node-html-parser';
import { normaliseSpace } from './epub.js';
import { htmlToScenes, htmlToText, type ConversionNotes } from './html.js';
import type { ImportedChapter, ImportResult } from './model.js';

/*
 * AO3's download layout (the same markup in its HTML download and, one part per file, its EPUB), as
 * the Archive's download views write it (otwarchive app/views/downloads): `#preface` holds
 * `dl.tags` (dt "Rating:", dd its value; tag names singular or plural by count), the title (h1),
 * `.byline`, "Summary" and "Notes" each followed by `blockquote.userstuff`; `#chapters` holds, per
 * chapter, `div.meta.group` (h2.heading "Chapter 1: Title", "Chapter Summary", "Chapter Notes"),
 * the text in `div.userstuff`, then `div.meta#endnotes1` ("Chapter End Notes"); a one-chapter work
 * has only the `div.userstuff`. `#afterword` holds the work's end notes in `#endnotes`.
 */

/** True when these documents (an HTML download's body, or an EPUB's spine bodies) are AO3's layout. */
export function isAo3Layout(roots: readonly HTMLElement[]): boolean {
	return roots.some((root) => root.querySelector('#preface dl.tags, dl.tags dt') !== null && root.querySelector('.userstuff') !== null)
		|| (roots.some((root) => root.querySelector('dl.tags') !== null) && roots.some((root) => root.querySelector('div.userstuff') !== null));
}

/** dt label (without ":", lowercase) to front matter key; `null` for what the story format has no field for. */
const TAG_FIELDS: Record<string, string | null> = {
	rating: 'rating',
	ratings: 'rating',
	'archive warning': 'warnings',
	'archive warnings': 'warnings',
	category: null,
	categories: null,
	fandom: 'fandoms',
	fandoms: 'fandoms',
	relationship: 'relationships',
	relationships: 'relationships',
	character: 'characters',
	characters: 'characters',
	'additional tag': 'tags',
	'additional tags': 'tags',
	language: 'language',
	series: 'series',
	collection: null,
	collections: null,
};

const LIST_FIELDS = new Set(['warnings', 'fandoms', 'relationships', 'characters', 'tags']);

function hasClass(element: HTMLElement, name: string): boolean {
	return element.classList?.contains(name) ?? false;
}

function isInside(element: HTMLElement, predicate: (ancestor: HTMLElement) => boolean): boolean {
	for (let parent = element.parentNode; parent; parent = parent.parentNode) if (predicate(parent)) return true;
	return false;
}

/** The `blockquote.userstuff` after a `<p>` label such as "Summary" or "Chapter Notes" inside `scope`. */
function labelled(scope: HTMLElement, ...labels: string[]): string | undefined {
	const wanted = labels.map((label) => label.toLowerCase());
	const label = scope.querySelectorAll('p').find((p) => wanted.includes(normaliseSpace(p.textContent).toLowerCase().replace(/:$/u, '')));
	let next = label?.nextElementSibling;
	while (next && next.rawTagName.toLowerCase() !== 'blockquote' && !hasClass(next, 'endnote-link') && next.rawTagName.toLowerCase() !== 'p') next = next.nextElementSibling;
	if (!next || next.rawTagName.toLowerCase() !== 'blockquote') return undefined;
	const text = htmlToText(next.innerHTML);
	return text === '' ? undefined : text;
}

/** dd values: the link texts AO3 writes for tags, or the text split at commas. */
function values(dd: HTMLElement): string[] {
	const links = dd.querySelectorAll('a').map((link) => normaliseSpace(link.textContent)).filter((text) => text !== '');
	if (links.length > 0) return links;
	return dd.textContent.split(',').map(normaliseSpace).filter((text) => text !== '');
}

/** "Chapter 3: The Bridge" → "The Bridge"; "Chapter 3" → undefined. */
export function chapterTitle(heading: string): string | undefined {
	const text = normaliseSpace(heading);
	const match = /^Chapter\s+\d+\s*(?:[:.\-–—]\s*(.*))?$/iu.exec(text);
	if (!match) return text === '' ? undefined : text;
	return match[1] === undefined || match[1] === '' ? undefined : match[1];
}

/**
 * Reads AO3's layout from `roots` (in reading order) into one story. `kind` names the source for
 * the summary ("AO3 HTML download", "AO3 EPUB").
 */
export function importAo3(roots: readonly HTMLElement[], kind: string): ImportResult {
	const leftOut: string[] = [];
	const notes: string[] = [];
	const conversion: ConversionNotes = { images: 0 };
	const all = roots.flatMap((root) => [root, ...root.querySelectorAll('*')]);
	const preface = all.find((element) => element.id === 'preface') ?? roots.find((root) => root.querySelector('dl.tags'));
	const afterword = all.find((element) => element.id === 'afterword');
	const meta: Record<string, string | string[]> = {};

	const titleElement = preface?.querySelector('h1') ?? preface?.querySelector('.message b');
	const title = titleElement ? normaliseSpace(titleElement.textContent) : undefined;
	if (title) meta.title = title;
	const byline = preface?.querySelector('.byline');
	const author = byline ? normaliseSpace(byline.textContent).replace(/^by\s+/iu, '') : '';
	if (author !== '') meta.author = author;
	const summary = preface ? labelled(preface, 'Summary') : undefined;
	if (summary) meta.summary = summary;

	const tagFields = new Map<string, string[]>();
	let chaptersStat: { posted: number; planned?: number } | undefined;
	const dl = preface?.querySelector('dl.tags');
	for (const dt of dl?.querySelectorAll('dt') ?? []) {
		const name = normaliseSpace(dt.textContent).replace(/:$/u, '').toLowerCase();
		let dd = dt.nextElementSibling;
		while (dd && dd.rawTagName.toLowerCase() !== 'dd') dd = dd.nextElementSibling;
		if (!dd) continue;
		if (name === 'stats') {
			const match = /Chapters:\s*(\d+)\s*\/\s*(\d+|\?)/iu.exec(dd.textContent);
			if (match) chaptersStat = match[2] === '?' ? { posted: Number(match[1]) } : { posted: Number(match[1]), planned: Number(match[2]) };
			leftOut.push(`stats: ${normaliseSpace(dd.textContent).replace(/\s*Chapters:.*$/u, '')} (dates and counts; the bot counts words itself)`);
			continue;
		}
		const field = TAG_FIELDS[name];
		if (field === undefined || field === null) {
			leftOut.push(`${normaliseSpace(dt.textContent).replace(/:$/u, '')}: ${values(dd).join(', ')} (the story format has no field for it)`);
			continue;
		}
		tagFields.set(field, [...(tagFields.get(field) ?? []), ...(field === 'series' || field === 'language' ? [normaliseSpace(dd.textContent)] : values(dd))]);
	}
	// Front matter order: as story/README.md lists AO3's fields.
	for (const field of ['rating', 'warnings', 'fandoms', 'relationships', 'characters', 'tags', 'language', 'series']) {
		const items = tagFields.get(field);
		if (!items || items.length === 0) continue;
		meta[field] = LIST_FIELDS.has(field) ? items : items.join(', ');
	}
	if (chaptersStat) {
		meta.chapters = `${chaptersStat.posted}/${chaptersStat.planned ?? '?'}`;
		meta.status = chaptersStat.planned !== undefined && chaptersStat.posted >= chaptersStat.planned ? 'complete' : 'in-progress';
	}
	const workNotes = preface ? labelled(preface, 'Notes') : undefined;
	if (workNotes) meta.notes = workNotes;
	const workEndNotes = afterword ? labelled(afterword, 'End Notes') : undefined;
	if (workEndNotes) meta['end-notes'] = workEndNotes;
	const link = preface?.querySelectorAll('.message a').map((a) => a.getAttribute('href') ?? '').find((href) => /\/works\/\d+/u.test(href));
	if (link) meta.source = link;

	const chapters: ImportedChapter[] = [];
	let current: ImportedChapter | undefined;
	const outside = (element: HTMLElement): boolean => element === preface || element === afterword || isInside(element, (ancestor) => ancestor === preface || ancestor === afterword);
	for (const element of all) {
		if (element.rawTagName?.toLowerCase() !== 'div' || outside(element)) continue;
		if (hasClass(element, 'meta') && hasClass(element, 'group') && element.querySelector('h2.heading, h2, h3')) {
			const heading = element.querySelector('h2.heading') ?? element.querySelector('h2, h3');
			current = { scenes: [] };
			const chapterName = chapterTitle(heading?.textContent ?? '');
			if (chapterName !== undefined) current.title = chapterName;
			const chapterSummary = labelled(element, 'Chapter Summary', 'Summary');
			const chapterNotes = labelled(element, 'Chapter Notes', 'Notes');
			const joined = [chapterSummary === undefined ? undefined : `Summary: ${chapterSummary}`, chapterNotes].filter((text) => text !== undefined).join('\n\n');
			if (joined !== '') current.notes = joined;
			chapters.push(current);
			continue;
		}
		if (/^endnotes\d+$/u.test(element.id)) {
			const endNotes = labelled(element, 'Chapter End Notes', 'End Notes');
			if (current && endNotes) current.endNotes = endNotes;
			continue;
		}
		// The text: a div.userstuff that is not the #chapters wrapper, nor inside another text.
		if (!hasClass(element, 'userstuff') || element.id === 'chapters') continue;
		if (isInside(element, (ancestor) => hasClass(ancestor, 'userstuff') && ancestor.id !== 'chapters')) continue;
		if (!current || current.scenes.length > 0) {
			current = { scenes: [] };
			chapters.push(current);
		}
		current.scenes = htmlToScenes(element.innerHTML, conversion).filter((scene) => scene.length > 0);
	}
	const withText = chapters.filter((chapter) => {
		if (chapter.scenes.length > 0) return true;
		leftOut.push(`chapter "${chapter.title ?? 'untitled'}" (no text)`);
		return false;
	});
	if (meta.title === undefined) notes.push('no title found: set "title" in the front matter');
	if (meta.author === undefined) notes.push('no author found: add "author" to the front matter');
	if (conversion.images > 0) leftOut.push(`${conversion.images} image${conversion.images === 1 ? '' : 's'} in the text (Discord posts of the story are text only)`);
	const ordered: Record<string, string | string[]> = {};
	for (const key of ['title', 'author', 'summary', 'rating', 'warnings', 'fandoms', 'relationships', 'characters', 'tags', 'language', 'series', 'status', 'chapters', 'notes', 'end-notes', 'source']) {
		const value = meta[key];
		if (value !== undefined) ordered[key] = value;
	}
	return { stories: withText.length > 0 ? [{ meta: ordered, chapters: withText }] : [], leftOut, notes, kind };
}
