import { SlashCommandBuilder } from '@discordjs/builders';
import { PermissionFlagsBits } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { isAgeRestricted } from '../src/discord/permissions.js';
import { interactionPoster } from '../src/discord/poster.js';
import { actorOf, answer, assertReadableHere, describeReading, nextRowFor } from '../src/discord/reading.js';
import { UserError } from '../src/errors.js';
import { languageFor, readingMessagesIn } from '../src/messages/index.js';
import { mayRestart } from '../src/reading/rules.js';
import { fitText } from '../src/render/index.js';
import { mayReadIn } from '../src/story/rating.js';

export default {
	data: named(new SlashCommandBuilder(), 'commands.read')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addStringOption((option) => named(option, 'commands.read.options.story').setAutocomplete(true))
		.addBooleanOption((option) => named(option, 'commands.read.options.restart')),
	async execute(interaction, responder, ctx, where) {
		assertReadableHere(interaction, where);
		// Refusals and "under way" are the reader's alone; the posts are the place's (see InteractionLanguages).
		const language = where.languages.reader;
		const readingMessages = readingMessagesIn(language);
		const storyId = interaction.options.getString('story');
		const story = storyId ? ctx.stories.get(storyId) : ctx.stories.default;
		if (!story) {
			const some = ctx.stories.all.slice(0, 10).map((s) => readingMessages.storyChoice(s.id, s.meta.title)).join(', ');
			throw new UserError(readingMessages.noSuchStory(storyId ?? '', some, Math.max(0, ctx.stories.all.length - 10)));
		}
		const rated = mayReadIn(story.meta, { nsfw: isAgeRestricted(interaction.channel), private: where.kind !== 'server' });
		if (!rated.ok) throw new UserError(rated.reason);
		const restart = interaction.options.getBoolean('restart') ?? false;
		// A reader's own private reading is theirs to start over; a channel's needs Manage Server or the host role.
		const allowed =
			where.kind !== 'server' ||
			mayRestart(
				{ managesServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false, roles: [...(interaction.inCachedGuild() ? interaction.member.roles.cache.keys() : [])] },
				ctx.env.readerHostRoleId,
			);
		const poster = interactionPoster(ctx, responder, { private: where.private, language: where.languages.posted });
		const channelId = where.private ? undefined : interaction.channelId;
		const outcome = await ctx.readings.start(where.place, story, { ...actorOf(interaction), mayRestart: allowed }, { poster, channelId, restart });
		if (outcome.kind === 'underWay') {
			// Where it stands, and how to read the asked-for story instead when it is another one.
			const other = storyId && story.id !== outcome.record.storyId && where.kind === 'server' ? readingMessages.otherStoryNeedsRestart(story.meta.title, story.id) : '';
			await responder.sendEphemeral({ content: describeReading(ctx, outcome.record, outcome.story, language) + other, components: nextRowFor(ctx, outcome.record, outcome.story, language) });
			return;
		}
		await answer(ctx, responder, outcome, where);
	},
	async autocomplete(interaction, ctx) {
		const typed = interaction.options.getFocused();
		const words = readingMessagesIn(languageFor(interaction.locale, interaction.guildLocale));
		const choices = ctx.stories.search(typed).slice(0, 25).map((story) => ({
			name: fitText(words.storyByAuthor(story.meta.title, story.meta.author), 100),
			value: story.id,
		}));
		await interaction.respond(choices);
	},
} satisfies Command;
