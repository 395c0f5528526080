// The "Notify me" button: gives or takes the reading's notice role to whoever presses it, when the
// bot may manage that role, and otherwise says what a server admin must change.
import { PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import { languageFor, scheduleMessagesIn } from '../messages/index.js';
import { placeKey } from '../reading/place.js';
import type { InteractionPlace } from './place.js';
import type { Responder } from './responder.js';

/**
 * Toggles `roleId` on the member who pressed the button. Discord lets a bot give a role only with
 * Manage Roles, below its own highest role, and not a role an integration manages
 * (https://discord.com/developers/docs/topics/permissions#permission-hierarchy). Throws UserError
 * with what an admin must do when the bot may not. The role is given only while it is the notice
 * role of the schedule here: a button left on an older message (the schedule since set with another
 * role, or cleared) must not hand out a role a host picked by mistake. Taking it back always works.
 */
export async function toggleNotice(ctx: Pick<BotContext, 'store'>, interaction: ButtonInteraction, responder: Responder, where: InteractionPlace, roleId: string): Promise<void> {
	// Every answer here is the presser's alone: in their language, then the server's.
	const scheduleMessages = scheduleMessagesIn(languageFor(interaction.locale, interaction.guildLocale));
	if (!interaction.inCachedGuild()) throw new UserError(scheduleMessages.onlyInServers);
	const role = interaction.guild.roles.cache.get(roleId);
	if (!role) throw new UserError(scheduleMessages.cannotManageRole(roleId, 'gone'));
	const me = interaction.guild.members.me;
	if (!me?.permissions.has(PermissionFlagsBits.ManageRoles)) throw new UserError(scheduleMessages.cannotManageRole(roleId, 'noPermission'));
	if (role.managed) throw new UserError(scheduleMessages.cannotManageRole(roleId, 'managed'));
	if (me.roles.highest.comparePositionTo(role) <= 0) throw new UserError(scheduleMessages.cannotManageRole(roleId, 'tooHigh'));
	const has = interaction.member.roles.cache.has(roleId);
	if (!has) {
		const schedule = (await ctx.store.getReading(placeKey(where.place)))?.schedule;
		if (!schedule || schedule.endedAt !== undefined || schedule.roleId !== roleId) throw new UserError(scheduleMessages.notNoticeRole(roleId));
	}
	if (has) await interaction.guild.members.removeRole({ user: interaction.user.id, role: roleId });
	else await interaction.guild.members.addRole({ user: interaction.user.id, role: roleId });
	await responder.sendEphemeral(has ? scheduleMessages.notifyOff(roleId) : scheduleMessages.notifyOn(roleId));
}
