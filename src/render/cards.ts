import { bold, spoiler, subtext } from '@discordjs/formatters';
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { cardWordsIn, type CardWords } from '../messages/cards.js';
import { countReadingUnits, readingRate, storyLanguage } from '../story/language.js';
import type { Story } from '../story/types.js';
import { defuseMassMentions, escapeInline, isolateDirection, oneLine } from './escape.js';
import { renderFeedbackSummary, type Tally } from './feedback.js';
import { DISCORD_LIMITS } from './limits.js';
import { EMBED_COLOR, embedCharacters, noMentions, type MessagePayload } from './payload.js';
import { takeFittingPrefix } from './split.js';
import { escapedProseLength, escapeProse } from './prose.js';
import { isSingleChapter, partCount } from './sittings.js';
import { fitText, inlineLabel } from './truncate.js';

/*
 * Caps Discord sets on one title card: every embed's text together at most 6,000 characters, a
 * description 4,096, a field value 1,024. The front matter's documented limits (story/README.md) keep
 * a card well inside them, and `titleCardProblems` tells an author (through story:check, and the bot
 * refuses to load the story) when a combination of long fields does not fit: nothing on a card is cut
 * silently. The truncation below is only a last guard so that Discord never rejects a card.
 */
const CAP = {
	title: DISCORD_LIMITS.embedTitle,
	byline: DISCORD_LIMITS.embedAuthorName,
	description: DISCORD_LIMITS.embedDescription,
	field: DISCORD_LIMITS.fieldValue,
	contentNotes: DISCORD_LIMITS.fieldValue - 4,
	contentLabel: 300,
} as const;

/** Left for the reactions summary on the end card, when the afterword would take everything. */
const SUMMARY_FLOOR = 1500;

/**
 * The message that opens a reading: title and byline, the summary, the author's notes, challenge and
 * disclaimer, AO3's tags (rating, warnings, fandoms, relationships, characters, tags, language,
 * series), the content notes behind a spoiler, length and reading time, and where feedback goes.
 * The bot's own words (labels) are `words`' (default English); the story's text is never translated.
 */
export function renderTitleCard(story: Story, words: CardWords = cardWordsIn()): MessagePayload {
	return buildTitleCard(story, [], words);
}

/**
 * What would not fit on the story's title card, in words an author can act on (e.g. "the title card
 * is 6,412 characters, Discord allows 6,000: shorten notes, summary or tags"); empty when it all fits.
 */
export function titleCardProblems(story: Story): string[] {
	const problems: string[] = [];
	buildTitleCard(story, problems, cardWordsIn());
	return problems;
}

