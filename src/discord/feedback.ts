import type { GuildTextBasedChannel, Message, MessageReaction } from 'discord.js';
import type { BotContext } from '../context.js';
import { placeKey } from '../reading/place.js';
import { messagesOfPart } from '../reading/rules.js';
import { partRef } from '../store/records.js';
import type { ReadingRecord } from '../store.js';
import type { Story } from '../story/types.js';
import { sameEmoji } from '../tally.js';

/**
 * Makes the stored tally of each posted part of a channel's reading agree with the reactions
 * Discord reports on the part's messages, so votes cast or withdrawn while the bot was offline
 * count. A part of several messages counts a reader once whichever of its messages they reacted
 * on. Only emoji whose count differs are fetched user by user.
 */
export async function reconcileReading(ctx: BotContext, channel: GuildTextBasedChannel, story: Story, record: ReadingRecord): Promise<void> {
	if (record.place.kind !== 'channel') return;
	const place = record.place;
	const counts = await ctx.store.countVotes([placeKey(place)], story.id, ctx.stories.partCount(story), story.meta.feedbackEmoji);
	for (let part = 1; part <= record.partMessageIds.length; part++) {
		const ref = partRef(place, story.id, part);
		const messages: Message[] = [];
		for (const messageId of messagesOfPart(record, part)) {
			const message = await channel.messages.fetch({ message: messageId, force: true }).catch(() => undefined);
			if (message) messages.push(message);
		}
		if (messages.length === 0) continue; // deleted: its votes stay as they were
		for (const [emojiIndex, emoji] of story.meta.feedbackEmoji.entries()) {
			const reactions = messages.flatMap((message) => message.reactions.cache.find((r) => r.emoji.id === null && sameEmoji(r.emoji.name ?? '', emoji)) ?? []);
			// Super reactions are listed apart by Discord; a vote is a normal reaction.
			const reported = reactions.reduce((sum, reaction) => sum + reaction.countDetails.normal - (reaction.me ? 1 : 0), 0);
			if (reported === counts[part - 1]?.[emojiIndex]) continue;
			const voters = new Set<string>();
			for (const reaction of reactions) for (const id of await readersWhoReacted(reaction)) voters.add(id);
			await ctx.store.replaceVotes(ref, emoji, [...voters]);
		}
	}
}

async function readersWhoReacted(reaction: MessageReaction): Promise<string[]> {
	const ids: string[] = [];
	let after: string | undefined;
	for (;;) {
		const page = await reaction.users.fetch({ limit: 100, ...(after ? { after } : {}) });
		for (const user of page.values()) if (user.id !== reaction.client.user.id) ids.push(user.id);
		if (page.size < 100) return ids;
		after = page.lastKey();
	}
}
