import { ChannelType, PermissionFlagsBits, type GuildTextBasedChannel, type PermissionsBitField, type TextBasedChannel } from 'discord.js';
import { UserError } from '../errors.js';
import { readingMessagesIn } from '../messages/index.js';

/** What the bot needs in a reading's channel, with the names Discord's settings use. */
export const READING_PERMISSIONS = [
	[PermissionFlagsBits.ViewChannel, 'View Channel'],
	[PermissionFlagsBits.SendMessages, 'Send Messages'],
	[PermissionFlagsBits.EmbedLinks, 'Embed Links'],
	[PermissionFlagsBits.AddReactions, 'Add Reactions'],
	[PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
] as const;

export const READABLE_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([
	ChannelType.GuildText,
	ChannelType.GuildAnnouncement,
	ChannelType.PublicThread,
	ChannelType.PrivateThread,
	ChannelType.AnnouncementThread,
	ChannelType.GuildVoice,
]);

export function missingPermissionNames(permissions: Readonly<PermissionsBitField>, inThread = false): string[] {
	return READING_PERMISSIONS.map(([flag, name]) =>
		inThread && flag === PermissionFlagsBits.SendMessages ? ([PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'] as const) : ([flag, name] as const),
	)
		.filter(([flag]) => !permissions.has(flag, false))
		.map(([, name]) => name);
}

/** Throws a UserError naming what the bot lacks to post a reading in `channel` (where the interaction came from), in `language` (default English). */
export function assertCanPost(permissions: Readonly<PermissionsBitField> | null, channel: GuildTextBasedChannel, language?: string): void {
	const m = readingMessagesIn(language);
	// Discord lets only those who may manage threads post in a locked one.
	if (channel.isThread() && channel.locked && !permissions?.has(PermissionFlagsBits.ManageThreads)) {
		throw new UserError(m.threadLocked(channel.id));
	}
	const missing = permissions ? missingPermissionNames(permissions, channel.isThread()) : READING_PERMISSIONS.map(([, name]) => name);
	if (missing.length > 0) throw new UserError(m.missingPermissions(channel.id, missing));
}

/**
 * Whether a channel is age-restricted ("NSFW" in the API); a thread is as its parent. A voice
 * channel's chat carries the flag too. Unknown or DM channels are not.
 * https://discord.com/developers/docs/resources/channel#channel-object-channel-structure (`nsfw`)
 */
export function isAgeRestricted(channel: TextBasedChannel | null): boolean {
	if (!channel || channel.isDMBased()) return false;
	const holder = channel.isThread() ? channel.parent : channel;
	return holder !== null && 'nsfw' in holder && holder.nsfw === true;
}
