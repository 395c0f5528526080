import { SlashCommandBuilder } from '@discordjs/builders';
import { showCatchUp } from '../src/discord/catchup.js';
import type { Command } from '../src/discord/command.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';

export default {
	data: new SlashCommandBuilder()
		.setName('catchup')
		.setDescription('See the parts posted here so far, privately, one at a time')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addIntegerOption((option) => option.setName('from').setDescription('The part to start from (default: the first)').setMinValue(1)),
	async execute(interaction, responder, ctx, where) {
		await showCatchUp(ctx, responder, where, interaction.options.getInteger('from') ?? 1);
	},
} satisfies Command;
