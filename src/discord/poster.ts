import { ActionRowBuilder, ButtonBuilder } from '@discordjs/builders';
import { roleMention } from '@discordjs/formatters';
import { ButtonStyle, messageLink, type Message } from 'discord.js';
import { cardWordsIn, scheduleMessagesIn } from '../messages/index.js';
import type { BotContext } from '../context.js';
import type { NextButton, OutgoingMessage, Poster } from '../reading/service.js';
import { linkToPartStart } from '../render/index.js';
import type { ReadingPlace } from '../story/rating.js';
import { offerFeedbackEmoji } from './feedback-emoji.js';
import type { Responder } from './responder.js';

export function nextButtonRow(button: NextButton): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(button.customId).setLabel(button.label).setStyle(ButtonStyle.Primary));
}

const NOTIFY_PREFIX = 'notify:';

/** The "Notify me" button for a notice role: `notify:<roleId>`. */
export function notifyButtonRow(roleId: string, language?: string): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder().setCustomId(`${NOTIFY_PREFIX}${roleId}`).setLabel(scheduleMessagesIn(language).notifyLabel).setStyle(ButtonStyle.Secondary),
	);
}

export function parseNotifyButton(customId: string): string | undefined {
	const roleId = customId.startsWith(NOTIFY_PREFIX) ? customId.slice(NOTIFY_PREFIX.length) : '';
	return /^\d{17,20}$/.test(roleId) ? roleId : undefined;
}

/**
 * What discord.js sends for an outgoing message (`where` it is posted, for the link back to a part's
 * start): its buttons, and the one ping the bot ever makes,
 * a notice role's mention, allowed for that role alone. Every other message allows no mention.
 * The link back's words are in `language` (a shipped language code; default English).
 */
export function discordPayload(message: OutgoingMessage, where?: { channelId: string; guildId: string | null }, language?: string) {
	const components = [...(message.nextButton ? [nextButtonRow(message.nextButton)] : []), ...(message.notifyRoleId ? [notifyButtonRow(message.notifyRoleId, language)] : [])];
	// A later message of a part links back to its first: a reader who pressed Next lands at the
	// bottom of a long part, and the link takes them to where it starts.
	const body =
		message.partStartId !== undefined && where !== undefined
			? linkToPartStart(message.payload, messageLink(where.channelId, message.partStartId, where.guildId ?? '@me'), cardWordsIn(language))
			: message.payload;
	if (message.pingRoleId === undefined) return { ...body, components };
	const content = `${roleMention(message.pingRoleId)} ${body.content ?? ''}`.trimEnd();
	return { ...body, content, allowedMentions: { roles: [message.pingRoleId] }, components };
}

/**
 * Posts a reading's messages as the interaction's answers: in public (a server channel, a DM with
 * the bot) or, for a private reading where the bot is not present, ephemerally. Every post is a new
 * message: a /next is told the reading moved on by comparing its time with the newest message's id,
 * and an edited "thinking…" placeholder would carry an older id. The bot's words (labels, the Next
 * button, the link back to a part's start) are in `options.language` (see InteractionLanguages.posted).
 */
export function interactionPoster(ctx: BotContext, responder: Responder, options: { private: boolean; language?: string; where?: ReadingPlace }): Poster & { last: Message | undefined } {
	const poster = {
		language: options.language,
		where: options.where,
		last: undefined as Message | undefined,
		async post(message: OutgoingMessage): Promise<{ id: string }> {
			// An ephemeral answer cannot be linked to, so a private reading's parts go without the link back.
			const where = options.private ? undefined : { channelId: responder.interaction.channelId!, guildId: responder.interaction.guildId };
			const posted = await responder.send(discordPayload(message, where, options.language), { asNewMessage: true, ephemeral: options.private });
			poster.last = posted;
			// No reaction can predate this process's own post: its tally needs no check with Discord.
			ctx.tallySync.posted(posted.id);
			if (message.discussion) startDiscussion(ctx, posted, message.discussion);
			if (message.feedbackEmoji && message.feedbackEmoji.length > 0) offerFeedbackEmoji(ctx, posted, message.feedbackEmoji);
			return { id: posted.id };
		},
	};
	return poster;
}

/** Discord's auto-archive choices, in minutes (https://discord.com/developers/docs/resources/channel#start-thread-from-message). */
export const AUTO_ARCHIVE_MINUTES = [60, 1_440, 4_320, 10_080] as const;

/**
 * Starts the public discussion thread under a part's first message, without holding up the reply;
 * not in a thread (Discord has no threads in threads) nor in an ephemeral answer. A failure (no
 * Create Public Threads permission) is logged: the part is posted either way.
 */
export function startDiscussion(ctx: BotContext, message: Message, discussion: { name: string; autoArchiveMinutes: number }): void {
	if (!message.inGuild() || message.channel.isThread() || message.flags.has('Ephemeral')) return;
	const duration = AUTO_ARCHIVE_MINUTES.find((minutes) => minutes === discussion.autoArchiveMinutes) ?? 1_440;
	const task = message
		.startThread({ name: discussion.name.slice(0, 100), autoArchiveDuration: duration })
		.then(() => undefined)
		.catch((error: unknown) => ctx.logger.warn({ err: error, guildId: message.guildId, channelId: message.channelId }, 'could not start the discussion thread of a part'));
	ctx.background.add(task);
	void task.finally(() => ctx.background.delete(task));
}
