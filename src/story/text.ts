import { countReadingUnits, readingRate, storyLanguage, WORD_RATE } from './language.js';
import type { Scene, Story } from './types.js';

/** Words a minute for languages counted in words (the low end of Brysbaert 2019's range for fiction; see ReadingRate in ./language.ts). */
export const WORDS_PER_MINUTE = WORD_RATE.perMinute;

/** A scene's text as one Discord Markdown string: its paragraphs separated by a blank line. */
export function sceneText(scene: Pick<Scene, 'paragraphs'>): string {
	return scene.paragraphs.join('\n\n');
}

export { countWords } from './language.js';

/**
 * What a reader reads in all scenes of a story (the afterword is not part of the reading), in its
 * language's unit: words, or characters for Chinese and Japanese (see ./language.ts).
 */
export function storyWordCount(story: Pick<Story, 'scenes'> & { meta?: Pick<Story['meta'], 'languageTag'> }): number {
	const language = storyLanguage(story.meta ?? {});
	let words = 0;
	for (const scene of story.scenes) words += countReadingUnits(sceneText(scene), language);
	return words;
}

/** Minutes to read every scene at the story language's rate, rounded up, at least 1. */
export function estimateReadingMinutes(story: Pick<Story, 'scenes'> & { meta?: Pick<Story['meta'], 'languageTag'> }): number {
	return Math.max(1, Math.ceil(storyWordCount(story) / readingRate(storyLanguage(story.meta ?? {})).perMinute));
}
