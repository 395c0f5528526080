import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/command.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { inviteUrl } from '../src/invite.js';
import { describeReading, nextRowFor, positionWords, readingLink } from '../src/discord/reading.js';
import { UserError } from '../src/errors.js';
import { readingMessages } from '../src/messages/index.js';
import { isOver, newestMessageId } from '../src/reading/rules.js';

export default {
	data: new SlashCommandBuilder()
		.setName('progress')
		.setDescription('Show where the reading here stands, or the readings of this server')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS),
	async execute(interaction, responder, ctx, where) {
		// A server the bot is not in: its readings are out of sight (a private reading is /read's).
		if (where.kind === 'elsewhere' && where.foreignGuildId !== null) throw new UserError(readingMessages.notInServer(inviteUrl(interaction.applicationId)));
		const status = await ctx.readings.status(where.place);
		const send = where.private ? responder.sendEphemeral.bind(responder) : responder.send.bind(responder);
		if (status.kind === 'reading' && !isOver(status.record, ctx.stories.partCount(status.story))) {
			await send({ content: describeReading(ctx, status.record, status.story), components: nextRowFor(ctx, status.record, status.story) });
			return;
		}
		if (status.kind === 'storyGone') throw new UserError(readingMessages.storyGone(status.record.storyId));
		const here = status.kind === 'reading' ? `${describeReading(ctx, status.record, status.story)}${readingMessages.startAgain}` : undefined;
		if (where.kind !== 'server') {
			await send({ content: here ?? readingMessages.noPrivateReading });
			return;
		}
		// Nothing under way in this channel: where the server's other readings are.
		const lines = (await ctx.store.readingsIn(where.guild.id))
			.filter((record) => record.place.kind === 'channel' && record.place.channelId !== interaction.channelId)
			.flatMap((record) => {
				const story = ctx.stories.get(record.storyId);
				if (!story || record.place.kind !== 'channel') return [];
				const position = positionWords(ctx, record, story);
				return [readingMessages.serverReadingLine({ channelId: record.place.channelId, storyTitle: story.meta.title, position, link: readingLink(record, newestMessageId(record)) })];
			})
			.slice(0, 20);
		const list = readingMessages.serverReadings(lines);
		await send({ content: here ? `${here}\n\n${list}` : list });
	},
} satisfies Command;
