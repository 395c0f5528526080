import { ActionRowBuilder, ButtonBuilder } from '@discordjs/builders';
import { ButtonStyle, messageLink, type Message } from 'discord.js';
import type { BotContext } from '../context.js';
import type { NextButton, OutgoingMessage, Poster } from '../reading/service.js';
import { cardWordsIn } from '../messages/index.js';
import { linkToPartStart } from '../render/index.js';
import { offerFeedbackEmoji } from './feedback-emoji.js';
import type { Responder } from './responder.js';

export function nextButtonRow(button: NextButton): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(button.customId).setLabel(button.label).setStyle(ButtonStyle.Primary));
}

/**
 * Posts a reading's messages as the interaction's answers: in public (a server channel, a DM with
 * the bot) or, for a private reading where the bot is not present, ephemerally. Every post is a new
 * message: a /next is told the reading moved on by comparing its time with the newest message's id,
 * and an edited "thinking…" placeholder would carry an older id. The bot's words (labels, the Next
 * button, the link back to a part's start) are in `options.language` (see InteractionLanguages.posted).
 */
export function interactionPoster(ctx: BotContext, responder: Responder, options: { private: boolean; language?: string }): Poster & { last: Message | undefined } {
	const poster = {
		language: options.language,
		last: undefined as Message | undefined,
		async post(message: OutgoingMessage): Promise<{ id: string }> {
			// A later message of a part links back to its first, where a reader who pressed Next lands at
			// the bottom of a long part; an ephemeral answer cannot be linked to, so it goes without.
			const { interaction } = responder;
			const body =
				message.partStartId !== undefined && !options.private
					? linkToPartStart(message.payload, messageLink(interaction.channelId!, message.partStartId, interaction.guildId ?? '@me'), cardWordsIn(options.language))
					: message.payload;
			const payload = { ...body, components: message.nextButton ? [nextButtonRow(message.nextButton)] : [] };
			const posted = await responder.send(payload, { asNewMessage: true, ephemeral: options.private });
			poster.last = posted;
			// No reaction can predate this process's own post: its tally needs no check with Discord.
			ctx.tallySync.posted(posted.id);
			if (message.feedbackEmoji && message.feedbackEmoji.length > 0) offerFeedbackEmoji(ctx, posted, message.feedbackEmoji);
			return { id: posted.id };
		},
	};
	return poster;
}