function buildTitleCard(story: Story, problems: string[], words: CardWords): MessagePayload {
	const { meta } = story;
	const whole = (name: string, text: string, cap: number): string => {
		if (text.length > cap) problems.push(`${name} takes ${text.length.toLocaleString('en-US')} characters on the title card, Discord allows ${cap.toLocaleString('en-US')}`);
		return text;
	};
	const sections = [
		meta.summary === undefined ? '' : labelled(words.summary, escapeProse(meta.summary.trim())),
		meta.notes === undefined ? '' : escapeProse(meta.notes.trim()),
		meta.challenge === undefined ? '' : labelled(words.challenge, escapeProse(meta.challenge.trim())),
		meta.disclaimer === undefined ? '' : labelled(words.disclaimer, escapeProse(meta.disclaimer.trim())),
	].filter((section) => section !== '');
	const fullDescription = whole('summary, notes, challenge and disclaimer together', sections.join('\n\n'), CAP.description);
	const description = fullDescription.length <= CAP.description ? fullDescription : fitText(fullDescription, CAP.description);
	const contentNotes = meta.contentNotes.map(oneLine).filter((note) => note !== '');
	// escapeMarkdown is quadratic on long lines: text already longer than its cap is not escaped whole.
	const list = (items: readonly string[] | undefined): string => {
		const raw = (items ?? []).map(oneLine).join(' · ');
		return raw.length <= CAP.field ? (items ?? []).map((item) => escapeInline(oneLine(item))).join(' · ') : raw;
	};
	const field = (name: string, value: string, inline = false): APIEmbedField => {
		whole(`"${name}"`, value, CAP.field);
		return { name, value: value.length <= CAP.field ? value : fitText(value, CAP.field), ...(inline ? { inline } : {}) };
	};
	const notesText = contentNotes.join(' · ');
	const fields = nonEmptyFields([
		field(words.rating, meta.rating ?? '', true),
		field(words.storyLanguage, meta.language === undefined ? '' : inlineLabel(meta.language, CAP.field), true),
		field(words.series, meta.series === undefined ? '' : inlineLabel(meta.series, CAP.field), true),
		field(words.archiveWarnings, list(meta.warnings)),
		field(words.fandoms, list(meta.fandoms)),
		field(words.relationships, list(meta.relationships)),
		field(words.characters, list(meta.characters)),
		field(words.tags, list(meta.tags)),
		{
			name: words.contentNotes,
			value: contentNotes.length === 0 ? words.noContentNotes : spoiler(fitText(notesText, CAP.contentNotes, escapeInline)),
		},
		{ name: words.length, value: lengthLine(story, words), inline: true },
		field(words.feedback, feedbackHint(story, words)),
		field(words.source, meta.source === undefined ? '' : escapeProse(meta.source.trim())),
	]);
	if (contentNotes.length > 0) whole('content notes', notesText.length <= CAP.contentNotes ? escapeInline(notesText) : notesText, CAP.contentNotes);
	const embed: APIEmbed = {
		title: inlineLabel(meta.title, CAP.title),
		author: { name: byline(story, words) },
		...(description === '' ? {} : { description }),
		fields,
		color: EMBED_COLOR,
	};
	const total = embedCharacters(embed);
	if (total > DISCORD_LIMITS.embedsTotal && problems.length === 0) {
		problems.push(
			`the title card is ${total.toLocaleString('en-US')} characters, Discord allows ${DISCORD_LIMITS.embedsTotal.toLocaleString('en-US')} in one message: shorten the notes, summary or tags (longer notes fit in the first chapter's notes)`,
		);
	}
	if (total > DISCORD_LIMITS.embedsTotal) embed.description = fitText(description, Math.max(0, description.length - (total - DISCORD_LIMITS.embedsTotal)));
	return { content: defuseMassMentions(words.byAuthor(bold(inlineLabel(meta.title, CAP.contentLabel)), inlineLabel(meta.author, CAP.contentLabel))), embeds: [embed], allowedMentions: noMentions() };
}

