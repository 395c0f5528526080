import { EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import { UserError } from '../src/errors.js';
import { reconcileReading } from '../src/discord/feedback.js';
import { findReadingChannel } from '../src/discord/reading.js';
import { fitText, inlineLabel, renderFeedbackSummary } from '../src/render/index.js';
import type { Command } from './index.js';

export default {
	data: new SlashCommandBuilder()
		.setName('feedback')
		.setDescription("Show readers' feedback reactions, scene by scene")
		.setContexts(InteractionContextType.Guild)
		.addStringOption((option) => option.setName('story').setDescription('Which story (default: the one being read)').setAutocomplete(true)),
	async execute(interaction, responder, ctx) {
		const record = await ctx.store.getProgress(interaction.guildId);
		const storyId = interaction.options.getString('story') ?? record?.storyId;
		const story = storyId ? ctx.stories.get(storyId) : ctx.stories.default;
		if (!story) throw new UserError(`There is no story called \`${inlineLabel(storyId ?? '', 100)}\`.`);

		if (record?.storyId === story.id) {
			const channel = await findReadingChannel(interaction.guild, record.channelId);
			if (channel) await reconcileReading(ctx, channel, story, record.sceneMessageIds);
		}
		const emojis = [...story.meta.feedbackEmoji];
		const counts = await ctx.store.countVotes(interaction.guildId, story.id, story.scenes.length, emojis);
		await responder.send({
			embeds: [
				new EmbedBuilder()
					.setTitle(fitText(`Feedback on ${story.meta.title}`, 256))
					.setDescription(renderFeedbackSummary(story, { emojis, counts }))
					.toJSON(),
			],
		});
	},
	async autocomplete(interaction, ctx) {
		const choices = ctx.stories.search(interaction.options.getFocused()).slice(0, 25);
		await interaction.respond(choices.map((story) => ({ name: fitText(story.meta.title, 100), value: story.id })));
	},
} satisfies Command;
