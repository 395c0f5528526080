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
	// One pass over the characters, ASCII decided by code, the rest by the same Unicode classes as
	// `split(/\s+/u)` + `/[\p{L}\p{N}]/u` (which allocated every token: most of the time to load
	// 500 stories, measured by the bench). test/story-text.test.ts checks they agree.
	let words = 0;
	let counted = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		let space: boolean;
		let wordy: boolean;
		if (code < 0x80) {
			space = code === 0x20 || (code >= 0x09 && code <= 0x0d);
			const lower = code | 0x20;
			wordy = (code >= 0x30 && code <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
		} else {
			const character = String.fromCodePoint(text.codePointAt(index)!);
			if (character.length === 2) index++;
			space = WHITESPACE.test(character);
			wordy = !space && LETTER_OR_DIGIT.test(character);
		}
		if (space) counted = false;
		else if (wordy && !counted) {
			words += 1;
			counted = true;
		}
	}
	return words;
}

const WHITESPACE = /^\s$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** How many runs of non-whitespace `text` has (what `text.match(/\S+/g).length` counts, without the array). */
export function countTokens(text: string): number {
	let tokens = 0;
	let inToken = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		const space = code < 0x80 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : WHITESPACE.test(text[index]!);
		if (space) inToken = false;
		else if (!inToken) {
			tokens += 1;
			inToken = true;
		}
	}
	return tokens;
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
