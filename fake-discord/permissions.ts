import { PermissionFlagsBits } from 'discord-api-types/v10';

export const Permission = PermissionFlagsBits;

export const allPermissions: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What the bot gets when a test does not say otherwise: enough to post scenes and collect reactions. */
export const defaultBotPermissions: bigint =
	Permission.ViewChannel |
	Permission.SendMessages |
	Permission.EmbedLinks |
	Permission.AddReactions |
	Permission.ReadMessageHistory |
	Permission.UseApplicationCommands;

/** An ordinary server member: can talk and react, cannot manage anything. */
export const ordinaryMemberPermissions: bigint =
	Permission.CreateInstantInvite |
	Permission.AddReactions |
	Permission.ViewChannel |
	Permission.SendMessages |
	Permission.EmbedLinks |
	Permission.AttachFiles |
	Permission.ReadMessageHistory |
	Permission.UseExternalEmojis |
	Permission.Connect |
	Permission.Speak |
	Permission.ChangeNickname |
	Permission.UseApplicationCommands |
	Permission.SendMessagesInThreads |
	Permission.CreatePublicThreads;

/** Discord's documented `app_permissions` inside a DM with the bot. */
export const botDmAppPermissions: bigint =
	Permission.AttachFiles | Permission.EmbedLinks | Permission.MentionEveryone | Permission.UseExternalEmojis;

/**
 * `app_permissions` of a user-installed app in a server its bot is not in: the same limited set as
 * in a DM (Discord's docs on app_permissions, "Interaction Object").
 */
export const userAppPermissions: bigint = botDmAppPermissions;

/** Permissions a user has in a DM channel (sent as `member`-less interactions, so only informative). */
export const dmUserPermissions: bigint =
	Permission.ViewChannel |
	Permission.SendMessages |
	Permission.EmbedLinks |
	Permission.AttachFiles |
	Permission.ReadMessageHistory |
	Permission.AddReactions |
	Permission.UseExternalEmojis |
	Permission.UseApplicationCommands;

export function effectivePermissions(permissions: bigint): bigint {
	return (permissions & Permission.Administrator) !== 0n ? allPermissions : permissions;
}
