import JSZip from 'jszip';
import { HTMLElement, parse } from 'node-html-parser';
import { posix } from 'node:path';
import { ImportError } from './errors.js';

/*
 * Reading an EPUB's package (EPUB 3: https://www.w3.org/TR/epub-33/, EPUB 2: OPF 2.0.1): the
 * container points at the package document (OPF), which gives the metadata, the manifest and the
 * spine (reading order); the table of contents is the EPUB 3 navigation document or the EPUB 2 NCX.
 */

export interface EpubDocument {
	/** Path inside the zip, e.g. `epub/text/chapter-1.xhtml`. */
	path: string;
	/** The document's `<body>` (or its root when it has none). */
	body: HTMLElement;
	/** Its `<title>`, whitespace-normalised, or undefined. */
	title?: string;
	/** `linear="no"` in the spine: auxiliary content outside the reading order. */
	linear: boolean;
}

export interface TocEntry {
	label: string;
	/** Path inside the zip of the document it points to. */
	path: string;
	/** The `#fragment`, if any. */
	fragment?: string;
	children: TocEntry[];
}

export interface EpubBook {
	version: string;
	title?: string;
	authors: string[];
	language?: string;
	/** dc:description as given (may hold escaped HTML). */
	description?: string;
	/** dc:identifier (the publisher's page) or dc:source, when it is a URL. */
	source?: string;
	/** Standard Ebooks marks collections of separate works (`se:is-a-collection`). */
	isCollection: boolean;
	spine: EpubDocument[];
	toc: TocEntry[];
	/** Path of the navigation document (EPUB 3), which is never story text. */
	navPath?: string;
}

/** Elements under `root` whose tag name, without a namespace prefix, is `name` (XML has `dc:title`, `opf:item`). */
export function elementsNamed(root: HTMLElement, name: string): HTMLElement[] {
	const wanted = name.toLowerCase();
	return root.querySelectorAll('*').filter((element) => {
		const tag = element.rawTagName?.toLowerCase() ?? '';
		return tag === wanted || tag.endsWith(`:${wanted}`);
	});
}

export function normaliseSpace(text: string): string {
	return text.replace(/\s+/gu, ' ').trim();
}

function parseXml(text: string): HTMLElement {
	return parse(text, { lowerCaseTagName: false, comment: false, voidTag: { tags: [] } });
}

function resolve(base: string, href: string): { path: string; fragment?: string } {
	const [rawPath = '', fragment] = href.split('#', 2);
	let decoded = rawPath;
	try {
		decoded = decodeURIComponent(rawPath);
	} catch {
		// A malformed %-escape: use the name as written.
	}
	const path = decoded === '' ? base : posix.normalize(posix.join(posix.dirname(base), decoded));
	return fragment === undefined || fragment === '' ? { path } : { path, fragment };
}

