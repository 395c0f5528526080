// The scheduler's Discord side: posting a release in its channel (no interaction to answer), and
// finding the schedules of the servers this process serves. No schedule rules here.
import type { Client } from 'discord.js';
import type { BotContext } from '../context.js';
import { languageFor, scheduleMessagesIn } from '../messages/index.js';
import type { OutgoingMessage, Poster } from '../reading/service.js';
import type { Clock } from '../schedule/clock.js';
import { Scheduler } from '../schedule/scheduler.js';
import type { ReadingRecord } from '../store.js';
import { offerFeedbackEmoji } from './feedback-emoji.js';
import { isAgeRestricted } from './permissions.js';
import { discordPayload, startDiscussion } from './poster.js';

/**
 * Posts in a reading's channel as the bot itself: the part's messages with the Next button under
 * the last, then the feedback emoji. Throws what Discord threw (a missing permission: 50013). The
 * bot's words are in `language` (a shipped language code, see languageFor): for a server's channel,
 * its preferred locale, as every public post (README, "Languages").
 */
export function channelPoster(ctx: BotContext, client: Client, channelId: string, language?: string): Poster {
	const cached = client.channels.cache.get(channelId);
	return {
		language,
		// A channel this process does not hold is not known to be age-restricted (nor can it be posted in).
		where: { nsfw: cached?.isTextBased() ? isAgeRestricted(cached) : false, private: false },
		async post(message: OutgoingMessage): Promise<{ id: string }> {
			const channel = await client.channels.fetch(channelId);
			if (!channel?.isSendable()) throw new Error(`channel ${channelId} is gone or not one the bot can post in`);
			const posted = await channel.send(discordPayload(message, { channelId: channel.id, guildId: channel.isDMBased() ? null : channel.guildId }, language));
			// No reaction can predate this process's own post: its tally needs no check with Discord.
			ctx.tallySync.posted(posted.id);
			if (message.discussion) startDiscussion(ctx, posted, message.discussion);
			if (message.feedbackEmoji && message.feedbackEmoji.length > 0) offerFeedbackEmoji(ctx, posted, message.feedbackEmoji);
			return { id: posted.id };
		},
	};
}

/** The scheduler of this process, posting through `client`. */
export function createScheduler(ctx: Omit<BotContext, 'schedules'>, client: Client, clock: Clock): Scheduler {
	// The poster's context includes the scheduler itself (feedback emoji wait for it to be idle).
	const withScheduler = { ...ctx } as BotContext;
	const scheduler = new Scheduler({
		store: ctx.store,
		readings: ctx.readings,
		stories: ctx.stories,
		clock,
		posterFor: (record: ReadingRecord) =>
			channelPoster(withScheduler, client, record.channelId ?? (record.place.kind === 'channel' ? record.place.channelId : ''), serverLanguage(client, record)),
		endedNotice: (story, language) => scheduleMessagesIn(language).ended(story.meta.title),
		userId: () => client.user?.id ?? '0',
		log: ctx.logger,
	});
	withScheduler.schedules = scheduler;
	return scheduler;
}

/** The language of a channel reading's public posts: its server's preferred locale (GUILD_CREATE's `preferred_locale`), else English. */
function serverLanguage(client: Client, record: ReadingRecord): string {
	const guildId = record.place.kind === 'channel' ? record.place.guildId : undefined;
	return languageFor(guildId === undefined ? undefined : client.guilds.cache.get(guildId)?.preferredLocale);
}

/**
 * Watches the schedules of the servers this process serves (one `readingsIn` each, one server at a
 * time, so a start-up with many servers does not flood the store). A server's events reach one
 * shard, so each schedule is watched by the shard that serves its server; two processes on one
 * token both watch it, and the store's compare-and-set picks which one releases.
 */
export async function loadSchedules(ctx: BotContext, guildIds: Iterable<string>): Promise<number> {
	let count = 0;
	for (const guildId of guildIds) {
		if (ctx.shutdown.aborted) break;
		const records = await ctx.store.readingsIn(guildId);
		const scheduled = records.filter((record) => record.schedule);
		ctx.schedules.load(scheduled);
		count += scheduled.length;
	}
	return count;
}
