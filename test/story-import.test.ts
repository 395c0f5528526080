import JSZip from 'jszip';
import { parse } from 'node-html-parser';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStory, type ImportResult } from '../src/story/import/index.js';
import { renderStory } from '../src/story/import/model.js';
import { runImport } from '../src/story/import/run.js';
import { runCheck } from '../src/story/check.js';
import { parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/import/', import.meta.url));
const SHERLOCK = path.join(FIXTURES, 'the-adventures-of-sherlock-holmes.epub');
const AO3_HTML = path.join(FIXTURES, 'ao3-work.html');
const SEED = fileURLToPath(new URL('./fixtures/seed/after-the-end.seed.txt', import.meta.url));

class Collector {
	text = '';
	write(chunk: string): boolean {
		this.text += chunk;
		return true;
	}
}

/** Parses what the importer would write, failing the test with the parser's errors if it does not parse. */
function parsed(result: ImportResult, index = 0, file = 'imported.md'): Story {
	const story = result.stories[index];
	if (!story) throw new Error(`no story ${index}`);
	const outcome = parseStory(renderStory(story), file);
	if ('errors' in outcome) throw new Error(outcome.errors.map((error) => `${error.line}: ${error.message}`).join('\n'));
	return outcome.story;
}

/** A paragraph as a reader sees its words: quote and list markers, emphasis and escapes removed, whitespace normalised. */
function words(markdown: string): string {
	return markdown
		.split('\n')
		.map((line) => line.replace(/^(?:>[ \t]?)+/u, '').replace(/^(?:- |\d+\. )/u, ''))
		.join(' ')
		.replace(/\\([\\`*_{}[\]()#+\-.!|<>~⁂=])/gu, (_match, char: string) => `\u0001${char.codePointAt(0)}\u0001`)
		.replace(/\*\*|\*|__|~~/gu, '')
		.replace(/\u0001(\d+)\u0001/gu, (_match, code: string) => String.fromCodePoint(Number(code)))
		.replace(/\s+/gu, ' ')
		.trim();
}

const normalise = (text: string): string => text.replace(/\s+/gu, ' ').trim();
const paragraphsOf = (story: Story): string[] => story.scenes.flatMap((scene) => scene.paragraphs);

/** The text of every `<p>` in the EPUB's story documents (those not in `leftOut`), in spine order. */
async function epubParagraphs(file: string, leftOut: readonly string[]): Promise<string[]> {
	const zip = await JSZip.loadAsync(await readFile(file));
	const opf = await zip.file('epub/content.opf')!.async('string');
	const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/gu)].map((match) => `epub/text/${match[1]}`);
	const paragraphs: string[] = [];
	for (const document of spine) {
		if (leftOut.some((line) => line.includes(document))) continue;
		const html = parse(await zip.file(document)!.async('string'));
		for (const p of html.querySelectorAll('p')) {
			const text = normalise(p.textContent);
			if (text !== '') paragraphs.push(text);
		}
	}
	return paragraphs;
}

async function zipFolder(folder: string): Promise<Uint8Array> {
	const zip = new JSZip();
	zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
	const walk = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			const name = path.relative(folder, full).split(path.sep).join('/');
			if (entry.isDirectory()) await walk(full);
			else if (name !== 'mimetype') zip.file(name, await readFile(full));
		}
	};
	await walk(folder);
	return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

let work: string;
beforeAll(async () => {
	work = await mkdtemp(path.join(tmpdir(), 'sfb-import-'));
});
afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

describe('story:import of the Standard Ebooks EPUB (The Adventures of Sherlock Holmes)', () => {
	let book: ImportResult;
	beforeAll(async () => {
		book = await importStory(await readFile(SHERLOCK), 'the-adventures-of-sherlock-holmes.epub');
	});

	it('reads title, author, language, description and source from the package', () => {
		const story = parsed(book);
		expect(book.kind).toBe('EPUB 3');
		expect(story.meta).toMatchObject({
			title: 'The Adventures of Sherlock Holmes',
			author: 'Arthur Conan Doyle',
			language: 'en-GB',
			source: 'https://standardebooks.org/ebooks/arthur-conan-doyle/the-adventures-of-sherlock-holmes',
		});
		expect(story.meta.summary).toMatch(/^The world’s first consulting detective/u);
	});

	it('leaves out the title page, imprint, colophon and uncopyright, and lists them', () => {
		expect(book.leftOut.map((line) => line.split(' (')[0])).toEqual(['Titlepage', 'Imprint', 'Colophon', 'Uncopyright']);
		const text = renderStory(book.stories[0]!);
		expect(text).not.toContain('Standard Ebooks');
		expect(text).not.toContain('public domain');
	});

	it('makes each of the 12 stories a part, with "A Scandal in Bohemia" in chapters I, II, III', () => {
		const story = parsed(book);
		const parts = [...new Set(story.chapters!.map((chapter) => chapter.part?.title))];
		expect(parts).toHaveLength(12);
		expect(parts[0]).toBe('A Scandal in Bohemia');
		expect(parts[11]).toBe('The Adventure of the Copper Beeches');
		const scandal = story.chapters!.filter((chapter) => chapter.part?.title === 'A Scandal in Bohemia');
		expect(scandal.map((chapter) => chapter.title)).toEqual(['I', 'II', 'III']);
		// The <hr/> before the last paragraph of part III is a scene break.
		expect(scandal[2]!.scenes).toHaveLength(2);
		expect(scandal[2]!.scenes[1]!.paragraphs[0]).toMatch(/^And that was how a great scandal/u);
	});

	it('keeps every source paragraph, in order, word for word; italics and letters as Discord Markdown', async () => {
		const story = parsed(book);
		const source = await epubParagraphs(SHERLOCK, book.leftOut);
		expect(source.length).toBeGreaterThan(2500);
		expect(paragraphsOf(story).map(words)).toEqual(source);
		const paragraphs = paragraphsOf(story);
		expect(paragraphs[0]).toMatch(/^To Sherlock Holmes she is always \*the\* woman\./u);
		expect(paragraphs).toContain('> “Irene Norton, *née* Adler.”');
	});

	it('with --split, writes each story as its own story file, in the book\'s series', async () => {
		const split = await importStory(await readFile(SHERLOCK), 'sherlock.epub', { split: true });
		expect(split.stories).toHaveLength(12);
		const stories = split.stories.map((_story, index) => parsed(split, index));
		expect(stories[0]!.meta).toMatchObject({ title: 'A Scandal in Bohemia', author: 'Arthur Conan Doyle', series: 'The Adventures of Sherlock Holmes, story 1' });
		expect(stories[11]!.meta.series).toBe('The Adventures of Sherlock Holmes, story 12');
		expect(stories[0]!.chapters!.map((chapter) => chapter.title)).toEqual(['I', 'II', 'III']);
		expect(stories[1]!.chapters!.map((chapter) => chapter.title)).toEqual([undefined]);
		expect(stories.flatMap(paragraphsOf)).toEqual(paragraphsOf(parsed(book)));
	});

	it('writes "A Scandal in Bohemia" as the hand-made chaptered fixture has it, from the first chapter on', async () => {
		const split = await importStory(await readFile(SHERLOCK), 'sherlock.epub', { split: true });
		const body = (text: string): string => text.slice(text.indexOf('\n# Chapter'));
		const byHand = await readFile(fileURLToPath(new URL('./fixtures/real/a-scandal-in-bohemia.md', import.meta.url)), 'utf8');
		expect(body(renderStory(split.stories[0]!))).toBe(body(byHand));
	});

	it('npm run story:import writes files that pass story:check, and prints what was left out', async () => {
		const out = new Collector();
		const err = new Collector();
		const folder = path.join(work, 'sherlock');
		expect(await runImport([SHERLOCK, '--out', `${folder}/`, '--split'], out, err)).toBe(0);
		expect(err.text).toBe('');
		const files = (await readdir(folder)).sort();
		expect(files).toHaveLength(12);
		expect(files).toContain('a-scandal-in-bohemia.md');
		expect(out.text).toContain('"A Scandal in Bohemia" by Arthur Conan Doyle');
		expect(out.text).toMatch(/Left out:\n  - Titlepage/u);
		const check = new Collector();
		expect(await runCheck(files.map((file) => path.join(folder, file)), new Collector(), check)).toBe(0);
		expect(check.text).toBe('');
	});

	it('says, when a story it wrote into the bot\'s story folder fails the check, that the bot leaves it out until it is fixed', async () => {
		const folder = path.join(work, 'live-stories');
		const page = path.join(work, 'no-author.html');
		await writeFile(page, '<html><head><title>No Author Here</title></head><body><p>Text.</p></body></html>');
		const err = new Collector();
		expect(await runImport([page], new Collector(), err, folder)).toBe(1);
		expect(err.text).toContain(`missing "author"`);
		expect(err.text).toContain(`Fix the problems above: ${folder} is the bot's story folder, and the bot leaves a story file with a mistake out until it is fixed (or import into another folder with --out drafts/ until it is ready)`);
		// Elsewhere (--out a draft folder), the file stops nothing: no such line.
		const elsewhere = new Collector();
		expect(await runImport([page, '--out', path.join(work, 'drafts') + '/'], new Collector(), elsewhere, folder)).toBe(1);
		expect(elsewhere.text).not.toContain('Fix the problems above');
	});

	it('refuses to replace an existing story file without --force', async () => {
		const target = path.join(work, 'existing.md');
		await writeFile(target, 'mine\n');
		const err = new Collector();
		expect(await runImport([SHERLOCK, '--out', target], new Collector(), err)).toBe(1);
		expect(err.text).toBe(`${target} already exists: pass --force to replace, or --out another file or folder\n`);
		expect(await readFile(target, 'utf8')).toBe('mine\n');
		expect(await runImport([SHERLOCK, '--out', target, '--force'], new Collector(), new Collector())).toBe(0);
		expect(await readFile(target, 'utf8')).toMatch(/^---\ntitle: The Adventures of Sherlock Holmes\n/u);
	});
});

describe('story:import of an EPUB 2 without epub:type (NCX table of contents)', () => {
	const page = (title: string, body: string): string =>
		`<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body>${body}</body></html>`;
	const build = async (): Promise<Uint8Array> => {
		const zip = new JSZip();
		zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
		zip.file('META-INF/container.xml', '<container><rootfiles><rootfile full-path="OPS/book.opf"/></rootfiles></container>');
		const items = ['cover', 'ch1', 'ch1_split_001', 'ch2', 'copyright'];
		zip.file(
			'OPS/book.opf',
			`<package version="2.0" xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Two Letters</dc:title><dc:creator>A. Writer</dc:creator><dc:creator>B. Writer</dc:creator><dc:language>en</dc:language><dc:description>&lt;p&gt;Two &lt;i&gt;short&lt;/i&gt; letters.&lt;/p&gt;</dc:description></metadata><manifest>${items.map((id) => `<item id="${id}" href="Text/${id}.html" media-type="application/xhtml+xml"/>`).join('')}<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/></manifest><spine toc="ncx">${items.map((id) => `<itemref idref="${id}"/>`).join('')}</spine></package>`,
		);
		zip.file(
			'OPS/toc.ncx',
			'<ncx><navMap><navPoint><navLabel><text>Cover</text></navLabel><content src="Text/cover.html"/></navPoint><navPoint><navLabel><text>The First Letter</text></navLabel><content src="Text/ch1.html"/></navPoint><navPoint><navLabel><text>The Second Letter</text></navLabel><content src="Text/ch2.html"/></navPoint><navPoint><navLabel><text>Copyright</text></navLabel><content src="Text/copyright.html"/></navPoint></navMap></ncx>',
		);
		zip.file('OPS/Text/cover.html', page('Cover', '<p>TWO LETTERS</p>'));
		zip.file('OPS/Text/ch1.html', page('1', '<h1>The First Letter</h1><p>Dear <b>Sir</b>,</p><p class="center">* * *</p><p>I write in <em>haste</em>.</p>'));
		zip.file('OPS/Text/ch1_split_001.html', page('1', '<p>Yours, A.</p>'));
		zip.file('OPS/Text/ch2.html', page('2', '<h2>The Second Letter</h2><blockquote><p>Sir,</p><p>No.</p></blockquote><p><img src="x.png" alt="a seal"/></p>'));
		zip.file('OPS/Text/copyright.html', page('Copyright', '<p>All rights reserved.</p>'));
		return zip.generateAsync({ type: 'uint8array' });
	};

	it('takes chapters and titles from the NCX, joins a continuation file, and leaves out cover and copyright', async () => {
		const result = await importStory(await build(), 'two-letters.epub');
		expect(result.kind).toBe('EPUB 2');
		const story = parsed(result);
		expect(story.meta).toMatchObject({ title: 'Two Letters', author: 'A. Writer and B. Writer', language: 'en', summary: 'Two *short* letters.' });
		expect(story.chapters!.map((chapter) => chapter.title)).toEqual(['The First Letter', 'The Second Letter']);
		expect(story.chapters!.map((chapter) => chapter.scenes.map((scene) => scene.paragraphs))).toEqual([
			[['Dear **Sir**,'], ['I write in *haste*.', 'Yours, A.']],
			[['> Sir,', '> No.']],
		]);
		expect(result.leftOut).toEqual([
			'Cover (OPS/Text/cover.html: cover)',
			'Copyright (OPS/Text/copyright.html: copyright)',
			'1 image in the text (Discord posts of the story are text only)',
		]);
	});
});

describe('story:import of an HTML page that is not from AO3', () => {
	it('keeps the story and leaves out the site around it (menu, sidebar, footer, form), saying so', async () => {
		const page = [
			'<!doctype html><html><head><title>The Quay</title><meta name="author" content="Ines Vidal"></head><body>',
			'<nav><a href="/">Home</a> | <a href="/about">About</a></nav>',
			'<h1>The Quay</h1><p>Boats came in at dawn.</p><p>Nobody met them.</p>',
			'<aside><h2>Recent posts</h2><p>Another story</p></aside>',
			'<form><p>Leave a comment</p></form>',
			'<footer><p>© 2026 Ines. Privacy</p></footer>',
			'</body></html>',
		].join('');
		const result = await importStory(new TextEncoder().encode(page), 'the-quay.html');
		const story = parsed(result);
		expect(story.meta).toMatchObject({ title: 'The Quay', author: 'Ines Vidal' });
		expect(paragraphsOf(story)).toEqual(['Boats came in at dawn.', 'Nobody met them.']);
		expect(result.leftOut).toEqual(["the page's <nav>, <aside>, <form>, <footer> (menus, sidebars, footers and forms around the story, not story text)"]);
	});
});

describe('story:import of an EPUB without a table of contents', () => {
	it('titles each chapter by its heading, and leaves a chapter without one untitled instead of naming it after the book', async () => {
		const page = (body: string): string => `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>No Map</title></head><body>${body}</body></html>`;
		const zip = new JSZip();
		zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
		zip.file('META-INF/container.xml', '<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>');
		zip.file(
			'OEBPS/content.opf',
			'<package version="2.0" xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>No Map</dc:title><dc:creator>Ann Author</dc:creator></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>',
		);
		zip.file('OEBPS/c1.xhtml', page('<h2>The Start</h2><p>It began.</p>'));
		zip.file('OEBPS/c2.xhtml', page('<p>It ended.</p>'));
		const story = parsed(await importStory(await zip.generateAsync({ type: 'uint8array' }), 'no-map.epub'));
		expect(story.meta.title).toBe('No Map');
		expect(story.chapters!.map((chapter) => chapter.title)).toEqual(['The Start', undefined]);
		expect(story.chapters!.map((chapter) => chapter.scenes[0]!.paragraphs)).toEqual([['It began.'], ['It ended.']]);
	});
});

describe("story:import of AO3's download layout", () => {
	const expectedMeta = {
		title: 'A Truth Universally Acknowledged',
		author: 'Anonymous',
		summary: 'Mrs. Bennet has news. Mr. Bennet has *opinions*.',
		rating: 'General Audiences',
		warnings: ['No Archive Warnings Apply', 'Creator Chose Not To Use Archive Warnings'],
		fandoms: ['Pride and Prejudice - Jane Austen'],
		relationships: ['Elizabeth Bennet/Fitzwilliam Darcy', 'Jane Bennet/Charles Bingley'],
		characters: ['Mrs. Bennet', 'Mr. Bennet', 'Elizabeth Bennet'],
		tags: ['Canon Text', 'Marriage Plot', 'Comedy of Manners'],
		language: 'English',
		series: 'Part 1 of Netherfield Is Let',
		status: 'in-progress',
		notes: "The text is Jane Austen's (1813), in the public domain; this is a test of the layout.",
		endNotes: 'Kudos and comments are welcome.',
		source: 'http://archiveofourown.org/works/1234567',
	};

	const checkWork = (result: ImportResult): void => {
		const story = parsed(result);
		expect(story.meta).toMatchObject(expectedMeta);
		expect(story.meta.plannedChapters).toBeUndefined(); // "Chapters: 3/?"
		expect(result.leftOut).toEqual(
			expect.arrayContaining([
				'Category: F/M (the story format has no field for it)',
				'Collections: Public Domain Readings (the story format has no field for it)',
			]),
		);
		const chapters = story.chapters!;
		expect(chapters.map((chapter) => chapter.title)).toEqual(['Netherfield Park Is Let', undefined, 'The Assembly']);
		expect(chapters.map((chapter) => chapter.notes)).toEqual(['The famous first line.', undefined, 'Summary: Mr. Bingley is seen at last.']);
		expect(chapters.map((chapter) => chapter.endNotes)).toEqual(['Mrs. Long is never seen.', undefined, 'More to come.\n\nThank you for reading!']);
		expect(chapters[0]!.scenes).toHaveLength(2); // the <hr/>
		const paragraphs = paragraphsOf(story);
		expect(paragraphs).toContain('“*You* want to tell me, and I have no objection to hearing it.”');
		expect(paragraphs).toContain('> “We are not in a way to know *what* Mr. Bingley likes,” said her mother resentfully, “since we are not to visit.”');
		// What prose means literally stays literal: asterisks, underscores, a leading "#".
		expect(paragraphs).toContain(
			'Mrs. Bennet deigned not to make any reply, but, unable to contain herself, began scolding one of her daughters. \\*Kitty\\* has no discretion in her coughs, 5 \\* 3 = 15, and snake\\_case\\_words stay.',
		);
		expect(paragraphs.some((paragraph) => paragraph.startsWith('\\# They attacked him'))).toBe(true);
	};

	it('reads the HTML download: every dl.tags field, stats, summary, notes, chapters with their notes and end notes', async () => {
		const result = await importStory(await readFile(AO3_HTML), 'ao3-work.html');
		expect(result.kind).toBe('AO3 HTML download');
		checkWork(result);
		const html = parse(await readFile(AO3_HTML, 'utf8'));
		const source = html.querySelectorAll('#chapters div.userstuff p').map((p) => normalise(p.textContent));
		expect(paragraphsOf(parsed(result)).map(words)).toEqual(source);
	});

	it('reads the EPUB (one file per part, EPUB 2 with an NCX) to the same story', async () => {
		const epub = await zipFolder(path.join(FIXTURES, 'ao3-epub'));
		const result = await importStory(epub, 'ao3-work.epub');
		expect(result.kind).toBe('AO3 EPUB 2');
		checkWork(result);
		const html = await importStory(await readFile(AO3_HTML), 'ao3-work.html');
		expect(renderStory(result.stories[0]!)).toBe(renderStory(html.stories[0]!));
	});

	it('writes "chapters: 3/?" and a file story:check accepts', async () => {
		const target = path.join(work, 'a-truth.md');
		const out = new Collector();
		expect(await runImport([AO3_HTML, '--out', target], out, new Collector())).toBe(0);
		const text = await readFile(target, 'utf8');
		expect(text).toContain('\nchapters: 3/?\n');
		expect(text).toContain('\n# Chapter: Netherfield Park Is Let\n\n---\nnotes: The famous first line.\nend-notes: Mrs. Long is never seen.\n---\n');
		expect(out.text).toContain('Imported');
	});
});

describe('story:import of plain text', () => {
	it('reads the seed: header fields, every paragraph exactly, and says where scene breaks and words were lost', async () => {
		const result = await importStory(await readFile(SEED), 'after-the-end.seed.txt');
		const story = parsed(result);
		expect(story.meta).toMatchObject({
			title: 'After The End',
			author: 'Serenade',
			notes: 'Written for the SV Flash Fic Challenge.',
			challenge: 'Clark/Lex. Futurefic. Clark and Lex make up after years of being apart.',
			disclaimer: "Clark and Lex do not belong to me, alas. I'm only borrowing them.",
		});
		const seedLines = (await readFile(SEED, 'utf8')).split('\n');
		const body = seedLines.slice(9).filter((line) => line.trim() !== '');
		expect(paragraphsOf(story)).toEqual(body);
		expect(story.scenes).toHaveLength(1);
		expect(result.notes.join('\n')).toContain('no scene breaks found');
		expect(result.notes.join('\n')).toMatch(/several blank lines in a row before lines 92, 99, 150, 175, 180 of after-the-end\.seed\.txt/u);
	});

	it('reads a title and its "by" line on consecutive lines as the title and author, not as story text', async () => {
		const text = 'The Huge Tale\nby Some Body\n\nThe cat sat.\n\nThe end.\n';
		const result = await importStory(new TextEncoder().encode(text), 'huge.txt');
		const story = parsed(result);
		expect(story.meta).toMatchObject({ title: 'The Huge Tale', author: 'Some Body' });
		expect(paragraphsOf(story)).toEqual(['The cat sat.', 'The end.']);
		expect(result.notes.join('\n')).not.toContain('no title line');
	});

	it('reads a title, its "by" line and "Key: value" lines typed as one block as the header, not as story text', async () => {
		const text = 'The Lost Key\nby Jo Writer\nRating: General Audiences\nSummary: A key goes missing.\n\nNobody had seen the key.\n\n* * *\n\nThe cat said nothing.\n';
		const result = await importStory(new TextEncoder().encode(text), 'lost-key.txt');
		const story = parsed(result);
		expect(story.meta).toMatchObject({ title: 'The Lost Key', author: 'Jo Writer', rating: 'General Audiences', summary: 'A key goes missing.' });
		expect(paragraphsOf(story)).toEqual(['Nobody had seen the key.', 'The cat said nothing.']);
		expect(result.notes.join('\n')).not.toContain('no title line');
		// Without a byline too; and a first paragraph of prose is still text.
		expect(parsed(await importStory(new TextEncoder().encode('The Lost Key\nAuthor: Jo\n\nText.\n'), 'k.txt')).meta).toMatchObject({ title: 'The Lost Key', author: 'Jo' });
		const prose = await importStory(new TextEncoder().encode('It rained\nall night long\n\nThe end.\n'), 'p.txt');
		expect(prose.stories[0]!.meta.title).toBeUndefined();
	});

	it('writes an empty front matter for a text with no header, to which the author can add title and author lines', async () => {
		const result = await importStory(new TextEncoder().encode('The cat sat.\n\nThe end.\n'), 'bare.txt');
		const written = renderStory(result.stories[0]!);
		expect(written.startsWith('---\n---\n')).toBe(true);
		const completed = written.replace('---\n', '---\ntitle: Bare\nauthor: Someone\n');
		const outcome = parseStory(completed, 'bare.md');
		expect('errors' in outcome ? outcome.errors : []).toEqual([]);
	});

	it('splits scenes at separator lines (* * *, #, ~~~) and keeps lines starting with "#" as text', async () => {
		const text = [
			'Title: The Lighthouse',
			'Author: A. Writer',
			'Rating: Teen And Up Audiences',
			'',
			'The lamp had been dark.',
			'',
			'* * *',
			'',
			'She climbed the stairs,',
			'counting them.',
			'',
			'#',
			'',
			'# 212 steps, she thought.',
			'',
			'~~~',
			'',
			'Morning.',
			'',
		].join('\n');
		const result = await importStory(new TextEncoder().encode(text), 'lighthouse.txt');
		const story = parsed(result);
		expect(story.meta).toMatchObject({ title: 'The Lighthouse', author: 'A. Writer', rating: 'Teen And Up Audiences' });
		expect(story.scenes.map((scene) => scene.paragraphs)).toEqual([
			['The lamp had been dark.'],
			['She climbed the stairs,\ncounting them.'],
			['\\# 212 steps, she thought.'],
			['Morning.'],
		]);
		expect(result.notes.join('\n')).not.toContain('no scene breaks');
	});
});

describe('story:import of a file it cannot read', () => {
	const run = async (file: string): Promise<{ code: number; err: string; out: string }> => {
		const out = new Collector();
		const err = new Collector();
		const code = await runImport([file, '--out', path.join(work, 'never.md')], out, err);
		return { code, err: err.text, out: out.text };
	};
	const write = async (name: string, bytes: Uint8Array | string): Promise<string> => {
		const file = path.join(work, 'bad', name);
		await mkdir(path.dirname(file), { recursive: true });
		await writeFile(file, bytes);
		return file;
	};

	const cases: [string, () => Promise<string | Uint8Array>, string][] = [
		['story.pdf', async () => '%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'a PDF: export EPUB or HTML from your editor'],
		['story.docx', async () => new JSZip().file('[Content_Types].xml', '<Types/>').file('word/document.xml', '<w:document/>').generateAsync({ type: 'uint8array' }), 'a Word document (.docx)'],
		['photos.zip', async () => new JSZip().file('a.jpg', 'x').generateAsync({ type: 'uint8array' }), 'a zip file, but not an EPUB'],
		['empty.txt', async () => '', 'an empty file'],
		['latin1.txt', async () => new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'text that is not UTF-8'],
	];
	it.each(cases)('%s gets one line saying what it is and what would help, and exit code 1', async (name, make, expected) => {
		const file = await write(name, await make());
		const { code, err, out } = await run(file);
		expect(code).toBe(1);
		expect(out).toBe('');
		expect(err.split('\n').filter((line) => line !== '')).toHaveLength(1);
		expect(err).toContain(`${file}: ${expected}`);
		expect(err).not.toMatch(/\n\s+at /u);
	});

	it('a missing file and a folder are named as such', async () => {
		expect(await run(path.join(work, 'nope.epub'))).toEqual({ code: 1, out: '', err: `${path.join(work, 'nope.epub')}: cannot read: no such file\n` });
		expect(await run(work)).toEqual({ code: 1, out: '', err: `${work}: cannot read: is a folder, not a file\n` });
	});
});