async function readText(zip: JSZip, path: string): Promise<string | undefined> {
	const entry = zip.file(path) ?? zip.file(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}$`, 'iu'))[0];
	return entry ? await entry.async('string') : undefined;
}

/**
 * Reads an opened EPUB zip. Throws ImportError (a one-line reason for the author) when the package is
 * missing or has no readable spine; a missing table of contents is not an error.
 */
export async function readEpub(zip: JSZip): Promise<EpubBook> {
	const container = await readText(zip, 'META-INF/container.xml');
	if (container === undefined) throw new ImportError('a zip file, but not an EPUB (it has no META-INF/container.xml): export the story as EPUB or HTML');
	const rootfile = elementsNamed(parseXml(container), 'rootfile')
		.map((element) => element.getAttribute('full-path'))
		.find((path): path is string => path !== undefined && path !== '');
	if (rootfile === undefined) throw new ImportError('an EPUB whose META-INF/container.xml names no package file: the EPUB is damaged; export it again');
	const opfText = await readText(zip, rootfile);
	if (opfText === undefined) throw new ImportError(`an EPUB whose package file ${rootfile} is missing: the EPUB is damaged; export it again`);
	const opf = parseXml(opfText);
	const packageElement = elementsNamed(opf, 'package')[0];
	const version = packageElement?.getAttribute('version') ?? '2.0';

	const text = (name: string): string[] => elementsNamed(opf, name).map((element) => normaliseSpace(element.textContent)).filter((value) => value !== '');
	const manifest = new Map<string, { path: string; mediaType: string; properties: string }>();
	for (const item of elementsNamed(opf, 'item')) {
		const id = item.getAttribute('id');
		const href = item.getAttribute('href');
		if (id === undefined || href === undefined) continue;
		manifest.set(id, { path: resolve(rootfile, href).path, mediaType: item.getAttribute('media-type') ?? '', properties: item.getAttribute('properties') ?? '' });
	}
	const spineElement = elementsNamed(opf, 'spine')[0];
	const spine: EpubDocument[] = [];
	for (const itemref of elementsNamed(opf, 'itemref')) {
		const item = manifest.get(itemref.getAttribute('idref') ?? '');
		if (!item || !/html/iu.test(item.mediaType)) continue;
		const source = await readText(zip, item.path);
		if (source === undefined) continue;
		const root = parse(source, { comment: false });
		const title = root.querySelector('title');
		const document: EpubDocument = { path: item.path, body: root.querySelector('body') ?? root, linear: itemref.getAttribute('linear') !== 'no' };
		if (title && normaliseSpace(title.textContent) !== '') document.title = normaliseSpace(title.textContent);
		spine.push(document);
	}
	if (spine.length === 0) throw new ImportError('an EPUB with no readable text documents in its spine: the EPUB is damaged or empty; export it again');

	const navItem = [...manifest.values()].find((item) => item.properties.split(/\s+/u).includes('nav'));
	let toc: TocEntry[] = [];
	if (navItem) {
		const nav = await readText(zip, navItem.path);
		if (nav !== undefined) toc = readNavToc(parse(nav, { comment: false }), navItem.path);
	}
	if (toc.length === 0) {
		const ncxItem = manifest.get(spineElement?.getAttribute('toc') ?? '') ?? [...manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
		const ncx = ncxItem ? await readText(zip, ncxItem.path) : undefined;
		if (ncxItem && ncx !== undefined) toc = readNcxToc(parseXml(ncx), ncxItem.path);
	}

	const sources = [...text('identifier'), ...text('source')].filter((value) => /^https?:\/\//u.test(value));
	const book: EpubBook = {
		version,
		authors: text('creator'),
		isCollection: elementsNamed(opf, 'meta').some((meta) => meta.getAttribute('property') === 'se:is-a-collection' && normaliseSpace(meta.textContent) === 'true'),
		spine,
		toc,
	};
	const title = text('title')[0];
	if (title !== undefined) book.title = title;
	const language = text('language')[0];
	if (language !== undefined) book.language = language;
	const description = elementsNamed(opf, 'description')[0]?.textContent.trim();
	if (description) book.description = description;
	if (sources[0] !== undefined) book.source = sources[0];
	if (navItem) book.navPath = navItem.path;
	return book;
}

function readNavToc(root: HTMLElement, navPath: string): TocEntry[] {
	const navs = root.querySelectorAll('nav');
	const nav = navs.find((element) => (element.getAttribute('epub:type') ?? '').split(/\s+/u).includes('toc')) ?? navs[0];
	const list = nav?.querySelector('ol');
	return list ? readNavList(list, navPath) : [];
}

function readNavList(list: HTMLElement, navPath: string): TocEntry[] {
	const entries: TocEntry[] = [];
	for (const item of list.childNodes) {
		if (!(item instanceof HTMLElement) || item.rawTagName.toLowerCase() !== 'li') continue;
		const li = item;
		const link = li.childNodes.find((node): node is HTMLElement => node instanceof HTMLElement && node.rawTagName.toLowerCase() === 'a');
		const sublist = li.childNodes.find((node): node is HTMLElement => node instanceof HTMLElement && node.rawTagName.toLowerCase() === 'ol');
		const children = sublist ? readNavList(sublist, navPath) : [];
		const href = link?.getAttribute('href');
		if (!link || href === undefined) {
			entries.push(...children);
			continue;
		}
		entries.push({ label: normaliseSpace(link.textContent), ...resolve(navPath, href), children });
	}
	return entries;
}

function readNcxToc(root: HTMLElement, ncxPath: string): TocEntry[] {
	const navMap = elementsNamed(root, 'navMap')[0];
	return navMap ? readNavPoints(navMap, ncxPath) : [];
}

function readNavPoints(parent: HTMLElement, ncxPath: string): TocEntry[] {
	const entries: TocEntry[] = [];
	for (const node of parent.childNodes) {
		if (!(node instanceof HTMLElement) || !/(?:^|:)navpoint$/iu.test(node.rawTagName)) continue;
		const point = node;
		const label = elementsNamed(point, 'text')[0];
		const content = point.childNodes.find((child): child is HTMLElement => child instanceof HTMLElement && /(?:^|:)content$/iu.test(child.rawTagName));
		const src = content?.getAttribute('src');
		const children = readNavPoints(point, ncxPath);
		if (src === undefined) {
			entries.push(...children);
			continue;
		}
		entries.push({ label: normaliseSpace(label?.textContent ?? ''), ...resolve(ncxPath, src), children });
	}
	return entries;
}
