import TurndownService from 'turndown';

/*
 * HTML to the story format's text, through turndown (https://github.com/mixmark-io/turndown): inline
 * formatting becomes Discord Markdown (`*italics*`, `**bold**`, `__underline__`, `~~strike~~`),
 * block quotes become `> ` lines, `<hr>` a scene break. Turndown escapes what prose never means but
 * Markdown would (`\*`, `\_`, a leading `\-`); the story format's own line-start syntax is escaped
 * on top of that (see `escapeStoryText`).
 */

/** What a scene break is written as in the story file (story/README.md). */
export const SCENE_BREAK = '* * *';

/**
 * A paragraph that only holds a separator, as manuscripts and archives write scene breaks:
 * `* * *`, `***`, `#`, `~~~`, `⁂`, `-----`, `o0o`, `~*~`.
 */
export function isSeparatorText(text: string): boolean {
	const trimmed = text.trim();
	if (trimmed === '') return false;
	return /^[*#~=_+•·⁂§\s-]+$/u.test(trimmed) || /^(?:o0o|0o0|oOo|xXx)$/u.test(trimmed);
}

/** What turndown dropped while converting: images and the like, counted for the import summary. */
export interface ConversionNotes {
	images: number;
}

let sharedNotes: ConversionNotes = { images: 0 };

function createService(): TurndownService {
	const service = new TurndownService({ emDelimiter: '*', strongDelimiter: '**', hr: SCENE_BREAK, br: '', codeBlockStyle: 'fenced', headingStyle: 'atx' });
	const escapeMarkdown = service.escape.bind(service);
	service.escape = (text: string): string => escapeStoryText(escapeMarkdown(text));
	service.remove((node) => ['SCRIPT', 'STYLE', 'HEAD', 'TITLE', 'SVG'].includes(node.nodeName.toUpperCase()));
	service.addRule('images', {
		filter: 'img',
		replacement: () => {
			sharedNotes.images += 1;
			return '';
		},
	});
	// A link's words stay; where it pointed is not part of the story (and footnote links go nowhere).
	service.addRule('links', { filter: 'a', replacement: (content) => content });
	service.addRule('underline', { filter: ['u', 'ins'], replacement: (content) => (content.trim() === '' ? content : `__${content}__`) });
	service.addRule('strike', { filter: ['s', 'del', 'strike'], replacement: (content) => (content.trim() === '' ? content : `~~${content}~~`) });
	// A heading inside the text (the chapter's own title is taken out before) stays a line of its own, in bold:
	// the story format reserves `#` lines for its markers.
	service.addRule('headings', {
		filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
		replacement: (content) => (content.trim() === '' ? '' : `\n\n**${content.trim()}**\n\n`),
	});
	// A separator written as a paragraph is a scene break, like <hr>.
	service.addRule('separatorParagraph', {
		filter: (node) => node.nodeName === 'P' && isSeparatorText(node.textContent ?? ''),
		replacement: () => `\n\n${SCENE_BREAK}\n\n`,
	});
	// One space after a list marker (turndown writes three): a list in a story is a letter's or a diary's.
	service.addRule('listItem', {
		filter: 'li',
		replacement: (content, node) => {
			const parent = node.parentNode as { nodeName: string; getAttribute?: (name: string) => string | null; children?: ArrayLike<unknown> } | null;
			const ordered = parent?.nodeName === 'OL';
			const start = Number(parent?.getAttribute?.('start') ?? '1') || 1;
			const position = parent?.children ? Array.prototype.indexOf.call(parent.children, node) : 0;
			const prefix = ordered ? `${start + position}. ` : '- ';
			const body = content.replace(/^\n+/u, '').replace(/\n+$/u, '').replace(/\n/gu, `\n${' '.repeat(prefix.length)}`);
			// An item of paragraphs (a loose list) is a paragraph of the story; a tight list stays one paragraph.
			const loose = (node as { querySelector?: (selector: string) => unknown }).querySelector?.('p') != null;
			return `${prefix}${body}${node.nextSibling ? (loose ? '\n\n' : '\n') : ''}`;
		},
	});
	// Every paragraph of a quote is a paragraph of the story, each line marked `> `.
	service.addRule('blockquote', {
		filter: 'blockquote',
		replacement: (content) => {
			const quoted = content
				.replace(/^\n+|\n+$/gu, '')
				.split('\n')
				.map((line) => (line.trim() === '' ? '' : `> ${line}`))
				.join('\n');
			return `\n\n${quoted}\n\n`;
		},
	});
	return service;
}

const service = createService();

/**
 * Line starts the story format reads as its own syntax (story/README.md), made literal with a
 * backslash: a heading (`#`, `# Chapter`), a separator line, an HTML comment. Turndown's escape runs
 * on one text node at a time, so `^` is the start of a text node, which is where a line starts.
 */
export function escapeStoryText(text: string): string {
	return text
		.replace(/^(#+)(?=\s|$)/u, '\\$1')
		.replace(/^<!--/u, '\\<!--')
		.replace(/\|\|/gu, '\\|\\|')
		.replace(/^⁂/u, '\\⁂');
}

/**
 * An HTML fragment (`html`: elements or a body's inner HTML) as the story's paragraphs, scenes split
 * at scene breaks: `[[p1, p2], [p3]]`. Breaks at the start or end, or twice in a row, are dropped
 * (the story format has breaks only between two scenes). Never throws on malformed HTML.
 */
export function htmlToScenes(html: string, notes?: ConversionNotes): string[][] {
	const paragraphs = htmlToParagraphs(html, notes);
	const scenes: string[][] = [[]];
	for (const paragraph of paragraphs) {
		if (paragraph === SCENE_BREAK) {
			if (scenes.at(-1)!.length > 0) scenes.push([]);
		} else {
			scenes.at(-1)!.push(paragraph);
		}
	}
	if (scenes.length > 1 && scenes.at(-1)!.length === 0) scenes.pop();
	return scenes;
}

/** The paragraphs of an HTML fragment, scene breaks as SCENE_BREAK; code fences stay one paragraph. */
export function htmlToParagraphs(html: string, notes?: ConversionNotes): string[] {
	sharedNotes = notes ?? { images: 0 };
	const markdown = service.turndown(html);
	const paragraphs: string[] = [];
	let current: string[] = [];
	let fence: string | undefined;
	for (const rawLine of markdown.split('\n')) {
		const line = rawLine.replace(/[ \t]+$/u, '');
		const marker = /^ {0,3}(`{3,}|~{3,})/u.exec(line)?.[1];
		if (fence !== undefined) {
			current.push(line);
			if (marker?.startsWith(fence) && line.trim() === marker) fence = undefined;
			continue;
		}
		if (marker !== undefined) fence = marker;
		if (line.trim() === '' && fence === undefined) {
			if (current.length > 0) paragraphs.push(current.join('\n'));
			current = [];
			continue;
		}
		current.push(line);
	}
	if (current.length > 0) paragraphs.push(current.join('\n'));
	return paragraphs;
}

/** An HTML fragment as one text of paragraphs separated by blank lines (notes, summaries). */
export function htmlToText(html: string): string {
	return htmlToParagraphs(html)
		.filter((paragraph) => paragraph !== SCENE_BREAK)
		.join('\n\n');
}
