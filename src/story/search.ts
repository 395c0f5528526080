// Finding a story from what a reader types (autocomplete of `story:`): pure, no discord.js.
import type { Story } from './types.js';

/** Lower case, accents and other combining marks removed (NFD, then \p{M} dropped): "Bohème" → "boheme". */
export function foldForSearch(text: string): string {
	return text.normalize('NFD').replace(/\p{M}+/gu, '').toLocaleLowerCase('und');
}

/** The words of `text`, folded (see foldForSearch): runs of letters and digits. */
export function searchWords(text: string): string[] {
	return foldForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * True when every word typed is the start of a word of the story's title, author or id (its
 * hyphenated parts count as words), case and accents aside; always true for blank text.
 */
export function matchesTyped(story: Pick<Story, 'id' | 'meta'>, typed: string): boolean {
	const wanted = searchWords(typed);
	if (wanted.length === 0) return true;
	const own = ownWords(story);
	return wanted.every((word) => own.some((candidate) => candidate.startsWith(word)));
}

/** A story's searchable words, folded once per story object (autocomplete runs on every keystroke). */
const folded = new WeakMap<object, readonly string[]>();

function ownWords(story: Pick<Story, 'id' | 'meta'>): readonly string[] {
	let own = folded.get(story);
	if (own === undefined) {
		own = [...searchWords(story.meta.title), ...searchWords(story.meta.author), ...searchWords(story.id), foldForSearch(story.id)];
		folded.set(story, own);
	}
	return own;
}
