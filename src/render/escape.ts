import { escapeMarkdown } from '@discordjs/formatters';

/*
 * Story text is Discord Markdown as the author wrote it, so inline syntax (`*italics*`, `||spoilers||`,
 * links) is left alone. Block syntax at the start of a line is not: the story file's paragraphs are
 * prose, and a line like `- Run!` or `# 3` must not turn into a list item or a heading. A chunk that
 * begins mid-line after a split starts a line in Discord too, which is why escaping happens per chunk.
 *
 * One regex covers every marker, so each line gets at most one backslash and the escape has an exact
 * inverse (`unescapeBlockMarkdown`). @discordjs/formatters' `escapeHeading`/`escapeBulletedList`/
 * `escapeNumberedList` cover only part of this (no quotes, no `-#` subtext, headings only after ≤ 2
 * spaces) and escape some lines twice, which would make the inverse ambiguous.
 *
 * Markers, after optional indentation: `#`, `##`, `###` (headings), `-#` (subtext), `-` and `*`
 * (bulleted lists), `>` and `>>>` (quotes), each followed by a space or tab; and `1.` (numbered lists),
 * escaped at the dot because Discord shows `\1` literally. Patterns are prefixes of the line, so
 * appending text never removes an escape: the escaped length only grows as a chunk grows.
 */
const BLOCK_MARKER = /^([ \t]*)(?:(#{1,3}[ \t]|-#[ \t]|[*-][ \t]|>(?:>>)?[ \t])|(\d+)\.)/gm;
const ESCAPED_BLOCK_MARKER = /^([ \t]*)(?:\\(#{1,3}[ \t]|-#[ \t]|[*-][ \t]|>(?:>>)?[ \t])|(\d+)\\\.)/gm;

/** Makes Discord show line-start block syntax (headings, subtext, lists, quotes) literally. */
export function escapeBlockMarkdown(text: string): string {
	return text.replace(BLOCK_MARKER, (_match, indent: string, marker: string | undefined, number: string | undefined) =>
		marker === undefined ? `${indent}${number}\\.` : `${indent}\\${marker}`,
	);
}

/**
 * Inverse of `escapeBlockMarkdown`: `unescapeBlockMarkdown(escapeBlockMarkdown(t)) === t` for any `t`
 * without an author-written backslash right before a line-start marker (such a line already shows
 * literally and is not escaped again, so both spellings escape to the same text).
 */
export function unescapeBlockMarkdown(text: string): string {
	return text.replace(ESCAPED_BLOCK_MARKER, (_match, indent: string, marker: string | undefined, number: string | undefined) =>
		marker === undefined ? `${indent}${number}.` : `${indent}${marker}`,
	);
}

/** `escapeBlockMarkdown(text).length`, without building the string: one backslash per escaped line. */
export function escapedBlockLength(text: string): number {
	return text.length + (text.match(BLOCK_MARKER)?.length ?? 0);
}

/**
 * Metadata (titles, names) shown inside our own formatting, every Markdown character literal, so an
 * author's `*` or `||` cannot break the bold or spoiler around it. Pass it one line (`oneLine`).
 */
export function escapeInline(text: string): string {
	return escapeMarkdown(text, { maskedLink: true });
}

/** Collapses line breaks and runs of whitespace, for metadata shown on one line. */
export function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/**
 * Message content pings even when the text only quotes a mention; `allowedMentions` already stops
 * that, and a zero-width space after the `@` keeps `@everyone`/`@here` inert should a payload ever
 * lose its `allowedMentions`. Embeds never ping, so only content gets this.
 */
export function defuseMassMentions(content: string): string {
	return content.replace(/@(everyone|here)/g, '@\u200b$1');
}

/** A character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko...): strong R or AL in UAX #9. */
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Story text (a title, an author, a part's title) that the bot's own words embed, as a directional
 * isolate when it holds right-to-left letters: FSI … PDI (U+2068, U+2069; Unicode's bidirectional
 * algorithm, UAX #9, section 2.7), so an Arabic or Hebrew title keeps its own order and the label's
 * " · Scene 2 of 4" and punctuation around it stay where the sentence puts them, instead of being
 * pulled into the title's right-to-left run. Text without right-to-left letters is returned as is.
 */
export function isolateDirection(text: string): string {
	return RIGHT_TO_LEFT.test(text) ? `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}` : text;
}
