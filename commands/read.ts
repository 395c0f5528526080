import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { chooserPayload } from '../src/discord/library.js';
import { assertReadableHere, startHere } from '../src/discord/reading.js';
import { UserError } from '../src/errors.js';
import { languageFor, readingMessagesIn } from '../src/messages/index.js';

/** Discord's limit on autocomplete choices (https://discord.com/developers/docs/interactions/application-commands#autocomplete): 25, each name 1 to 100 characters. */
const AUTOCOMPLETE_CHOICES = 25;
const AUTOCOMPLETE_NAME_MAX = 100;

export default {
	data: named(new SlashCommandBuilder(), 'commands.read')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addStringOption((option) => named(option, 'commands.read.options.story').setAutocomplete(true))
		.addBooleanOption((option) => named(option, 'commands.read.options.restart')),
	async execute(interaction, responder, ctx, where) {
		assertReadableHere(interaction, where);
		const language = where.languages.reader;
		const storyId = interaction.options.getString('story');
		const restart = interaction.options.getBoolean('restart') ?? false;
		if (storyId === null) {
			const preferred = ctx.stories.preferred;
			// Several stories and no DEFAULT_STORY: ask rather than guess (the menu starts the one chosen, see src/discord/library.ts).
			if (preferred === undefined) {
				await responder.sendEphemeral(chooserPayload(ctx.stories.all, language, restart));
				return;
			}
			await startHere(ctx, interaction, responder, where, preferred, { restart, named: false });
			return;
		}
		const story = ctx.stories.get(storyId);
		if (!story) {
			const readingMessages = readingMessagesIn(language);
			// Its file is there but did not load: the host must fix it (not "no such story").
			if (ctx.stories.refusedFile(storyId) !== undefined) throw new UserError(readingMessages.storyHasMistake(storyId));
			const some = ctx.stories.all.slice(0, 10).map((s) => readingMessages.storyChoice(s.id, s.meta.title)).join(', ');
			throw new UserError(readingMessages.noSuchStory(storyId, some, Math.max(0, ctx.stories.all.length - 10)));
		}
		await startHere(ctx, interaction, responder, where, story, { restart, named: true });
	},
	/** Stories with a word of their title, author or id starting with each typed word, case and accents aside (StoryLibrary.search). */
	async autocomplete(interaction, ctx) {
		const typed = interaction.options.getFocused();
		const words = readingMessagesIn(languageFor(interaction.locale, interaction.guildLocale));
		const choices = ctx.stories.search(typed).slice(0, AUTOCOMPLETE_CHOICES).map((story) => ({
			name: words.storyByAuthor(story.meta.title, story.meta.author, AUTOCOMPLETE_NAME_MAX),
			value: story.id,
		}));
		await interaction.respond(choices);
	},
} satisfies Command;
