import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { libraryPage } from '../src/discord/library.js';

export default {
	data: named(new SlashCommandBuilder(), 'commands.library').setIntegrationTypes(...INTEGRATION_TYPES).setContexts(...CONTEXTS),
	async execute(_interaction, responder, ctx, where) {
		// Ephemeral: the list is for the one browsing (a host choosing, a reader curious), and a
		// channel's readers would otherwise get a page of catalogue between the story's parts; the
		// start buttons still post the reading itself for everyone, as /read does.
		await responder.sendEphemeral(libraryPage(ctx, 0, where.languages.reader));
	},
} satisfies Command;
