// The library on Discord: `/read`'s "which story?" menu and `/library`'s pages, and what their
// menu and buttons do. Starting a story goes through startHere, exactly as `/read story:` does.
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder, StringSelectMenuBuilder, StringSelectMenuOptionBuilder } from '@discordjs/builders';
import { ButtonStyle, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import { cardWordsIn, libraryMessagesIn, readingMessagesIn, storyLabel, storyLabelIn } from '../messages/index.js';
import { EMBED_COLOR, fitText, readingMinutes } from '../render/index.js';
import { readingRate, storyLanguage } from '../story/language.js';
import { storyWordCount } from '../story/text.js';
import type { Story } from '../story/types.js';
import type { InteractionPlace } from './place.js';
import { startHere } from './reading.js';
import type { Payload, Responder } from './responder.js';

/**
 * Discord's limits for what is built here (https://discord.com/developers/docs/components/reference#string-select):
 * a string select holds 1 to 25 options, each label, value and description at most 100 characters;
 * a button label at most 80 (#button); custom ids at most 100.
 */
export const SELECT_OPTIONS_MAX = 25;
const OPTION_TEXT_MAX = 100;
const BUTTON_LABEL_MAX = 80;

/** Stories on one page of `/library`: two rows of five start buttons, one row to turn pages. */
export const LIBRARY_PAGE_SIZE = 10;

const PICK_ID = 'library:pick';
/** The menu of `/read restart:True`: the story chosen starts over a reading under way, as `/read story: restart:True` would. */
const PICK_RESTART_ID = 'library:pick:restart';
const READ_PREFIX = 'library:read:';
const PAGE_PREFIX = 'library:page:';

export type LibraryComponent = { kind: 'pick'; restart: boolean } | { kind: 'read'; storyId: string } | { kind: 'page'; page: number };

/** What a `library:` custom id asks for, or undefined for anything else. */
export function parseLibraryComponent(customId: string): LibraryComponent | undefined {
	if (customId === PICK_ID || customId === PICK_RESTART_ID) return { kind: 'pick', restart: customId === PICK_RESTART_ID };
	if (customId.startsWith(READ_PREFIX) && customId.length > READ_PREFIX.length) return { kind: 'read', storyId: customId.slice(READ_PREFIX.length) };
	if (customId.startsWith(PAGE_PREFIX) && /^\d+$/.test(customId.slice(PAGE_PREFIX.length))) return { kind: 'page', page: Number(customId.slice(PAGE_PREFIX.length)) };
	return undefined;
}

/**
 * `/read` with no story named and no single or default story: the question, with a select menu of
 * every story (title, then "by author"; each isolated and cut by storyLabel, src/messages/labels.ts);
 * beyond 25 stories, words saying to type `story:` instead.
 * `restart`: `/read restart:True` asked, and the story chosen starts over a reading under way.
 */
export function chooserPayload(stories: readonly Story[], language: string, restart = false): Payload {
	const m = libraryMessagesIn(language);
	if (stories.length === 0) return { content: m.noStories };
	if (stories.length > SELECT_OPTIONS_MAX) return { content: m.tooManyToList(stories.length) };
	const words = cardWordsIn(language);
	const menu = new StringSelectMenuBuilder()
		.setCustomId(restart ? PICK_RESTART_ID : PICK_ID)
		.setPlaceholder(fitText(m.choosePlaceholder, 150))
		.addOptions(
			stories.map((story) =>
				new StringSelectMenuOptionBuilder()
					.setLabel(storyLabel(story.meta.title, OPTION_TEXT_MAX))
					.setDescription(storyLabelIn(words.byline, story.meta.author, OPTION_TEXT_MAX))
					.setValue(story.id),
			),
		);
	return { content: m.chooseStory, components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] };
}

/**
 * One story's line of `/library`: "by Author · 3 chapters · 12,345 words · about 1 h 10 min read · Mature · in progress, 3 of ?" and how to start it.
 * The length is in the story language's unit: words, or characters for Chinese and Japanese (src/story/language.ts).
 */
