import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType, roleMention } from 'discord.js';
import { UserError } from '../src/errors.js';
import { READABLE_CHANNEL_TYPES, canRestart, describeReading, nextButtonRow, startNewReading } from '../src/discord/reading.js';
import { isOver } from '../src/progress.js';
import { fitText, inlineLabel } from '../src/render/index.js';
import type { Command } from './index.js';

export default {
	data: new SlashCommandBuilder()
		.setName('read')
		.setDescription('Start reading a story in this channel, or see where the reading stands')
		.setContexts(InteractionContextType.Guild)
		.addStringOption((option) => option.setName('story').setDescription('Which story (when there is more than one)').setAutocomplete(true))
		.addBooleanOption((option) =>
			option.setName('restart').setDescription('Start over from scene 1, here (needs Manage Server or the reader-host role)'),
		),
	async execute(interaction, responder, ctx) {
		const channel = interaction.channel;
		if (!channel || !READABLE_CHANNEL_TYPES.has(channel.type) || !channel.isTextBased()) {
			throw new UserError("A reading needs a text channel or thread I can see. Use `/read` in one of those.");
		}
		const storyId = interaction.options.getString('story');
		const story = storyId ? ctx.stories.get(storyId) : ctx.stories.default;
		if (!story) {
			const some = ctx.stories.all.slice(0, 10).map((s) => `\`${s.id}\` (${inlineLabel(s.meta.title, 80)})`).join(', ');
			const more = ctx.stories.all.length > 10 ? `, and ${ctx.stories.all.length - 10} more: pick from the list as you type` : '';
			throw new UserError(`There is no story called \`${inlineLabel(storyId ?? '', 100)}\`. Available: ${some}${more}.`);
		}
		const restart = interaction.options.getBoolean('restart') ?? false;
		await ctx.readingLocks.run(interaction.guildId, async () => {
			const record = await ctx.store.getProgress(interaction.guildId);
			const current = record && ctx.stories.get(record.storyId);
			const underWay = record !== undefined && current !== undefined && !isOver(record, current.scenes.length);
			if (underWay && !restart) {
				const other = storyId && story.id !== record.storyId
					? ` To read **${inlineLabel(story.meta.title, 200)}** instead, someone with Manage Server can use \`/read story:${story.id} restart:True\`.`
					: '';
				await responder.sendEphemeral({
					content: `${describeReading(interaction.guildId, record, current)}${other}`,
					components: [nextButtonRow(current, record.position)],
				});
				return;
			}
			if (underWay && restart) {
				const member = { permissions: interaction.memberPermissions, roles: [...interaction.member.roles.cache.keys()] };
				if (!canRestart(ctx, member)) {
					const role = ctx.env.readerHostRoleId ? ` or the ${roleMention(ctx.env.readerHostRoleId)} role` : '';
					throw new UserError(`Only members with the Manage Server permission${role} can restart a reading that is under way.`);
				}
			}
			await startNewReading(ctx, responder, { guild: interaction.guild, channel, story, userId: interaction.user.id });
		});
	},
	async autocomplete(interaction, ctx) {
		const typed = interaction.options.getFocused();
		const choices = ctx.stories.search(typed).slice(0, 25).map((story) => ({
			name: fitText(`${story.meta.title} by ${story.meta.author}`, 100),
			value: story.id,
		}));
		await interaction.respond(choices);
	},
} satisfies Command;
