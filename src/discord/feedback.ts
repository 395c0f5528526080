import { DiscordAPIError, RESTJSONErrorCodes, ReactionType, type GuildTextBasedChannel, type Message, type MessageReaction } from 'discord.js';
import type { BotContext } from '../context.js';
import type { SceneRef } from '../store.js';
import type { Story } from '../story/types.js';
import { sameEmoji } from '../tally.js';

/**
 * Makes the stored tally of each posted scene of the current reading agree with the reactions
 * Discord reports on the scene's message, so votes cast or withdrawn while the bot was offline
 * count. Called before any tally is drawn (/feedback, the end card).
 *
 * The rule, the same as the live path's (reactions.ts): a reader's normal or super reaction with a
 * feedback emoji is one vote, once per reader, whichever kinds they gave. Discord lists the two
 * kinds apart: `count_details.normal` / `.burst` on the message, and GET reactions with `type` 0 or
 * 1 (https://discord.com/developers/docs/resources/message#get-reactions), so the voters are the
 * union of both lists, less the bot.
 *
 * Cost: scenes `ctx.tallySync` knows to be in sync (posted or reconciled by this process, no event
 * lost since) cost nothing. Each other scene costs one GET of its message, plus, per emoji whose
 * normal count differs from the stored one or that has super reactions, the user lists (100 a page).
 * A scene whose message or user lists Discord will not give keeps its stored votes (logged), and
 * is asked again at the next tally.
 */
export async function reconcileReading(ctx: BotContext, channel: GuildTextBasedChannel, story: Story, sceneMessageIds: readonly string[]): Promise<void> {
	const stale = [...sceneMessageIds.entries()].filter(([, messageId]) => !ctx.tallySync.isSynced(messageId));
	if (stale.length === 0) return;
	const guildId = channel.guildId;
	const counts = await ctx.store.countVotes(guildId, story.id, story.scenes.length, story.meta.feedbackEmoji);
	for (const [index, messageId] of stale) {
		const ref: SceneRef = { guildId, storyId: story.id, scene: index + 1 };
		const versionBefore = ctx.tallySync.version(messageId);
		let message: Message;
		try {
			message = await channel.messages.fetch({ message: messageId, force: true });
		} catch (error) {
			// Deleted: no reaction can change any more, and its votes stay as they were.
			if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) ctx.tallySync.reconciled(messageId, versionBefore, false);
			else ctx.logger.warn({ err: error, guildId, messageId }, 'could not read a scene\'s reactions: its tally is the stored one');
			continue;
		}
		let hasSuperReactions = false;
		let complete = true;
		for (const [emojiIndex, emoji] of story.meta.feedbackEmoji.entries()) {
			const reaction = message.reactions.cache.find((r) => r.emoji.id === null && sameEmoji(r.emoji.name ?? '', emoji));
			const normal = reaction ? reaction.countDetails.normal - (reaction.me ? 1 : 0) : 0;
			const burst = reaction?.countDetails.burst ?? 0;
			if (burst > 0) hasSuperReactions = true;
			// With super reactions the count alone cannot tell who holds both kinds: ask for the lists.
			if (burst === 0 && normal === counts[index]?.[emojiIndex]) continue;
			let voters: string[];
			try {
				voters = reaction ? await readersWhoReacted(reaction, burst > 0) : [];
			} catch (error) {
				// As for a message that cannot be read: this emoji's tally stays the stored one.
				ctx.logger.warn({ err: error, guildId, messageId, emoji }, 'could not read who reacted under a scene: its tally is the stored one');
				complete = false;
				continue;
			}
			await ctx.store.replaceVotes(ref, emoji, voters);
		}
		if (complete) ctx.tallySync.reconciled(messageId, versionBefore, hasSuperReactions);
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
