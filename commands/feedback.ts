import { EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import type { GuildTextBasedChannel } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { reconcileReading } from '../src/discord/feedback.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { inviteUrl } from '../src/invite.js';
import { UserError } from '../src/errors.js';
import { cardWordsIn, libraryMessagesIn, readingMessagesIn, storyLabel } from '../src/messages/index.js';
import { placeKey } from '../src/reading/place.js';
import { fitText, renderFeedbackSummary } from '../src/render/index.js';

/** Each summary gets at most this much, so two fit in one message's 6,000 characters of embeds. */
const SUMMARY_CHARS = 2_900;

export default {
	data: named(new SlashCommandBuilder(), 'commands.feedback')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS)
		.addStringOption((option) => named(option, 'commands.feedback.options.story').setAutocomplete(true)),
	async execute(interaction, responder, ctx, where) {
		const refusal = readingMessagesIn(where.languages.reader);
		if (where.kind === 'elsewhere' && where.foreignGuildId !== null) throw new UserError(refusal.notInServer(inviteUrl(interaction.applicationId)));
		// The tally is posted where the reading is, for everyone there (privately elsewhere).
		const readingMessages = readingMessagesIn(where.languages.posted);
		const words = cardWordsIn(where.languages.posted);
		const status = await ctx.readings.status(where.place);
		const record = status.kind === 'reading' ? status.record : undefined;
		const asked = interaction.options.getString('story');
		// The reading here is of a story since removed: say so, as /next does, rather than ask for a story or show another.
		if (!asked && status.kind === 'storyGone') throw new UserError(refusal.storyMissing(status.record.storyId, status.refusedFile !== undefined));
		const storyId = asked ?? record?.storyId;
		// No reading here and no story named: the default (or only) story; with several, ask for one.
		if (!storyId && !ctx.stories.preferred) throw new UserError(libraryMessagesIn(where.languages.reader).nameAStory);
		const story = storyId ? ctx.stories.get(storyId) : ctx.stories.preferred;
		if (!story) throw new UserError(refusal.noSuchStoryPlain(storyId ?? ''));

		const here = placeKey(where.place);
		if (where.kind === 'server' && record?.storyId === story.id && interaction.channel) {
			await reconcileReading(ctx, interaction.channel as GuildTextBasedChannel, story, record);
		}
		const emojis = [...story.meta.feedbackEmoji];
		const partKeys = ctx.stories.partKeys(story);
		const counts = await ctx.store.countVotes([here], story.id, partKeys, emojis);
		const embeds = [
			new EmbedBuilder()
				.setTitle(fitText(readingMessages.feedbackTitle(story.meta.title), 256))
				.setDescription(fitText(renderFeedbackSummary(story, { emojis, counts }, undefined, words), SUMMARY_CHARS))
				.toJSON(),
		];
		if (where.kind === 'server') {
			// Every reading of the server, and the votes schema 1 kept per server (under its bare id).
			const readings = await ctx.store.readingsIn(where.guild.id);
			const places = readings.map((reading) => placeKey(reading.place));
			const readingsOfStory = readings.filter((reading) => reading.storyId === story.id).length;
			const total = await ctx.store.countVotes([...places, here, where.guild.id], story.id, partKeys, emojis);
			if (JSON.stringify(total) !== JSON.stringify(counts)) {
				embeds[0] = new EmbedBuilder(embeds[0]).setFooter({ text: readingMessages.feedbackHere }).toJSON();
				embeds.push(
					new EmbedBuilder()
						.setTitle(fitText(readingMessages.feedbackServerTotal(Math.max(readingsOfStory, 1)), 256))
						.setDescription(fitText(renderFeedbackSummary(story, { emojis, counts: total }, undefined, words), SUMMARY_CHARS))
						.toJSON(),
				);
			}
		}
		const payload = { embeds };
		if (where.private) await responder.sendEphemeral(payload);
		else await responder.send(payload);
	},
	async autocomplete(interaction, ctx) {
		const choices = ctx.stories.search(interaction.options.getFocused()).slice(0, 25);
		await interaction.respond(choices.map((story) => ({ name: storyLabel(story.meta.title, 100), value: story.id })));
	},
} satisfies Command;
