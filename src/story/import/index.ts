import JSZip from 'jszip';
import { parse } from 'node-html-parser';
import { importAo3, isAo3Layout } from './ao3.js';
import { importBook } from './book.js';
import { readEpub, normaliseSpace } from './epub.js';
import { ImportError } from './errors.js';
import { htmlToScenes } from './html.js';
import type { ImportResult } from './model.js';
import { importPlainText } from './plain.js';

export { ImportError } from './errors.js';
export type { ImportResult, ImportedStory, ImportedChapter } from './model.js';

export interface ImportOptions {
	/** One story per top-level table-of-contents entry of an EPUB (a collection's stories). */
	split?: boolean;
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]): boolean => prefix.every((byte, index) => bytes[index] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/**
 * Reads a story from a file's bytes: EPUB 2/3 (AO3's layout recognised), HTML (AO3's download
 * recognised), or plain UTF-8 text. `name` is the file name, for messages. Throws ImportError with one
 * line for the author (what the file is, what would help) for anything it cannot read.
 */
export async function importStory(bytes: Uint8Array, name: string, options: ImportOptions = {}): Promise<ImportResult> {
	if (bytes.length === 0) throw new ImportError('an empty file: nothing to import');
	if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) throw new ImportError('a PDF: export EPUB or HTML from your editor (or save the text as plain UTF-8 text), then import that');
	if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) throw new ImportError('an old Word document (.doc): save it as a web page (.html) or plain text (.txt) and import that');
	if (startsWith(bytes, 0x7b, 0x5c, 0x72, 0x74, 0x66)) throw new ImportError('an RTF document: save it as a web page (.html) or plain text (.txt) and import that');
	if (bytes.length > 68 && ascii(bytes, 60, 68) === 'BOOKMOBI') throw new ImportError('a Kindle (MOBI/AZW) e-book: convert it to EPUB (e.g. with Calibre) and import that');
	if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0x50, 0x4b, 0x05, 0x06)) return importZip(bytes, options);
	if (startsWith(bytes, 0x1f, 0x8b)) throw new ImportError('a gzip archive: unpack it and import the story file inside');

	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new ImportError('text that is not UTF-8 (or a binary file): save it as UTF-8 text, HTML or EPUB and import that');
	}
	if (/[\u0000-\u0008\u000E-\u001F]/u.test(text.slice(0, 4096))) throw new ImportError('a binary file of a kind the importer does not know: export the story as EPUB, HTML or plain text');
	if (options.split) throw new ImportError('--split applies to an EPUB book (one story per entry of its table of contents); this file is not one');
	if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html|<head|<body|<div|<p[\s>])/iu.test(text)) return importHtml(text);
	return importPlainText(text, name);
}

async function importZip(bytes: Uint8Array, options: ImportOptions): Promise<ImportResult> {
	let zip: JSZip;
	try {
		zip = await JSZip.loadAsync(bytes);
	} catch {
		throw new ImportError('a damaged zip file (it cannot be opened): download or export it again');
	}
	if (zip.file('word/document.xml')) throw new ImportError('a Word document (.docx): save it as a web page (.html) or EPUB from Word, or export EPUB from your editor, and import that');
	const mimetype = (await zip.file('mimetype')?.async('string'))?.trim();
	if (mimetype?.startsWith('application/vnd.oasis.opendocument')) throw new ImportError('an OpenDocument file (.odt): save it as HTML or EPUB from your editor and import that');
	if (mimetype !== undefined && mimetype !== 'application/epub+zip' && !zip.file('META-INF/container.xml')) {
		throw new ImportError(`a zip file of type "${mimetype}", not an EPUB: export the story as EPUB or HTML`);
	}
	const book = await readEpub(zip);
	const roots = book.spine.map((document) => document.body);
	if (isAo3Layout(roots)) {
		if (options.split) throw new ImportError('--split applies to a book of several stories; an AO3 work is one story with chapters');
		return importAo3(roots, `AO3 EPUB ${book.version.startsWith('3') ? '3' : '2'}`);
	}
	return importBook(book, { split: options.split ?? false });
}

/** HTML5's sectioning elements that hold a website's own parts, never a story's text (https://html.spec.whatwg.org/multipage/sections.html). */
const PAGE_CHROME = 'nav, aside, footer, form';

/**
 * An HTML file: AO3's download layout, or any page as one chapter titled by its `<title>` or first
 * heading, without the page's navigation, sidebars, footers and forms (listed as left out).
 */
function importHtml(text: string): ImportResult {
	const root = parse(text, { comment: false });
	const body = root.querySelector('body') ?? root;
	if (isAo3Layout([body])) return importAo3([body], 'AO3 HTML download');
	const title = normaliseSpace(root.querySelector('title')?.textContent ?? root.querySelector('h1')?.textContent ?? '');
	const author = root.querySelector('meta[name="author"]')?.getAttribute('content');
	const heading = body.querySelector('h1');
	if (heading && normaliseSpace(heading.textContent) === title) heading.remove();
	// A page saved from a website has the site around the story: menus, sidebars, footers, forms.
	const leftOut: string[] = [];
	const chrome = body.querySelectorAll(PAGE_CHROME);
	for (const element of chrome) element.remove();
	const kinds = [...new Set(chrome.map((element) => `<${element.rawTagName.toLowerCase()}>`))];
	if (kinds.length > 0) leftOut.push(`the page's ${kinds.join(', ')} (menus, sidebars, footers and forms around the story, not story text)`);
	const scenes = htmlToScenes(body.innerHTML).filter((scene) => scene.length > 0);
	const meta: Record<string, string | string[]> = {};
	if (title !== '') meta.title = title;
	if (author) meta.author = normaliseSpace(author);
	const notes: string[] = [];
	if (title === '') notes.push('no <title> or heading found: set "title" in the front matter');
	if (!author) notes.push('no author found: add "author" to the front matter');
	return { stories: scenes.length > 0 ? [{ meta, chapters: [{ scenes }] }] : [], leftOut, notes, kind: 'HTML' };
}
