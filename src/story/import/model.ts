import { stringify } from 'yaml';

/** A story read from another format, before it is written as a story file. */
export interface ImportedStory {
	/**
	 * Front matter, in the order it is written: keys of story/README.md (`title`, `author`, `summary`,
	 * `rating`, `warnings`, `chapters`, …); a list for list fields.
	 */
	meta: Record<string, string | string[]>;
	/** At least one chapter. */
	chapters: ImportedChapter[];
	/** Paragraphs for `# Afterword`, if any. */
	afterword?: string[];
}

export interface ImportedChapter {
	title?: string;
	/** The `# Part` this chapter is in; chapters of one part share the same object. */
	part?: { title?: string };
	notes?: string;
	endNotes?: string;
	/** The chapter's scenes (text between scene breaks), each a list of paragraphs in Discord Markdown. */
	scenes: string[][];
}

/** What an import produced, and what it did not bring over (for the summary). */
export interface ImportResult {
	stories: ImportedStory[];
	/** Things in the source that are not in the story, one line each ("colophon (text/colophon.xhtml)"). */
	leftOut: string[];
	/** Things the author should look at ("no scene breaks found: …"). */
	notes: string[];
	/** What the source was, for the summary ("EPUB 3", "AO3 HTML download", "plain text"). */
	kind: string;
}

/** Lowercase, digits and `-`, at most 50 characters: a story id (story/README.md) made from a title. */
export function slugify(title: string): string {
	const slug = title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/gu, '')
		.toLowerCase()
		.replace(/['’‘]/gu, '')
		.replace(/[^a-z0-9]+/gu, '-')
		.replace(/^-+|-+$/gu, '');
	const short = slug.length > 50 ? slug.slice(0, 50).replace(/-[^-]*$/u, '') : slug;
	return short === '' ? 'story' : short;
}

/** A title for a `#` marker line: one line, at most 100 characters (the parser's limit). */
function markerTitle(title: string | undefined): string {
	if (title === undefined) return '';
	const line = title.replace(/\s+/gu, ' ').trim();
	if (line === '') return '';
	return `: ${line.length > 100 ? `${line.slice(0, 99)}…` : line}`;
}

function yamlBlock(fields: Record<string, string | string[]>): string {
	return stringify(fields, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' }).replace(/\n$/u, '');
}

/**
 * The story file's text (story/README.md): YAML front matter, then `# Part` / `# Chapter` blocks,
 * each with its notes as chapter front matter and scene breaks between its scenes, then `# Afterword`.
 */
export function renderStory(story: ImportedStory): string {
	// Nothing known (a text with no header): an empty block, where the author adds `title:` and `author:`
	// lines (YAML's `{}` would turn those lines into a syntax error).
	const out: string[] = ['---', ...(Object.keys(story.meta).length > 0 ? [yamlBlock(story.meta)] : []), '---', ''];
	let part: ImportedChapter['part'];
	for (const chapter of story.chapters) {
		if (chapter.part && chapter.part !== part) {
			out.push(`# Part${markerTitle(chapter.part.title)}`, '');
		}
		part = chapter.part;
		out.push(`# Chapter${markerTitle(chapter.title)}`, '');
		const fields: Record<string, string> = {};
		if (chapter.notes) fields.notes = chapter.notes;
		if (chapter.endNotes) fields['end-notes'] = chapter.endNotes;
		if (Object.keys(fields).length > 0) out.push('---', yamlBlock(fields), '---', '');
		chapter.scenes.forEach((scene, index) => {
			if (index > 0) out.push('* * *', '');
			for (const paragraph of scene) out.push(paragraph, '');
		});
	}
	if (story.afterword && story.afterword.length > 0) {
		out.push('# Afterword', '');
		for (const paragraph of story.afterword) out.push(paragraph, '');
	}
	return `${out.join('\n').replace(/\n+$/u, '')}\n`;
}
