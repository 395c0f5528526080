import type { Scene, Story } from './types.js';

/** Average adult silent-reading speed for fiction; good enough for a "about N min" hint. */
export const WORDS_PER_MINUTE = 200;

/** A scene's text as one Discord Markdown string: its paragraphs separated by a blank line. */
export function sceneText(scene: Pick<Scene, 'paragraphs'>): string {
	return scene.paragraphs.join('\n\n');
}

/**
 * Words in a text: whitespace-separated tokens holding at least one letter or digit,
 * so a free-standing dash or `*` is not counted but "examination--" is one word.
 */
export function countWords(text: string): number {
	let words = 0;
	for (const token of text.split(/\s+/u)) {
		if (/[\p{L}\p{N}]/u.test(token)) words += 1;
	}
	return words;
}

/** Words in all scenes of a story (the afterword is not part of the reading). */
export function storyWordCount(story: Pick<Story, 'scenes'>): number {
	let words = 0;
	for (const scene of story.scenes) words += countWords(sceneText(scene));
	return words;
}

/** Minutes to read every scene at WORDS_PER_MINUTE, rounded up, at least 1. */
export function estimateReadingMinutes(story: Pick<Story, 'scenes'>): number {
	return Math.max(1, Math.ceil(storyWordCount(story) / WORDS_PER_MINUTE));
}
