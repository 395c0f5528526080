import { bold, spoiler, subtext } from '@discordjs/formatters';
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { Story } from '../story/types.js';
import { defuseMassMentions, escapeInline, oneLine } from './escape.js';
import { renderFeedbackSummary, type Tally } from './feedback.js';
import { DISCORD_LIMITS } from './limits.js';
import { EMBED_COLOR, embedCharacters, noMentions, type MessagePayload } from './payload.js';
import { takeFittingPrefix } from './split.js';
import { escapedProseLength, escapeProse } from './prose.js';
import { partCount } from './sittings.js';
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

const WORDS_PER_MINUTE = 200;
/** Left for the reactions summary on the end card, when the afterword would take everything. */
const SUMMARY_FLOOR = 1500;
const AFTERWORD_CUT_NOTE = subtext('The afterword is longer than one Discord message can hold and stops here.');

/**
 * The message that opens a reading: title and byline, the summary, the author's notes, challenge and
 * disclaimer, AO3's tags (rating, warnings, fandoms, relationships, characters, tags, language,
 * series), the content notes behind a spoiler, length and reading time, and where feedback goes.
 */
export function renderTitleCard(story: Story): MessagePayload {
	return buildTitleCard(story, []);
}

/**
 * What would not fit on the story's title card, in words an author can act on (e.g. "the title card
 * is 6,412 characters, Discord allows 6,000: shorten notes, summary or tags"); empty when it all fits.
 */
export function titleCardProblems(story: Story): string[] {
	const problems: string[] = [];
	buildTitleCard(story, problems);
	return problems;
}

function buildTitleCard(story: Story, problems: string[]): MessagePayload {
	const { meta } = story;
	const whole = (name: string, text: string, cap: number): string => {
		if (text.length > cap) problems.push(`${name} takes ${text.length.toLocaleString('en-US')} characters on the title card, Discord allows ${cap.toLocaleString('en-US')}`);
		return text;
	};
	const sections = [
		meta.summary === undefined ? '' : labelled('Summary', escapeProse(meta.summary.trim())),
		meta.notes === undefined ? '' : escapeProse(meta.notes.trim()),
		meta.challenge === undefined ? '' : labelled('Challenge', escapeProse(meta.challenge.trim())),
		meta.disclaimer === undefined ? '' : labelled('Disclaimer', escapeProse(meta.disclaimer.trim())),
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
		field('Rating', meta.rating ?? '', true),
		field('Language', meta.language === undefined ? '' : inlineLabel(meta.language, CAP.field), true),
		field('Series', meta.series === undefined ? '' : inlineLabel(meta.series, CAP.field), true),
		field('Archive warnings', list(meta.warnings)),
		field('Fandoms', list(meta.fandoms)),
		field('Relationships', list(meta.relationships)),
		field('Characters', list(meta.characters)),
		field('Tags', list(meta.tags)),
		{
			name: 'Content notes',
			value: contentNotes.length === 0 ? 'None listed.' : spoiler(fitText(notesText, CAP.contentNotes, escapeInline)),
		},
		{ name: 'Length', value: lengthLine(story), inline: true },
		field('Feedback', feedbackHint(story)),
		field('Source', meta.source === undefined ? '' : escapeProse(meta.source.trim())),
	]);
	if (contentNotes.length > 0) whole('content notes', notesText.length <= CAP.contentNotes ? escapeInline(notesText) : notesText, CAP.contentNotes);
	const embed: APIEmbed = {
		title: inlineLabel(meta.title, CAP.title),
		author: { name: byline(story) },
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
	return { content: defuseMassMentions(`${bold(inlineLabel(meta.title, CAP.contentLabel))} by ${inlineLabel(meta.author, CAP.contentLabel)}`), embeds: [embed], allowedMentions: noMentions() };
}

/** "4 scenes · about 6 min read", or for a chaptered story "12 chapters · 30 sittings · about 5 h read · in progress". */
function lengthLine(story: Story): string {
	const minutes = readingMinutes(story);
	const time = minutes < 120 ? `about ${minutes} min read` : `about ${Math.round(minutes / 60)} h read`;
	if (story.chapters === undefined) return `${plural(story.scenes.length, 'scene')} · ${time}`;
	const planned = story.meta.plannedChapters;
	const chapters = planned === undefined ? plural(story.chapters.length, 'chapter') : `${story.chapters.length}/${planned} chapters`;
	const status = story.meta.status === 'in-progress' ? ' · in progress' : '';
	return `${chapters} · ${plural(partCount(story), 'sitting')} · ${time}${status}`;
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
		{ name: 'Feedback', value: tally === undefined ? fitText(feedbackHint(story), CAP.field) : '' },
		{ name: 'Source', value: meta.source === undefined ? '' : fitText(escapeProse(meta.source.trim()), CAP.field) },
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
	const closing = [...(meta.endNotes === undefined ? [] : [`${bold('End notes:')} ${meta.endNotes.trim()}`]), ...story.afterword];
	const afterword = fitAfterword(closing.join('\n\n'), Math.min(DISCORD_LIMITS.embedDescription, room - Math.min(summaryWanted, SUMMARY_FLOOR)));
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
	if (escapedProseLength(text.trim()) <= max) return escapeProse(text.trim());
	const { prefix } = takeFittingPrefix(text, max - AFTERWORD_CUT_NOTE.length - 2, escapedProseLength);
	return `${escapeProse(prefix)}\n\n${AFTERWORD_CUT_NOTE}`;
}

/** The story's feedback emoji, which the bot offers under every scene, and the author's own words on feedback. */
function feedbackHint(story: Story): string {
	const emoji = story.meta.feedbackEmoji;
	const react = emoji.length === 0 ? '' : `React under any scene with ${emoji.join(' ')}.`;
	const words = story.meta.feedback === undefined ? '' : escapeProse(story.meta.feedback.trim());
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
