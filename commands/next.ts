import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { advanceHere } from '../src/discord/reading.js';

export default {
	data: named(new SlashCommandBuilder(), 'commands.next')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS),
	async execute(interaction, responder, ctx, where) {
		await advanceHere(ctx, interaction, responder, where, { kind: 'command' });
	},
} satisfies Command;
