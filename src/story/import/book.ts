import { HTMLElement, parse } from 'node-html-parser';
import { posix } from 'node:path';
import { normaliseSpace, type EpubBook, type EpubDocument, type TocEntry } from './epub.js';
import { htmlToScenes, htmlToText, type ConversionNotes } from './html.js';
import { slugify, type ImportedChapter, type ImportedStory, type ImportResult } from './model.js';

/*
 * An EPUB book (not AO3's layout) as stories: the spine gives the order, the table of contents the
 * chapters and their titles. Front and back matter (title page, imprint, colophon, licence) is left
 * out and listed. Standard Ebooks marks it with `epub:type` (https://standardebooks.org/manual);
 * EPUB 2 books without it are recognised by their table-of-contents label or file name.
 */

const MATTER_TYPES = new Set([
	'cover', 'titlepage', 'halftitlepage', 'imprint', 'colophon', 'copyright-page', 'toc', 'landmarks', 'loi', 'lot',
	'index', 'acknowledgments', 'other-credits', 'errata', 'frontmatter', 'backmatter', 'dedication', 'epigraph',
]);
// Labels and file names of front and back matter in books without epub:type.
const MATTER_NAMES = /^(?:cover|title ?page|half ?title|imprint|colophon|copyright|uncopyright|licen[cs]e|table of contents|contents|toc|nav|about the (?:author|publisher)|also by|dedication)\b/iu;

export interface BookOptions {
	/** One story per top-level table-of-contents entry (a collection's stories), instead of one per book. */
	split: boolean;
}

interface Unit {
	label?: string;
	html: string;
	children: Unit[];
}

function typesOf(element: HTMLElement | undefined): string[] {
	return (element?.getAttribute('epub:type') ?? '').split(/\s+/u).filter((type) => type !== '');
}

/** Why a spine document is front or back matter, or undefined for story text. */
function matterOf(document: EpubDocument, label: string | undefined, book: EpubBook): string | undefined {
	if (document.path === book.navPath) return 'table of contents';
	if (!document.linear) return 'outside the reading order';
	const top = [document.body, ...document.body.childNodes.filter((node): node is HTMLElement => node instanceof HTMLElement)];
	const types = top.flatMap(typesOf);
	if (types.some((type) => MATTER_TYPES.has(type)) && !types.includes('bodymatter')) return types.find((type) => MATTER_TYPES.has(type) && !/matter$/u.test(type)) ?? types.find((type) => MATTER_TYPES.has(type));
	const name = posix.basename(document.path).replace(/\.x?html?$/iu, '').replace(/[-_]/gu, ' ');
	for (const candidate of [label, document.title, name]) {
		if (candidate !== undefined && MATTER_NAMES.test(candidate)) return candidate.toLowerCase();
	}
	return undefined;
}

/** Removes the first heading (or header/hgroup) whose text is `label`: it becomes the marker's title. */
function removeTitleHeading(root: HTMLElement, label: string | undefined): void {
	if (label === undefined) return;
	const wanted = normaliseSpace(label).toLowerCase();
	const heading = root
		.querySelectorAll('header, hgroup, h1, h2, h3, h4, h5, h6')
		.find((element) => {
			const text = normaliseSpace(element.textContent).toLowerCase();
			return text === wanted || (/^(?:header|hgroup)$/iu.test(element.rawTagName) && text.includes(wanted));
		});
	heading?.remove();
}

function firstHeadingText(root: HTMLElement): string | undefined {
	const heading = root.querySelector('h1, h2, h3, h4, h5, h6');
	const text = heading ? normaliseSpace(heading.textContent) : '';
	return text === '' ? undefined : text;
}

/** The element a table-of-contents entry points at: the fragment's container, or the whole body. */
function targetOf(entry: TocEntry, documents: Map<string, EpubDocument>): HTMLElement | undefined {
	const document = documents.get(entry.path);
	if (!document) return undefined;
	if (entry.fragment === undefined) return document.body;
	const element = document.body.querySelector(`[id="${entry.fragment.replace(/"/gu, '\\"')}"]`);
	// A fragment on a container (section, article) is the chapter; on a heading or anchor, the whole document is.
	return element && /^(?:section|article|div|body)$/iu.test(element.rawTagName) ? element : document.body;
}

function unitFor(entry: TocEntry, element: HTMLElement, documents: Map<string, EpubDocument>): Unit {
	const copy = parse(element.outerHTML, { comment: false });
	const children: Unit[] = [];
	for (const child of entry.children) {
		if (child.path !== entry.path || child.fragment === undefined) continue;
		const target = copy.querySelector(`[id="${child.fragment.replace(/"/gu, '\\"')}"]`);
		if (!target || !/^(?:section|article|div)$/iu.test(target.rawTagName)) continue;
		children.push(unitFor(child, target, documents));
		target.remove();
	}
	removeTitleHeading(copy, entry.label);
	const unit: Unit = { html: copy.toString(), children };
	if (entry.label !== '') unit.label = entry.label;
	return unit;
}

function hasText(html: string): boolean {
	return normaliseSpace(parse(html).textContent) !== '';
}

/**
 * The book's stories: one (chapters from the table of contents, in parts when its entries have
 * sub-entries), or with `split` one per top-level entry. Spine documents the table of contents does
 * not name continue the chapter before them.
 */
