import { InteractionContextType, type ButtonInteraction, type ChatInputCommandInteraction, type Guild, type StringSelectMenuInteraction } from 'discord.js';
import { languageFor } from '../messages/index.js';
import type { Place } from '../reading/place.js';

/** The languages of the bot's own words for one interaction (shipped language codes, see languageFor). */
export interface InteractionLanguages {
	/** What only the user sees (ephemeral answers, refusals): their locale, then the server's preferred locale, then English. */
	reader: string;
	/**
	 * What is posted where the interaction came from: in a server channel, for everyone there, the
	 * server's preferred locale (then English); in a DM with the bot or privately, the reader's.
	 */
	posted: string;
}

/** The languages for `interaction`: its `locale` (the user's) and `guild_locale` (the server's preferred, in servers only). */
export function languagesOf(interaction: { locale: string; guildLocale: string | null }, inServerChannel: boolean): InteractionLanguages {
	const reader = languageFor(interaction.locale, interaction.guildLocale);
	return { reader, posted: inServerChannel ? languageFor(interaction.guildLocale) : reader };
}

/**
 * Where an interaction's reading is, from Discord's interaction payload
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object):
 * - in a server the bot is in (its guild is cached): the channel's or thread's reading, answered in
 *   public, whether the command was installed to the server or to the user;
 * - in a DM with the bot (context BOT_DM): the reader's private reading, in public in that DM;
 * - elsewhere (a server the bot is not in, a group DM or a DM between users; `guild_id` set but no
 *   guild in the cache, or context PRIVATE_CHANNEL): the reader's private reading, answered ephemerally.
 */
export type InteractionPlace = (
	| { kind: 'server'; place: Place & { kind: 'channel' }; guild: Guild; private: false }
	| { kind: 'dm'; place: Place & { kind: 'reader' }; private: false }
	| { kind: 'elsewhere'; place: Place & { kind: 'reader' }; private: true; foreignGuildId: string | null }
) & { languages: InteractionLanguages };

export function placeOf(interaction: ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction): InteractionPlace {
	if (interaction.inCachedGuild()) {
		const languages = languagesOf(interaction, true);
		return { kind: 'server', place: { kind: 'channel', guildId: interaction.guildId, channelId: interaction.channelId }, guild: interaction.guild, private: false, languages };
	}
	const reader = { kind: 'reader', userId: interaction.user.id } as const;
	const languages = languagesOf(interaction, false);
	if (interaction.guildId === null && interaction.context !== InteractionContextType.PrivateChannel) return { kind: 'dm', place: reader, private: false, languages };
	return { kind: 'elsewhere', place: reader, private: true, foreignGuildId: interaction.guildId, languages };
}
