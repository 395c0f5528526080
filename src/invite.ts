import { PermissionFlagsBits } from 'discord.js';

/**
 * What the bot needs in a reading's channel or thread, the one list behind the invite link, the
 * README and the start-up log: View Channel, Send Messages (channels), Send Messages in Threads
 * (readings in threads), Embed Links (scenes are embeds), Add Reactions (the feedback emoji) and
 * Read Message History (reactions on older scenes). Flags:
 * https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export const BOT_PERMISSIONS: bigint =
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.SendMessagesInThreads |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.ReadMessageHistory;

/**
 * The link that adds the bot to a server: `bot` (the bot user; without it commands answer from a
 * server the bot is not in) and `applications.commands` scopes, BOT_PERMISSIONS as an integer.
 * Format: https://discord.com/developers/docs/topics/oauth2#bot-authorization-flow
 */
export function inviteUrl(applicationId: string): string {
	return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${BOT_PERMISSIONS}`;
}
