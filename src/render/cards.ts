import { bold, spoiler, subtext } from '@discordjs/formatters';
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
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
const AFTERWORD_CUT_NOTE = subtext('The afterword is longer than one Discord message can hold and stops here.');

/**
 * The message that opens a reading: title and byline, the author's notes, challenge and disclaimer,
 * the content notes behind a spoiler, length and reading time, and where feedback goes.
 */
export function renderTitleCard(story: Story): MessagePayload {
	const { meta } = story;
	const description = [
		meta.notes === undefined ? '' : blockText(meta.notes, CAP.notes),
		meta.challenge === undefined ? '' : labelled('Challenge', blockText(meta.challenge, CAP.challenge)),
		meta.disclaimer === undefined ? '' : labelled('Disclaimer', blockText(meta.disclaimer, CAP.disclaimer)),
	]
		.filter((section) => section !== '')
		.join('\n\n');
	const contentNotes = meta.contentNotes.map(oneLine).filter((note) => note !== '');
	const fields = nonEmptyFields([
		{ name: 'Content notes', value: contentNotes.length === 0 ? 'None listed.' : spoiler(fitText(contentNotes.join(' · '), CAP.contentNotes, escapeInline)) },
		{ name: 'Length', value: `${plural(story.scenes.length, 'scene')} · about ${readingMinutes(story)} min read`, inline: true },
		{ name: 'Feedback', value: feedbackHint(story) },
		{ name: 'Source', value: meta.source === undefined ? '' : blockText(meta.source, CAP.source) },
	]);
	const embed: APIEmbed = {
		title: inlineLabel(meta.title, CAP.title),
		author: { name: byline(story) },
		...(description === '' ? {} : { description }),
		fields,
		color: EMBED_COLOR,
	};
	return { content: defuseMassMentions(`${bold(inlineLabel(meta.title, CAP.contentLabel))} by ${inlineLabel(meta.author, CAP.contentLabel)}`), embeds: [embed], allowedMentions: noMentions() };
}

/**
 * The message that closes a reading: "The end of <title>", the afterword, where feedback goes and
 * where the story comes from, and with a `tally`, the readers' reactions scene by scene.
 *
 * The afterword is story text and is never cut mid-word, but one message holds 6,000 characters: a
 * longer afterword stops at a paragraph or sentence end, with a line saying so.
 */
export function renderEndCard(story: Story, tally?: Tally): MessagePayload {
	const { meta } = story;
	// With a tally the summary ends with the feedback line, so the field would only repeat it.
	const fields = nonEmptyFields([
		{ name: 'Feedback', value: tally === undefined ? feedbackHint(story) : '' },
		{ name: 'Source', value: meta.source === undefined ? '' : blockText(meta.source, CAP.source) },
	]);
	const ending: APIEmbed = {
		title: fitText(`The end of ${oneLine(meta.title)}`, CAP.title, escapeInline),
		author: { name: byline(story) },
		...(fields.length === 0 ? {} : { fields }),
		color: EMBED_COLOR,
	};
	const summaryTitle = 'Reader reactions';
	let room: number = DISCORD_LIMITS.embedsTotal - embedCharacters(ending) - (tally === undefined ? 0 : summaryTitle.length);

	const summaryWanted = tally === undefined ? 0 : renderFeedbackSummary(story, tally).length;
	const afterword = fitAfterword(story.afterword.join('\n\n'), Math.min(DISCORD_LIMITS.embedDescription, room - Math.min(summaryWanted, SUMMARY_FLOOR)));
	if (afterword !== '') ending.description = afterword;
	room -= afterword.length;

	const embeds = [ending];
	if (tally !== undefined) {
		const summary = renderFeedbackSummary(story, tally, Math.min(DISCORD_LIMITS.embedDescription, room));
		embeds.push({ title: summaryTitle, ...(summary === '' ? {} : { description: summary }), color: EMBED_COLOR });
	}
	return { content: defuseMassMentions(`${bold(inlineLabel(meta.title, CAP.contentLabel))} · The end`), embeds, allowedMentions: noMentions() };
}

/** Minutes to read the whole story at 200 words a minute, rounded up, at least 1. */
export function readingMinutes(story: Story): number {
	let words = 0;
	for (const scene of story.scenes) for (const paragraph of scene.paragraphs) words += paragraph.match(/\S+/g)?.length ?? 0;
	return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

function fitAfterword(text: string, max: number): string {
	if (text.trim() === '') return '';
	if (escapedBlockLength(text.trim()) <= max) return escapeBlockMarkdown(text.trim());
	const { prefix } = takeFittingPrefix(text, max - AFTERWORD_CUT_NOTE.length - 2, escapedBlockLength);
	return `${escapeBlockMarkdown(prefix)}\n\n${AFTERWORD_CUT_NOTE}`;
}

/** The story's feedback emoji, which the bot offers under every scene, and the author's own words on feedback. */
function feedbackHint(story: Story): string {
	const emoji = story.meta.feedbackEmoji;
	const react = emoji.length === 0 ? '' : `React under any scene with ${emoji.join(' ')}.`;
	const words = story.meta.feedback === undefined ? '' : blockText(story.meta.feedback, CAP.feedback);
	return [react, words].filter((line) => line !== '').join('\n');
}

function byline(story: Story): string {
	// An embed author name shows as plain text, without Markdown, so it is not escaped.
	return fitText(`by ${oneLine(story.meta.author)}`, CAP.byline);
}

function labelled(label: string, text: string): string {
	return text === '' ? '' : `${bold(`${label}:`)} ${text}`;
}

/** Discord rejects a field with an empty value. */
function nonEmptyFields(fields: APIEmbedField[]): APIEmbedField[] {
	return fields.filter((field) => field.value !== '');
}

function plural(count: number, noun: string): string {
	return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
