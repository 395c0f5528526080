// The adapter between Discord and the reading service: builds the actor and the poster from an
// interaction, and turns the service's outcomes into answers. No reading rules here.
import { messageLink, PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction, type GuildTextBasedChannel, type StringSelectMenuInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import { cardWordsIn, readingMessagesIn } from '../messages/index.js';
import { nextButtonLabel } from '../render/index.js';
import { isOver, mayRestart, newestMessageId, partsPosted } from '../reading/rules.js';
import { mayReadIn, type ReadingPlace } from '../story/rating.js';
import { nextButtonId, stillWritten, type Actor, type Outcome, type Trigger } from '../reading/service.js';
import type { ReadingRecord } from '../store.js';
import type { Story } from '../story/types.js';
import { assertCanPost, isAgeRestricted, READABLE_CHANNEL_TYPES } from './permissions.js';
import type { InteractionPlace } from './place.js';
import { interactionPoster, nextButtonRow } from './poster.js';
import type { Responder } from './responder.js';

type ReadingInteraction = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** "scene 2 of 4", "the title card (…)" or "the end (…)" for a reading of `story`, in `language` (default English). */
export function positionWords(ctx: BotContext, record: Pick<ReadingRecord, 'position'>, story: Story, language?: string): string {
	return readingMessagesIn(language).position(record.position, ctx.stories.partCount(story), (part) => ctx.stories.describePart(story, part, language), stillWritten(story));
}

/** The Next button under position `position`: what comes next and, for a sitting, how long it takes; in `language` (default English). */
export function nextLabel(_ctx: Pick<BotContext, 'stories'>, story: Story, position: number, language?: string): string {
	return nextButtonLabel(story, position, cardWordsIn(language));
}

/** A link to a message of a reading, where readers can follow one (not for ephemeral answers). */
export function readingLink(record: ReadingRecord, messageId: string | undefined): string | undefined {
	if (messageId === undefined || record.channelId === undefined) return undefined;
	return record.place.kind === 'channel' ? messageLink(record.channelId, messageId, record.place.guildId) : messageLink(record.channelId, messageId);
}

/** Where a reading stands, in one or two lines, in `language` (default English). */
export function describeReading(ctx: BotContext, record: ReadingRecord, story: Story, language?: string): string {
	return readingMessagesIn(language).standing({
		storyTitle: story.meta.title,
		position: positionWords(ctx, record, story, language),
		channelId: record.place.kind === 'channel' ? record.place.channelId : undefined,
		link: readingLink(record, newestMessageId(record)),
		advancedBy: record.advancedBy,
		advancedAt: new Date(record.advancedAt),
		private: record.place.kind === 'reader',
	});
}

/** The Next button row for a reading still under way, or none; its label in `language` (default English). */
export function nextRowFor(ctx: BotContext, record: ReadingRecord, story: Story, language?: string) {
	if (isOver(record, ctx.stories.partCount(story))) return [];
	return [nextButtonRow({ customId: nextButtonId(story.id, partsPosted(record)), label: nextLabel(ctx, story, record.position, language) })];
}

export function actorOf(interaction: ReadingInteraction): Actor {
	return { userId: interaction.user.id, at: interaction.createdTimestamp, trigger: interaction.id };
}

/** In a server channel: the bot must be able to post there, and it must be a channel a reading can live in. */
export function assertReadableHere(interaction: ReadingInteraction, where: InteractionPlace): void {
	if (where.kind !== 'server') return;
	const channel = interaction.channel;
	if (!channel || !READABLE_CHANNEL_TYPES.has(channel.type) || !channel.isTextBased() || channel.isDMBased()) throw new UserError(readingMessagesIn(where.languages.reader).needsTextChannel);
	assertCanPost(interaction.appPermissions, channel as GuildTextBasedChannel, where.languages.reader);
}

/** What the rating rule needs to know of where an interaction's reading is posted (src/story/rating.ts). */
function ratingPlace(interaction: ReadingInteraction, where: InteractionPlace): ReadingPlace {
	return { nsfw: isAgeRestricted(interaction.channel), private: where.kind !== 'server' };
}

/** `/next` and the Next button, from any place. */
export async function advanceHere(ctx: BotContext, interaction: ReadingInteraction, responder: Responder, where: InteractionPlace, trigger: Trigger): Promise<void> {
	assertReadableHere(interaction, where);
	const poster = interactionPoster(ctx, responder, { private: where.private, language: where.languages.posted, where: ratingPlace(interaction, where) });
	const outcome = await ctx.readings.advance(where.place, actorOf(interaction), trigger, poster);
	await answer(ctx, responder, outcome, where);
}

/**
 * Starts `story` here: what `/read` does once it knows the story, and what choosing a story from
 * `/read`'s menu or `/library`'s buttons does. Refuses (UserError) where a reading cannot live or
 * the story's rating is not read here; `named`: the reader asked for this story by name (so an
 * "under way" answer says how to read it instead).
 */
export async function startHere(ctx: BotContext, interaction: ReadingInteraction, responder: Responder, where: InteractionPlace, story: Story, options: { restart: boolean; named: boolean }): Promise<void> {
	assertReadableHere(interaction, where);
	// Refusals and "under way" are the reader's alone; the posts are the place's (see InteractionLanguages).
	const language = where.languages.reader;
	const rated = mayReadIn(story.meta, ratingPlace(interaction, where));
	if (!rated.ok) throw new UserError(rated.reason);
	// A reader's own private reading is theirs to start over; a channel's needs Manage Server or the host role.
	const allowed =
		where.kind !== 'server' ||
		mayRestart(
			{ managesServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false, roles: [...(interaction.inCachedGuild() ? interaction.member.roles.cache.keys() : [])] },
			ctx.env.readerHostRoleId,
		);
	const poster = interactionPoster(ctx, responder, { private: where.private, language: where.languages.posted });
	const channelId = where.private ? undefined : interaction.channelId;
	const outcome = await ctx.readings.start(where.place, story, { ...actorOf(interaction), mayRestart: allowed }, { poster, channelId, restart: options.restart });
	if (outcome.kind === 'underWay') {
		// Where it stands, and how to read the asked-for story instead when it is another one.
		const other = options.named && story.id !== outcome.record.storyId && where.kind === 'server' ? readingMessagesIn(language).otherStoryNeedsRestart(story.meta.title, story.id) : '';
		await responder.sendEphemeral({ content: describeReading(ctx, outcome.record, outcome.story, language) + other, components: nextRowFor(ctx, outcome.record, outcome.story, language) });
		return;
	}
	await answer(ctx, responder, outcome, where);
}

/**
 * Answers the outcomes a post leaves to say: everything but `posted` (which is its own answer) is
 * told privately to the person who acted.
 */
export async function answer(ctx: BotContext, responder: Responder, outcome: Outcome, where: InteractionPlace): Promise<void> {
	const language = where.languages.reader;
	const m = readingMessagesIn(language);
	switch (outcome.kind) {
		case 'posted':
			if (!outcome.votesIndexed) await responder.sendEphemeral(m.votesNotIndexed);
			return;
		case 'postedUnsaved':
			await responder.sendEphemeral(m.postedUnsaved(outcome.step.kind === 'end' ? 'end' : 'scene'));
			return;
		case 'handledElsewhere':
			// Another process of this bot got the same interaction and answers it (see Actor.trigger).
			responder.abandon();
			return;
		case 'noReading':
			throw new UserError(where.kind === 'server' ? m.noReadingHere : m.noPrivateReading);
		case 'storyGone':
			throw new UserError(m.storyMissing(outcome.record.storyId, outcome.refusedFile !== undefined));
		case 'staleButton':
			throw new UserError(m.staleButton(positionWords(ctx, outcome.record, outcome.story, language), readingLink(outcome.record, newestMessageId(outcome.record))));
		case 'alreadyPosted':
			throw new UserError(m.alreadyPosted(outcome.record.advancedBy, positionWords(ctx, outcome.record, outcome.story, language), readingLink(outcome.record, newestMessageId(outcome.record))));
		case 'busy':
			throw new UserError(m.busy(outcome.record.claim?.by ?? outcome.record.advancedBy));
		case 'waiting':
			throw new UserError(m.notOutYet(outcome.story.meta.title));
		case 'ratedElsewhere':
			throw new UserError(m.ageRestricted(outcome.story.meta.rating ?? ''));
		case 'over':
			throw new UserError(m.over(outcome.story.meta.title, ctx.stories.partCount(outcome.story), readingLink(outcome.record, newestMessageId(outcome.record))));
		case 'underWay':
			await responder.sendEphemeral({ content: describeReading(ctx, outcome.record, outcome.story, language), components: nextRowFor(ctx, outcome.record, outcome.story, language) });
			return;
		case 'refused':
			throw new UserError(outcome.reason === 'cannotSave' ? m.cannotSave : m.mayNotRestart(ctx.env.readerHostRoleId));
	}
}
