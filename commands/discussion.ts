import { SlashCommandBuilder } from '@discordjs/builders';
import { PermissionFlagsBits } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { choice, named } from '../src/discord/command-text.js';
import { AUTO_ARCHIVE_MINUTES } from '../src/discord/poster.js';
import { UserError } from '../src/errors.js';
import { readingMessagesIn, scheduleMessagesIn } from '../src/messages/index.js';
import { mayRestart } from '../src/reading/rules.js';
import { updateReading } from '../src/schedule/club.js';

const THREADS = 'commands.discussion.options.threads';
const CHOICES = [
	choice(`${THREADS}.choices.off`, 0),
	choice(`${THREADS}.choices.hour`, AUTO_ARCHIVE_MINUTES[0]),
	choice(`${THREADS}.choices.day`, AUTO_ARCHIVE_MINUTES[1]),
	choice(`${THREADS}.choices.threeDays`, AUTO_ARCHIVE_MINUTES[2]),
	choice(`${THREADS}.choices.week`, AUTO_ARCHIVE_MINUTES[3]),
];

// A public thread under each new part of this channel's reading, for spoiler-safe talk about it.
export default {
	data: named(new SlashCommandBuilder(), 'commands.discussion')
		.setIntegrationTypes(0)
		.setContexts(0)
		.addIntegerOption((option) =>
			named(option, THREADS)
				.setRequired(true)
				.addChoices(...CHOICES),
		),
	async execute(interaction, responder, ctx, where) {
		// Refusals are the user's alone (their language); the change is announced to the channel (the server's).
		const said = scheduleMessagesIn(where.languages.reader);
		if (where.kind !== 'server') throw new UserError(said.onlyInServers);
		const roles = interaction.inCachedGuild() ? [...interaction.member.roles.cache.keys()] : [];
		const managesServer = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
		if (!mayRestart({ managesServer, roles }, ctx.env.readerHostRoleId)) throw new UserError(said.mayNotChange(ctx.env.readerHostRoleId));
		const minutes = interaction.options.getInteger('threads', true);
		// Turning threads on where none could be started would announce threads that never come.
		if (minutes !== 0 && interaction.channel?.isThread()) throw new UserError(said.discussionInThread);
		if (minutes !== 0 && !interaction.appPermissions?.has(PermissionFlagsBits.CreatePublicThreads)) throw new UserError(said.discussionNeedsPermission);
		const result = await updateReading(ctx.store, ctx.readingLocks, where.place, interaction.id, (record) => {
			if ((record.discussion?.autoArchiveMinutes ?? 0) === minutes) return 'unchanged';
			const { discussion: _old, ...rest } = record;
			return minutes === 0 ? rest : { ...rest, discussion: { autoArchiveMinutes: minutes } };
		});
		if (result.kind === 'handledElsewhere') return responder.abandon();
		if (result.kind === 'noReading') throw new UserError(readingMessagesIn(where.languages.reader).noReadingHere);
		if (result.kind === 'unchanged') throw new UserError(said.discussionUnchanged);
		const user = interaction.user.id;
		const announced = scheduleMessagesIn(where.languages.posted);
		await responder.send({ content: minutes === 0 ? announced.discussionOff(user) : announced.discussionOn(user, minutes) });
	},
} satisfies Command;