/** "4 scenes · about 6 min read", or for a chaptered story "12 chapters · 30 sittings · about 5 h 20 min read · in progress". */
function lengthLine(story: Story, words: CardWords): string {
	const minutes = readingMinutes(story);
	const time = words.aboutReadingTime(minutes);
	if (story.chapters === undefined) return `${words.scenes(story.scenes.length)} · ${time}`;
	const planned = story.meta.plannedChapters;
	const chapters = planned === undefined ? words.chapters(story.chapters.length) : words.chaptersOfPlanned(story.chapters.length, planned);
	const status = story.meta.status === 'in-progress' ? ` · ${words.inProgress}` : '';
	// A one-chapter story is not "1 chapter · 3 sittings": its parts are labelled by sitting alone.
	return `${isSingleChapter(story) ? '' : `${chapters} · `}${words.sittings(partCount(story))} · ${time}${status}`;
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
		{ name: words.feedback, value: tally === undefined ? fitText(feedbackHint(story, words), CAP.field) : '' },
		{ name: words.source, value: meta.source === undefined ? '' : fitText(escapeProse(meta.source.trim()), CAP.field) },
	]);
	const ending: APIEmbed = {
		title: fitText(words.endTitle(isolateDirection(oneLine(meta.title))), CAP.title, escapeInline),
		author: { name: byline(story, words) },
		...(fields.length === 0 ? {} : { fields }),
		color: EMBED_COLOR,
	};
	const summaryTitle = words.readerReactions;
	let room: number = DISCORD_LIMITS.embedsTotal - embedCharacters(ending) - (tally === undefined ? 0 : summaryTitle.length);

	const summaryWanted = tally === undefined ? 0 : renderFeedbackSummary(story, tally, undefined, words).length;
	const closing = [...(meta.endNotes === undefined ? [] : [`${bold(`${words.endNotes}:`)} ${meta.endNotes.trim()}`]), ...story.afterword];
	const afterword = fitAfterword(closing.join('\n\n'), subtext(words.afterwordCut), Math.min(DISCORD_LIMITS.embedDescription, room - Math.min(summaryWanted, SUMMARY_FLOOR)));
	if (afterword !== '') ending.description = afterword;
	room -= afterword.length;

	const embeds = [ending];
	if (tally !== undefined) {
		const summary = renderFeedbackSummary(story, tally, Math.min(DISCORD_LIMITS.embedDescription, room), words);
		embeds.push({ title: summaryTitle, ...(summary === '' ? {} : { description: summary }), color: EMBED_COLOR });
	}
	return { content: defuseMassMentions(words.endContent(bold(inlineLabel(meta.title, CAP.contentLabel)))), embeds, allowedMentions: noMentions() };
}

/**
 * What follows the newest part of a story still being written (`status: in-progress`), instead of
 * the end card: `**Title** · To be continued…` and one line saying the next part comes with `/next`
 * once the author adds it. In `words`' language (default English). Pure.
 */
export function renderToBeContinued(story: Story, words: CardWords = cardWordsIn()): MessagePayload {
	const title = bold(inlineLabel(story.meta.title, CAP.contentLabel));
	return {
		content: defuseMassMentions(`${title} · ${words.toBeContinued}`),
		embeds: [{ description: words.toBeContinuedNote(title), color: EMBED_COLOR }],
		allowedMentions: noMentions(),
	};
}

/**
 * Minutes to read the whole story at its language's rate (words a minute, or characters a minute for
 * Chinese and Japanese: src/story/language.ts), rounded up, at least 1.
 */
export function readingMinutes(story: Story): number {
	const language = storyLanguage(story.meta);
	let units = 0;
	for (const scene of story.scenes) for (const paragraph of scene.paragraphs) units += countReadingUnits(paragraph, language);
	return Math.max(1, Math.ceil(units / readingRate(language).perMinute));
}

function fitAfterword(text: string, cutNote: string, max: number): string {
	if (text.trim() === '') return '';
	if (escapedProseLength(text.trim()) <= max) return escapeProse(text.trim());
	const { prefix } = takeFittingPrefix(text, max - cutNote.length - 2, escapedProseLength);
	return `${escapeProse(prefix)}\n\n${cutNote}`;
}

/** The story's feedback emoji, which the bot offers under every scene, and the author's own words on feedback. */
function feedbackHint(story: Story, words: CardWords): string {
	const emoji = story.meta.feedbackEmoji;
	const react = emoji.length === 0 ? '' : words.reactUnder(emoji.join(' '));
	const own = story.meta.feedback === undefined ? '' : escapeProse(story.meta.feedback.trim());
	return [react, own].filter((line) => line !== '').join('\n');
}

function byline(story: Story, words: CardWords): string {
	// An embed author name shows as plain text, without Markdown, so it is not escaped.
	return fitText(words.byline(isolateDirection(oneLine(story.meta.author))), CAP.byline);
}

function labelled(label: string, text: string): string {
	return text === '' ? '' : `${bold(`${label}:`)} ${text}`;
}

/** Discord rejects a field with an empty value. */
function nonEmptyFields(fields: APIEmbedField[]): APIEmbedField[] {
	return fields.filter((field) => field.value !== '');
}
