import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import { describeReading, nextButtonRow } from '../src/discord/reading.js';
import { isOver } from '../src/progress.js';
import type { Command } from './index.js';

export default {
	data: new SlashCommandBuilder()
		.setName('progress')
		.setDescription('Show where this server is in its reading')
		.setContexts(InteractionContextType.Guild),
	async execute(interaction, responder, ctx) {
		// Read under the reading lock so a scene being posted right now is already counted.
		const record = await ctx.readingLocks.run(interaction.guildId, () => ctx.store.getProgress(interaction.guildId));
		const story = record && ctx.stories.get(record.storyId);
		if (!record || !story) {
			await responder.send({ content: 'No reading in this server yet. Anyone can start one with `/read`.' });
			return;
		}
		const over = isOver(record, story.scenes.length);
		await responder.send({
			content: describeReading(interaction.guildId, record, story) + (over ? ' Start it again with `/read`.' : ''),
			components: over ? [] : [nextButtonRow(story, record.position)],
		});
	},
} satisfies Command;