export function importBook(book: EpubBook, options: BookOptions): ImportResult {
	const leftOut: string[] = [];
	const notes: string[] = [];
	const conversion: ConversionNotes = { images: 0 };
	const labelOf = new Map<string, string>();
	for (const entry of book.toc) if (entry.fragment === undefined && !labelOf.has(entry.path)) labelOf.set(entry.path, entry.label);
	for (const entry of book.toc) if (!labelOf.has(entry.path)) labelOf.set(entry.path, entry.label);

	const kept = new Map<string, EpubDocument>();
	for (const document of book.spine) {
		const matter = matterOf(document, labelOf.get(document.path), book);
		if (matter === undefined) kept.set(document.path, document);
		else leftOut.push(`${labelOf.get(document.path) ?? document.title ?? posix.basename(document.path)} (${document.path}: ${matter})`);
	}

	// Top-level entries that point into story text, in spine order; a document no entry names
	// continues the unit before it (or starts its own when it comes first).
	const entriesByPath = new Map<string, TocEntry[]>();
	for (const entry of book.toc) {
		if (!kept.has(entry.path)) continue;
		entriesByPath.set(entry.path, [...(entriesByPath.get(entry.path) ?? []), entry]);
	}
	const units: Unit[] = [];
	for (const document of kept.values()) {
		const entries = entriesByPath.get(document.path);
		if (!entries) {
			const last = units.at(-1);
			if (last && book.toc.length > 0) {
				last.html += document.body.innerHTML;
			} else {
				const copy = parse(document.body.outerHTML, { comment: false });
				// Many tools (Calibre, Pandoc) give every document the book's <title>: that is no chapter's title.
				const ownTitle = document.title !== undefined && document.title.toLowerCase() !== book.title?.toLowerCase() ? document.title : undefined;
				const label = firstHeadingText(copy) ?? ownTitle;
				removeTitleHeading(copy, label);
				units.push({ ...(label === undefined ? {} : { label }), html: copy.toString(), children: [] });
			}
			continue;
		}
		for (const entry of entries) {
			const element = targetOf(entry, kept);
			if (element) units.push(unitFor(entry, element, kept));
		}
	}

	const author = joinNames(book.authors);
	const baseMeta = (): Record<string, string | string[]> => {
		const meta: Record<string, string | string[]> = {};
		if (author !== undefined) meta.author = author;
		return meta;
	};
	const chaptersOf = (unit: Unit, part?: ImportedChapter['part']): ImportedChapter[] => {
		const chapters: ImportedChapter[] = [];
		const chapter = (title: string | undefined, scenes: string[][]): ImportedChapter => ({
			...(part ? { part } : {}),
			...(title === undefined ? {} : { title }),
			scenes,
		});
		// Text before a unit's first sub-entry (or all of a unit without any) is a chapter; in a part, an
		// untitled one, since the part's marker carries the title.
		const own = htmlToScenes(unit.html, conversion).filter((scene) => scene.length > 0);
		if (own.length > 0) chapters.push(chapter(part || unit.children.length > 0 ? undefined : unit.label, own));
		for (const child of unit.children) {
			const scenes = htmlToScenes(child.html, conversion).filter((scene) => scene.length > 0);
			if (scenes.length === 0) {
				leftOut.push(`${child.label ?? 'an untitled section'} (no text)`);
				continue;
			}
			chapters.push(chapter(child.label, scenes));
		}
		return chapters;
	};

	const stories: ImportedStory[] = [];
	const description = book.description === undefined ? undefined : htmlToText(book.description.includes('<') ? book.description : escapeForHtml(book.description));
	if (options.split) {
		for (const unit of units) {
			const chapters = chaptersOf(unit);
			const position = stories.length + 1;
			if (chapters.length === 0) {
				leftOut.push(`${unit.label ?? 'an untitled section'} (no text)`);
				continue;
			}
			// The story's own title is its marker's; its one chapter needs no title of its own.
			if (unit.children.length === 0) delete chapters[0]!.title;
			const meta: Record<string, string | string[]> = { title: unit.label ?? book.title ?? 'Untitled', ...baseMeta() };
			if (book.title !== undefined) meta.series = `${book.title}, story ${position}`;
			addCommon(meta, book);
			stories.push({ meta, chapters });
		}
	} else {
		const inParts = units.some((unit) => unit.children.length > 0);
		const chapters: ImportedChapter[] = [];
		for (const unit of units) {
			if (!hasText(unit.html) && unit.children.length === 0) {
				leftOut.push(`${unit.label ?? 'an untitled section'} (no text)`);
				continue;
			}
			if (inParts) {
				const part = unit.label === undefined ? {} : { title: unit.label };
				const partChapters = chaptersOf(unit, part);
				chapters.push(...partChapters);
			} else {
				chapters.push(...chaptersOf(unit));
			}
		}
		const meta: Record<string, string | string[]> = { title: book.title ?? 'Untitled', ...baseMeta() };
		if (description !== undefined && description !== '') meta.summary = description;
		addCommon(meta, book);
		if (chapters.length > 0) stories.push({ meta, chapters });
		if (book.isCollection) {
			notes.push(`this book is a collection of ${units.length} stories: --split writes each as a story of its own, which readers start by name (e.g. /read story:${slugify(units[0]?.label ?? 'story')})`);
		}
	}
	if (book.title === undefined) notes.push('the EPUB gives no title: set "title" in the front matter');
	if (author === undefined) notes.push('the EPUB gives no author: add "author" to the front matter');
	if (conversion.images > 0) leftOut.push(`${conversion.images} image${conversion.images === 1 ? '' : 's'} in the text (Discord posts of the story are text only)`);
	return { stories, leftOut, notes, kind: `EPUB ${book.version.startsWith('3') ? '3' : '2'}` };
}

function addCommon(meta: Record<string, string | string[]>, book: EpubBook): void {
	if (book.language !== undefined) meta.language = book.language;
	if (book.source !== undefined) meta.source = book.source;
}

function escapeForHtml(text: string): string {
	return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string | undefined {
	if (names.length === 0) return undefined;
	if (names.length === 1) return names[0];
	return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
