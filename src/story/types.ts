/** A story as the bot serves it: parsed from one Markdown file in `story/`. */
export interface Story {
	/** Stable identifier: `id` in the metadata, or the file name without `.md`. Matches /^[a-z0-9][a-z0-9-]*$/. */
	id: string;
	/** Path the story was loaded from, relative to the working directory, for messages. */
	file: string;
	meta: StoryMeta;
	/** At least one scene; `scenes[i].number === i + 1`. */
	scenes: Scene[];
	/** Paragraphs after the last scene (the footer), possibly empty. */
	afterword: string[];
}

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
}

export interface Scene {
	/** 1-based position in the story. */
	number: number;
	/** Optional title given at the scene marker. */
	title?: string;
	/** Paragraphs in order, each exactly as written in the file (Discord Markdown). */
	paragraphs: string[];
	/** 1-based line of the scene marker in the file, for messages. */
	line: number;
}

export const DEFAULT_FEEDBACK_EMOJI: readonly string[] = ['❤️', '😂', '😮', '😢', '🔥'];
