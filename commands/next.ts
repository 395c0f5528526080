import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import { advance } from '../src/discord/reading.js';
import type { Command } from './index.js';

export default {
	data: new SlashCommandBuilder()
		.setName('next')
		.setDescription("Post the next scene of this server's reading")
		.setContexts(InteractionContextType.Guild),
	async execute(interaction, responder, ctx) {
		await advance(ctx, responder, { guild: interaction.guild, userId: interaction.user.id, pressedAt: interaction.createdTimestamp });
	},
} satisfies Command;
