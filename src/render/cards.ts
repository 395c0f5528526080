import { bold, spoiler, subtext } from '@discordjs/formatters';
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { cardWordsIn, type CardWords } from '../messages/cards.js';
import type { Story } from '../story/types.js';
import { defuseMassMentions, escapeBlockMarkdown, escapedBlockLength, escapeInline, oneLine } from './escape.js';
import { renderFeedbackSummary, type Tally } from './feedback.js';
import { DISCORD_LIMITS } from './limits.js';
import { EMBED_COLOR, embedCharacters, noMentions, type MessagePayload } from './payload.js';
import { takeFittingPrefix } from './split.js';
import { blockText, fitText, inlineLabel } from './truncate.js';

/*
 * Caps for metadata, chosen so that a card stays inside the 6,000 characters all embeds of a message
 * share even when every piece of metadata is absurdly long: 256 + 256 + 2,600 (description) + 1,024
 * (content notes) + 60 (length) + 700 (feedback) + 500 (source) + field names < 6,000.
 */
const CAP = {
	title: DISCORD_LIMITS.embedTitle,
	byline: DISCORD_LIMITS.embedAuthorName,
	notes: 1500,
	challenge: 500,
	disclaimer: 500,
	contentNotes: DISCORD_LIMITS.fieldValue - 4,
	feedback: 600,
	source: 500,
	contentLabel: 300,
} as const;

const WORDS_PER_MINUTE = 200;
/** Left for the reactions summary on the end card, when the afterword would take everything. */
const SUMMARY_FLOOR = 1500;

/**
 * The message that opens a reading: title and byline, the author's notes, challenge and disclaimer,
 * the content notes behind a spoiler, length and reading time, and where feedback goes. The bot's
 * own words (labels) are `words`' (default English); the story's text is never translated.
 */
export function renderTitleCard(story: Story, words: CardWords = cardWordsIn()): MessagePayload {
	const { meta } = story;
	const description = [
		meta.notes === undefined ? '' : blockText(meta.notes, CAP.notes),
		meta.challenge === undefined ? '' : labelled(words.challenge, blockText(meta.challenge, CAP.challenge)),
		meta.disclaimer === undefined ? '' : labelled(words.disclaimer, blockText(meta.disclaimer, CAP.disclaimer)),
	]
		.filter((section) => section !== '')
		.join('\n\n');
	const contentNotes = meta.contentNotes.map(oneLine).filter((note) => note !== '');
	const fields = nonEmptyFields([
		{ name: words.contentNotes, value: contentNotes.length === 0 ? words.noContentNotes : spoiler(fitText(contentNotes.join(' · '), CAP.contentNotes, escapeInline)) },
		{ name: words.length, value: words.lengthValue(story.scenes.length, readingMinutes(story)), inline: true },
		{ name: words.feedback, value: feedbackHint(story, words) },
		{ name: words.source, value: meta.source === undefined ? '' : blockText(meta.source, CAP.source) },
	]);
	const embed: APIEmbed = {
		title: inlineLabel(meta.title, CAP.title),
		author: { name: byline(story, words) },
		...(description === '' ? {} : { description }),
		fields,
		color: EMBED_COLOR,
	};
	return { content: defuseMassMentions(words.byAuthor(bold(inlineLabel(meta.title, CAP.contentLabel)), inlineLabel(meta.author, CAP.contentLabel))), embeds: [embed], allowedMentions: noMentions() };
}

/**
 * The message that closes a reading: "The end of <title>", the afterword, where feedback goes and
 * where the story comes from, and with a `tally`, the readers' reactions scene by scene.
 *
 * The afterword is story text and is never cut mid-word, but one message holds 6,000 characters: a
 * longer afterword stops at a paragraph or sentence end, with a line saying so. Labels in `words`.
 */
export function renderEndCard(story: Story, tally?: Tally, words: CardWords = cardWordsIn()): MessagePayload {
	const { meta } = story;
	// With a tally the summary ends with the feedback line, so the field would only repeat it.
	const fields = nonEmptyFields([
		{ name: words.feedback, value: tally === undefined ? feedbackHint(story, words) : '' },
		{ name: words.source, value: meta.source === undefined ? '' : blockText(meta.source, CAP.source) },
	]);
	const ending: APIEmbed = {
		title: fitText(words.endTitle(oneLine(meta.title)), CAP.title, escapeInline),
		author: { name: byline(story, words) },
		...(fields.length === 0 ? {} : { fields }),
		color: EMBED_COLOR,
	};
	const summaryTitle = words.readerReactions;
	let room: number = DISCORD_LIMITS.embedsTotal - embedCharacters(ending) - (tally === undefined ? 0 : summaryTitle.length);

	const summaryWanted = tally === undefined ? 0 : renderFeedbackSummary(story, tally, undefined, words).length;
	const afterword = fitAfterword(story.afterword.join('\n\n'), subtext(words.afterwordCut), Math.min(DISCORD_LIMITS.embedDescription, room - Math.min(summaryWanted, SUMMARY_FLOOR)));
	if (afterword !== '') ending.description = afterword;
	room -= afterword.length;

	const embeds = [ending];
	if (tally !== undefined) {
		const summary = renderFeedbackSummary(story, tally, Math.min(DISCORD_LIMITS.embedDescription, room), words);
		embeds.push({ title: summaryTitle, ...(summary === '' ? {} : { description: summary }), color: EMBED_COLOR });
	}
	return { content: defuseMassMentions(words.endContent(bold(inlineLabel(meta.title, CAP.contentLabel)))), embeds, allowedMentions: noMentions() };
}

/** Minutes to read the whole story at 200 words a minute, rounded up, at least 1. */
export function readingMinutes(story: Story): number {
	let words = 0;
	for (const scene of story.scenes) for (const paragraph of scene.paragraphs) words += paragraph.match(/\S+/g)?.length ?? 0;
	return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

function fitAfterword(text: string, cutNote: string, max: number): string {
	if (text.trim() === '') return '';
	if (escapedBlockLength(text.trim()) <= max) return escapeBlockMarkdown(text.trim());
	const { prefix } = takeFittingPrefix(text, max - cutNote.length - 2, escapedBlockLength);
	return `${escapeBlockMarkdown(prefix)}\n\n${cutNote}`;
}

/** The story's feedback emoji, which the bot offers under every scene, and the author's own words on feedback. */
function feedbackHint(story: Story, words: CardWords): string {
	const emoji = story.meta.feedbackEmoji;
	const react = emoji.length === 0 ? '' : words.reactUnder(emoji.join(' '));
	const own = story.meta.feedback === undefined ? '' : blockText(story.meta.feedback, CAP.feedback);
	return [react, own].filter((line) => line !== '').join('\n');
}

function byline(story: Story, words: CardWords): string {
	// An embed author name shows as plain text, without Markdown, so it is not escaped.
	return fitText(words.byline(oneLine(story.meta.author)), CAP.byline);
}

function labelled(label: string, text: string): string {
	return text === '' ? '' : `${bold(`${label}:`)} ${text}`;
}

/** Discord rejects a field with an empty value. */
function nonEmptyFields(fields: APIEmbedField[]): APIEmbedField[] {
	return fields.filter((field) => field.value !== '');
}
