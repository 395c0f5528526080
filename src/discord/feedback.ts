import type { GuildTextBasedChannel, MessageReaction } from 'discord.js';
import type { BotContext } from '../context.js';
import type { SceneRef } from '../store.js';
import type { Story } from '../story/types.js';
import { sameEmoji } from '../tally.js';

/**
 * Makes the stored tally of each posted scene of the current reading agree with the reactions
 * Discord reports on the scene's message, so votes cast or withdrawn while the bot was offline
 * count. Only emoji whose count differs are fetched user by user.
 */
export async function reconcileReading(ctx: BotContext, channel: GuildTextBasedChannel, story: Story, sceneMessageIds: readonly string[]): Promise<void> {
	const guildId = channel.guildId;
	const counts = await ctx.store.countVotes(guildId, story.id, ctx.stories.partCount(story), story.meta.feedbackEmoji);
	for (const [index, messageId] of sceneMessageIds.entries()) {
		const ref: SceneRef = { guildId, storyId: story.id, scene: index + 1 };
		const message = await channel.messages.fetch({ message: messageId, force: true }).catch(() => undefined);
		if (!message) continue; // deleted: its votes stay as they were
		for (const [emojiIndex, emoji] of story.meta.feedbackEmoji.entries()) {
			const reaction = message.reactions.cache.find((r) => r.emoji.id === null && sameEmoji(r.emoji.name ?? '', emoji));
			// Super reactions are listed apart by Discord; a vote is a normal reaction.
			const reported = reaction ? reaction.countDetails.normal - (reaction.me ? 1 : 0) : 0;
			if (reported === counts[index]?.[emojiIndex]) continue;
			const voters = reaction ? await readersWhoReacted(reaction) : [];
			await ctx.store.replaceVotes(ref, emoji, voters);
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
