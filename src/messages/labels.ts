// A story's title or author inside the bot's own words (an autocomplete choice, a menu option, a
// button, a /library line): the one place they are cut to Discord's length limits and isolated from
// the sentence around them, so a right-to-left title never reorders "by", "·" or a number.
import { fitText, isolateDirection, oneLine } from '../render/index.js';

/**
 * `raw` (a title or an author) on one line, at most `max` characters, wrapped in FSI … PDI (U+2068,
 * U+2069; isolateDirection) when it holds right-to-left letters. A cut keeps the isolate whole: the
 * text is cut first and the "…" follows the closing PDI.
 */
export function storyLabel(raw: string, max: number): string {
	return fitText(oneLine(raw), max, isolateDirection);
}

/** `wrap(label)` with the label isolated and cut so the whole is at most `max` characters ("by …", "Read …"). */
export function storyLabelIn(wrap: (label: string) => string, raw: string, max: number): string {
	return wrap(storyLabel(raw, Math.max(1, max - wrap('').length)));
}

/**
 * `wrap(title, author)` ("Title by Author") at most `max` characters, each isolated as storyLabel
 * does. The author gets at most two fifths of the room left by the sentence's own words, the title
 * the rest, so both show and neither loses its closing PDI to a cut of the whole sentence.
 */
export function storyLabelsIn(wrap: (title: string, author: string) => string, title: string, author: string, max: number): string {
	const room = Math.max(2, max - wrap('', '').length);
	const titleLength = storyLabel(title, room).length;
	const authorLength = storyLabel(author, room).length;
	const authorLabel = storyLabel(author, Math.max(1, Math.min(authorLength, Math.max(Math.floor((room * 2) / 5), room - titleLength))));
	return wrap(storyLabel(title, Math.max(1, room - authorLabel.length)), authorLabel);
}
