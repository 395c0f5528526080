import { SlashCommandBuilder } from '@discordjs/builders';
import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import type { InteractionPlace } from '../src/discord/place.js';
import { notifyButtonRow } from '../src/discord/poster.js';
import { assertReadableHere } from '../src/discord/reading.js';
import type { BotContext } from '../src/context.js';
import { UserError } from '../src/errors.js';
import { readingMessagesIn, scheduleMessagesIn } from '../src/messages/index.js';
import { placeKey } from '../src/reading/place.js';
import { mayRestart } from '../src/reading/rules.js';
import { makeRule, MAX_EVERY_DAYS, RuleError } from '../src/schedule/rule.js';
import type { ScheduleChange } from '../src/schedule/scheduler.js';

const S = 'commands.schedule';
const SET = `${S}.subcommands.set.options`;

// Schedules live on a channel's reading, so /schedule is for servers the bot is in (guild installs).
export default {
	data: named(new SlashCommandBuilder(), S)
		.setIntegrationTypes(0)
		.setContexts(0)
		.addSubcommand((sub) =>
			named(sub, `${S}.subcommands.set`)
				// Localized option names are for display: Discord sends the English ones, which the code reads.
				.addStringOption((o) => named(o, `${SET}.timezone`).setRequired(true).setMaxLength(60))
				.addStringOption((o) => named(o, `${SET}.time`).setMaxLength(5))
				.addStringOption((o) => named(o, `${SET}.days`).setMaxLength(60))
				.addIntegerOption((o) => named(o, `${SET}.every`).setMinValue(1).setMaxValue(MAX_EVERY_DAYS))
				.addStringOption((o) => named(o, `${SET}.cron`).setMaxLength(100))
				.addRoleOption((o) => named(o, `${SET}.role`)),
		)
		.addSubcommand((sub) => named(sub, `${S}.subcommands.show`))
		.addSubcommand((sub) => named(sub, `${S}.subcommands.pause`))
		.addSubcommand((sub) => named(sub, `${S}.subcommands.resume`))
		.addSubcommand((sub) => named(sub, `${S}.subcommands.clear`)),
	async execute(interaction, responder, ctx, where) {
		// Refusals and `show` are the user's alone (their language); changes are announced to the channel (the server's).
		const scheduleMessages = scheduleMessagesIn(where.languages.reader);
		if (where.kind !== 'server') throw new UserError(scheduleMessages.onlyInServers);
		const sub = interaction.options.getSubcommand(true);
		const by = { userId: interaction.user.id, trigger: interaction.id };
		if (sub === 'show') {
			const record = await ctx.store.getReading(placeKey(where.place));
			const story = record && ctx.stories.get(record.storyId);
			if (!record || !record.schedule || record.schedule.endedAt) throw new UserError(scheduleMessages.noSchedule);
			// A schedule whose story was removed from the folder releases nothing: say why, not "no schedule".
			if (!story) throw new UserError(readingMessagesIn(where.languages.reader).storyMissing(record.storyId, ctx.stories.refusedFile(record.storyId) !== undefined));
			await responder.sendEphemeral(scheduleMessages.show(story.meta.title, record.schedule, ctx.schedules.nextRelease(record)));
			return;
		}
		assertMayChange(interaction, ctx, where.languages.reader);
		let change: ScheduleChange;
		if (sub === 'set') {
			assertReadableHere(interaction, where);
			let rule;
			try {
				rule = makeRule({
					timezone: interaction.options.getString('timezone', true),
					time: interaction.options.getString('time'),
					days: interaction.options.getString('days'),
					everyDays: interaction.options.getInteger('every'),
					cron: interaction.options.getString('cron'),
					now: ctx.clock.now(),
				});
			} catch (error) {
				if (error instanceof RuleError) throw new UserError(scheduleMessages.problem(error.problem));
				throw error;
			}
			const role = interaction.options.getRole('role');
			// @everyone's id is the server's: mentioning it would ping everyone, which the bot never does.
			if (role && role.id === where.guild.id) throw new UserError(scheduleMessages.everyoneIsNoNotice);
			change = await ctx.schedules.set(where.place, rule, by, role?.id);
		} else if (sub === 'pause') change = await ctx.schedules.pause(where.place, by);
		else if (sub === 'resume') change = await ctx.schedules.resume(where.place, by);
		else change = await ctx.schedules.clear(where.place, by);
		await answer(ctx, interaction, responder, where, sub, change);
	},
} satisfies Command;

/** Puts the Notify me button under the reading's title card (best effort: the answer above has one too). */
async function offerNotifyOnTitleCard(ctx: BotContext, interaction: ChatInputCommandInteraction, messageId: string | undefined, roleId: string, language: string): Promise<void> {
	if (messageId === undefined || !interaction.channel) return;
	await interaction.channel.messages.edit(messageId, { components: [notifyButtonRow(roleId, language)] }).catch((error: unknown) => {
		ctx.logger.warn({ err: error, channelId: interaction.channelId }, 'could not add the Notify me button to the title card');
	});
}

function assertMayChange(interaction: ChatInputCommandInteraction, ctx: BotContext, language: string): void {
	const roles = interaction.inCachedGuild() ? [...interaction.member.roles.cache.keys()] : [];
	const managesServer = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
	if (!mayRestart({ managesServer, roles }, ctx.env.readerHostRoleId)) throw new UserError(scheduleMessagesIn(language).mayNotChange(ctx.env.readerHostRoleId));
}

async function answer(
	ctx: BotContext,
	interaction: ChatInputCommandInteraction,
	responder: Parameters<Command['execute']>[1],
	where: InteractionPlace & { kind: 'server' },
	sub: string,
	change: ScheduleChange,
): Promise<void> {
	const m = scheduleMessagesIn(where.languages.reader);
	const announced = scheduleMessagesIn(where.languages.posted);
	switch (change.kind) {
		case 'handledElsewhere':
			// Another process of this bot got the same interaction and made the change: watch it here too.
			responder.abandon();
			await ctx.schedules.refresh(where.place);
			return;
		case 'noReading':
			throw new UserError(m.noReading);
		case 'over':
			throw new UserError(m.over);
		case 'noSchedule':
			throw new UserError(m.noSchedule);
		case 'unchanged':
			await responder.sendEphemeral(sub === 'pause' ? m.alreadyPaused : m.notPaused(ctx.schedules.nextRelease(change.record)));
			return;
		case 'changed': {
			const user = interaction.user.id;
			const story = ctx.stories.get(change.record.storyId);
			const next = ctx.schedules.nextRelease(change.record);
			if (sub === 'set' && change.schedule) {
				const roleId = change.schedule.roleId;
				const content = announced.set(user, story?.meta.title ?? change.record.storyId, change.schedule.rule, next) + (roleId ? announced.noticeRole(roleId) : '');
				await responder.send({ content, components: roleId ? [notifyButtonRow(roleId, where.languages.posted)] : [] });
				if (roleId) await offerNotifyOnTitleCard(ctx, interaction, change.record.titleCardMessageId, roleId, where.languages.posted);
			}
			else if (sub === 'pause') await responder.send({ content: announced.paused(user) });
			else if (sub === 'resume') await responder.send({ content: announced.resumed(user, next) });
			else await responder.send({ content: announced.cleared(user) });
		}
	}
}
