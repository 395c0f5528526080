import { SlashCommandBuilder } from '@discordjs/builders';
import { PermissionFlagsBits } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { isAgeRestricted } from '../src/discord/permissions.js';
import { interactionPoster } from '../src/discord/poster.js';
import { actorOf, answer, assertReadableHere, describeReading, nextRowFor } from '../src/discord/reading.js';
import { UserError } from '../src/errors.js';
import { readingMessages } from '../src/messages/index.js';
import { mayRestart } from '../src/reading/rules.js';
import { fitText } from '../src/render/index.js';
import { mayReadIn } from '../src/story/rating.js';

export default {
	data: new SlashCommandBuilder()
		.setName('read')
		.setDescription('Start reading a story here, or see where the reading here stands')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addStringOption((option) => option.setName('story').setDescription('Which story (when there is more than one)').setAutocomplete(true))
		.addBooleanOption((option) =>
			option.setName('restart').setDescription('Start over from scene 1, here (needs Manage Server or the reader-host role)'),
		),
	async execute(interaction, responder, ctx, where) {
		assertReadableHere(interaction, where);
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
		const poster = interactionPoster(ctx, responder, { private: where.private });
		const channelId = where.private ? undefined : interaction.channelId;
		const outcome = await ctx.readings.start(where.place, story, { ...actorOf(interaction), mayRestart: allowed }, { poster, channelId, restart });
		if (outcome.kind === 'underWay') {
			// Where it stands, and how to read the asked-for story instead when it is another one.
			const other = storyId && story.id !== outcome.record.storyId && where.kind === 'server' ? readingMessages.otherStoryNeedsRestart(story.meta.title, story.id) : '';
			await responder.sendEphemeral({ content: describeReading(ctx, outcome.record, outcome.story) + other, components: nextRowFor(ctx, outcome.record, outcome.story) });
			return;
		}
		await answer(ctx, responder, outcome, where);
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
