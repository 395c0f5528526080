import { SlashCommandBuilder } from '@discordjs/builders';
import { showCatchUp } from '../src/discord/catchup.js';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';

export default {
	data: named(new SlashCommandBuilder(), 'commands.catchup')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addIntegerOption((option) => named(option, 'commands.catchup.options.from').setMinValue(1)),
	async execute(interaction, responder, ctx, where) {
		await showCatchUp(ctx, responder, where, interaction.options.getInteger('from') ?? 1);
	},
} satisfies Command;