export function libraryEntry(story: Story, language: string): { name: string; value: string } {
	const m = libraryMessagesIn(language);
	const words = cardWordsIn(language);
	const { words: wordCount, minutes } = lengthOf(story);
	const time = words.aboutReadingTime(minutes);
	const chapters = story.chapters === undefined ? words.scenes(story.scenes.length) : words.chapters(story.chapters.length);
	const status = m.status(story.meta.status === 'in-progress', story.chapters?.length ?? story.scenes.length, story.meta.plannedChapters);
	const length = readingRate(storyLanguage(story.meta)).unit === 'character' ? m.characters(wordCount) : m.words(wordCount);
	const facts = [words.byline(storyLabel(story.meta.author, OPTION_TEXT_MAX)), chapters, length, time, story.meta.rating ?? m.notRated, status];
	return { name: storyLabel(story.meta.title, 200), value: fitText(`${facts.join(' · ')}\n${m.startHint(story.id)}`, 1024) };
}

/** Words and reading minutes, counted once per story object (a page of /library would count ten stories' text again). */
const lengths = new WeakMap<Story, { words: number; minutes: number }>();

function lengthOf(story: Story): { words: number; minutes: number } {
	let length = lengths.get(story);
	if (length === undefined) {
		length = { words: storyWordCount(story), minutes: readingMinutes(story) };
		lengths.set(story, length);
	}
	return length;
}

/**
 * Page `page` (0-based, clamped) of `/library`: one embed with a field per story (at most 10: well
 * within an embed's 25 fields and 6,000 characters), a start button per story, and page buttons.
 */
export function libraryPage(ctx: Pick<BotContext, 'stories'>, page: number, language: string): Payload {
	const m = libraryMessagesIn(language);
	const stories = ctx.stories.all;
	if (stories.length === 0) return { content: m.noStories, embeds: [], components: [] };
	const pages = Math.ceil(stories.length / LIBRARY_PAGE_SIZE);
	const at = Math.min(Math.max(0, page), pages - 1);
	const shown = stories.slice(at * LIBRARY_PAGE_SIZE, (at + 1) * LIBRARY_PAGE_SIZE);
	const embed = new EmbedBuilder()
		.setColor(EMBED_COLOR)
		.setTitle(m.heading(stories.length))
		.addFields(shown.map((story) => libraryEntry(story, language)));
	if (pages > 1) embed.setFooter({ text: m.pageOf(at + 1, pages) });
	const components: ActionRowBuilder<ButtonBuilder>[] = [];
	for (let row = 0; row * 5 < shown.length; row++) {
		components.push(
			new ActionRowBuilder<ButtonBuilder>().addComponents(
				shown.slice(row * 5, row * 5 + 5).map((story) =>
					new ButtonBuilder().setCustomId(`${READ_PREFIX}${story.id}`).setLabel(storyLabelIn(m.readButton, story.meta.title, BUTTON_LABEL_MAX)).setStyle(ButtonStyle.Secondary),
				),
			),
		);
	}
	if (pages > 1) {
		components.push(
			new ActionRowBuilder<ButtonBuilder>().addComponents(
				new ButtonBuilder().setCustomId(`${PAGE_PREFIX}${at - 1}`).setLabel(m.previousPage).setStyle(ButtonStyle.Primary).setDisabled(at === 0),
				new ButtonBuilder().setCustomId(`${PAGE_PREFIX}${at + 1}`).setLabel(m.nextPage).setStyle(ButtonStyle.Primary).setDisabled(at === pages - 1),
			),
		);
	}
	return { content: '', embeds: [embed.toJSON()], components };
}

/** The menu and buttons of the library: a story chosen starts it here as `/read story:` would; a page button turns the page. */
export async function useLibraryComponent(
	ctx: BotContext,
	interaction: ButtonInteraction | StringSelectMenuInteraction,
	responder: Responder,
	where: InteractionPlace,
	component: LibraryComponent,
): Promise<void> {
	if (component.kind === 'page') {
		await responder.update(libraryPage(ctx, component.page, where.languages.reader));
		return;
	}
	const storyId = component.kind === 'read' ? component.storyId : interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
	const story = storyId === undefined ? undefined : ctx.stories.get(storyId);
	// The story was removed from the folder after the menu was shown.
	if (!story) throw new UserError(readingMessagesIn(where.languages.reader).noSuchStoryPlain(storyId ?? ''));
	await startHere(ctx, interaction, responder, where, story, { restart: component.kind === 'pick' && component.restart, named: true });
}
