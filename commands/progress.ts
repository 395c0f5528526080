import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/command.js';
import { named } from '../src/discord/command-text.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/installs.js';
import { inviteUrl } from '../src/invite.js';
import { describeReading, nextRowFor, positionWords, readingLink } from '../src/discord/reading.js';
import { UserError } from '../src/errors.js';
import { readingMessagesIn } from '../src/messages/index.js';
import { isOver, newestMessageId } from '../src/reading/rules.js';

export default {
	data: named(new SlashCommandBuilder(), 'commands.progress')
		.setIntegrationTypes(...INTEGRATION_TYPES)
		.setContexts(...CONTEXTS),
	async execute(interaction, responder, ctx, where) {
		// A server the bot is not in: its readings are out of sight (a private reading is /read's).
		if (where.kind === 'elsewhere' && where.foreignGuildId !== null) throw new UserError(readingMessagesIn(where.languages.reader).notInServer(inviteUrl(interaction.applicationId)));
		// Its answer is public where the reading is (everyone there reads it), private elsewhere.
		const language = where.languages.posted;
		const readingMessages = readingMessagesIn(language);
		const status = await ctx.readings.status(where.place);
		const send = where.private ? responder.sendEphemeral.bind(responder) : responder.send.bind(responder);
		if (status.kind === 'reading' && !isOver(status.record, ctx.stories.partCount(status.story))) {
			await send({ content: describeReading(ctx, status.record, status.story, language), components: nextRowFor(ctx, status.record, status.story, language) });
			return;
		}
		if (status.kind === 'storyGone') throw new UserError(readingMessagesIn(where.languages.reader).storyMissing(status.record.storyId, status.refusedFile !== undefined));
		const here = status.kind === 'reading' ? `${describeReading(ctx, status.record, status.story, language)}${readingMessages.startAgain}` : undefined;
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
				const position = positionWords(ctx, record, story, language);
				return [readingMessages.serverReadingLine({ channelId: record.place.channelId, storyTitle: story.meta.title, position, link: readingLink(record, newestMessageId(record)) })];
			})
			.slice(0, 20);
		// This channel's finished reading and no other: "no reading in this server yet" would contradict it.
		if (here && lines.length === 0) {
			await send({ content: here });
			return;
		}
		const list = readingMessages.serverReadings(lines);
		await send({ content: here ? `${here}\n\n${list}` : list });
	},
} satisfies Command;
