import { DiscordAPIError, RESTJSONErrorCodes, ReactionType, type GuildTextBasedChannel, type Message, type MessageReaction } from 'discord.js';
import type { BotContext } from '../context.js';
import { placeKey } from '../reading/place.js';
import { messagesOfPart, postedPartRef } from '../reading/rules.js';
import { partRef } from '../store/records.js';
import type { ReadingRecord } from '../store.js';
import type { Story } from '../story/types.js';
import { sameEmoji } from '../tally.js';

/**
 * Makes the stored tally of each posted part of a channel's reading agree with the reactions
 * Discord reports on the part's messages, so votes cast or withdrawn while the bot was offline
 * count. Called before any tally is drawn (/feedback, the end card).
 *
 * The rule, the same as the live path's (reactions.ts): a reader's normal or super reaction with a
 * feedback emoji, on any message of a part, is one vote, once per reader, whichever kinds and
 * messages they used. Discord lists the two kinds apart: `count_details.normal` / `.burst` on the
 * message, and GET reactions with `type` 0 or 1
 * (https://discord.com/developers/docs/resources/message#get-reactions), so the voters are the
 * union of every list, less the bot.
 *
 * Cost: parts whose messages `ctx.tallySync` knows to be in sync (posted or reconciled by this
 * process, no event lost since) cost nothing. Each other part costs one GET per message, plus, per
 * emoji whose normal count differs from the stored one or that has super reactions, the user lists
 * (100 a page). A part whose messages or user lists Discord will not give keeps its stored votes
 * (logged), and is asked again at the next tally.
 */
export async function reconcileReading(ctx: BotContext, channel: GuildTextBasedChannel, story: Story, record: ReadingRecord): Promise<void> {
	if (record.place.kind !== 'channel') return;
	const place = record.place;
	const stale: number[] = [];
	for (let part = 1; part <= record.partMessageIds.length; part++) {
		if (messagesOfPart(record, part).some((messageId) => !ctx.tallySync.isSynced(messageId))) stale.push(part);
	}
	if (stale.length === 0) return;
	const guildId = place.guildId;
	// Counted by each posted part's key, in posting order (`part` below is that order, as messagesOfPart's).
	const posted = Array.from({ length: record.partMessageIds.length }, (_, index) => record.partKeys?.[index] ?? ctx.stories.partKeys(story)[index] ?? `#${index + 1}`);
	const counts = await ctx.store.countVotes([placeKey(place)], story.id, posted, story.meta.feedbackEmoji);
	for (const part of stale) {
		const filed = postedPartRef(record, part);
		const ref = partRef(place, story.id, filed.part, filed.key);
		const messageIds = messagesOfPart(record, part);
		const versionsBefore = new Map(messageIds.map((messageId) => [messageId, ctx.tallySync.version(messageId)]));
		const messages: Message[] = [];
		let complete = true;
		for (const messageId of messageIds) {
			try {
				messages.push(await channel.messages.fetch({ message: messageId, force: true }));
			} catch (error) {
				// Deleted: no reaction can change on it any more. Anything else: the part keeps its stored votes.
				if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) continue;
				ctx.logger.warn({ err: error, guildId, messageId }, "could not read a part's reactions: its tally is the stored one");
				complete = false;
			}
		}
		if (!complete) continue;
		let hasSuperReactions = false;
		// Every message deleted: nothing can change, and the votes stay as they were.
		if (messages.length > 0) {
			for (const [emojiIndex, emoji] of story.meta.feedbackEmoji.entries()) {
				const reactions = messages.flatMap((message) => message.reactions.cache.find((r) => r.emoji.id === null && sameEmoji(r.emoji.name ?? '', emoji)) ?? []);
				const normal = reactions.reduce((sum, reaction) => sum + reaction.countDetails.normal - (reaction.me ? 1 : 0), 0);
				const burst = reactions.reduce((sum, reaction) => sum + (reaction.countDetails.burst ?? 0), 0);
				if (burst > 0) hasSuperReactions = true;
				// With super reactions the count alone cannot tell who holds both kinds: ask for the lists.
				if (burst === 0 && normal === counts[part - 1]?.[emojiIndex]) continue;
				const voters = new Set<string>();
				try {
					for (const reaction of reactions) for (const id of await readersWhoReacted(reaction, (reaction.countDetails.burst ?? 0) > 0)) voters.add(id);
				} catch (error) {
					// As for a message that cannot be read: this emoji's tally stays the stored one.
					ctx.logger.warn({ err: error, guildId, part, emoji }, 'could not read who reacted under a part: its tally is the stored one');
					complete = false;
					continue;
				}
				await ctx.store.replaceVotes(ref, emoji, [...voters]);
			}
		}
		if (complete) for (const [messageId, versionBefore] of versionsBefore) ctx.tallySync.reconciled(messageId, versionBefore, hasSuperReactions);
	}
}

/** Everyone with a normal (and, when asked, a super) reaction, once each, less the bot. */
async function readersWhoReacted(reaction: MessageReaction, withSuper: boolean): Promise<string[]> {
	const ids = new Set<string>();
	for (const type of withSuper ? [ReactionType.Normal, ReactionType.Burst] : [ReactionType.Normal]) {
		let after: string | undefined;
		for (;;) {
			const page = await reaction.users.fetch({ type, limit: 100, ...(after ? { after } : {}) });
			for (const user of page.values()) if (user.id !== reaction.client.user.id) ids.add(user.id);
			if (page.size < 100) break;
			after = page.lastKey();
		}
	}
	return [...ids];
}
