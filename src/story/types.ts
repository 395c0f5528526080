/** A story as the bot serves it: parsed from one Markdown file in `story/`. */
export interface Story {
	/** Stable identifier: `id` in the metadata, or the file name without `.md`. Matches /^[a-z0-9][a-z0-9-]*$/. */
	id: string;
	/**
	 * True when the front matter's `id:` set the id, so renaming the file keeps readers' progress;
	 * absent when the id comes from the file name (renaming the file then starts it afresh).
	 */
	idPinned?: true;
	/** 1-based line of that `id:` in the file, for messages about the id (a duplicate points at it). */
	idLine?: number;
	/** Path the story was loaded from, relative to the working directory, for messages. */
	file: string;
	meta: StoryMeta;
	/**
	 * At least one scene; `scenes[i].number === i + 1`. In a chaptered story, every chapter's scenes
	 * (the text between its scene breaks) in order.
	 */
	scenes: Scene[];
	/**
	 * Present only in a chaptered story (`# Chapter` headings); a story of `# Scene` headings has none
	 * and is read one scene per `/next`, as it always was. `chapters[i].number === i + 1`.
	 */
	chapters?: Chapter[];
	/** Paragraphs after the last scene (the footer), possibly empty. */
	afterword: string[];
}

/** AO3's ratings, as AO3 spells them. */
export const RATINGS = ['General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit', 'Not Rated'] as const;
export type Rating = (typeof RATINGS)[number];

export interface StoryMeta {
	title: string;
	author: string;
	notes?: string;
	challenge?: string;
	disclaimer?: string;
	/** Reader-facing content notes, shown behind a spoiler on the title card. */
	contentNotes: string[];
	/** Where the author wants feedback sent, in the author's words. */
	feedback?: string;
	/** Where the story comes from (archive, list, URL). */
	source?: string;
	/** Emoji offered under every scene, 1 to 5 of them, unicode emoji only. */
	feedbackEmoji: string[];
	// AO3's fields; each is absent (or an empty list) unless the front matter gives it.
	summary?: string;
	rating?: Rating;
	/** AO3's archive warnings, as written. */
	warnings?: string[];
	fandoms?: string[];
	relationships?: string[];
	characters?: string[];
	tags?: string[];
	/** The story's language as the author wrote it (AO3's "Language"), shown on the title card. */
	language?: string;
	/**
	 * The BCP 47 tag `language` was understood as ("zh", "he"; see src/story/language.ts): the text's
	 * sentence and word boundaries and its reading rate. Absent when `language` is absent or not
	 * understood; English is used then.
	 */
	languageTag?: string;
	/** The series the story belongs to, in the author's words ("Smallville Futures, part 2"). */
	series?: string;
	/** `in-progress` stories are still being written; absent means complete. */
	status?: 'complete' | 'in-progress';
	/** The total number of chapters the author plans, from `chapters: 3/12` (absent for `3/?`). */
	plannedChapters?: number;
	/** Notes shown on the end card, before the afterword. */
	endNotes?: string;
	/** Minutes of reading one `/next` posts in a chaptered story (1 to 60; default 10). */
	sittingMinutes?: number;
}

export interface Chapter {
	/** 1-based position in the story. */
	number: number;
	/** The author's id for it (`# Chapter: Title {#id}`): what readings and votes refer to (src/story/keys.ts). */
	id?: string;
	/** Optional title given at the chapter marker. */
	title?: string;
	/** The `# Part` this chapter is in, if the story has parts. */
	part?: { number: number; title?: string };
	/** Chapter notes, shown before its text; end notes, shown after it. */
	notes?: string;
	endNotes?: string;
	/** The chapter's scenes (text between scene breaks), at least one; the same objects as in `Story.scenes`. */
	scenes: Scene[];
	/** 1-based line of the chapter marker in the file. */
	line: number;
}

export interface Scene {
	/** 1-based position in the story. */
	number: number;
	/** The author's id for a `# Scene` (`# Scene: Title {#id}`); never set on a chapter's scenes. */
	id?: string;
	/** Optional title given at the scene marker. */
	title?: string;
	/** Paragraphs in order, each exactly as written in the file (Discord Markdown). */
	paragraphs: string[];
	/** 1-based line of the scene marker in the file (in a chapter, of its first line), for messages. */
	line: number;
}

export const DEFAULT_FEEDBACK_EMOJI: readonly string[] = ['❤️', '😂', '😮', '😢', '🔥'];
