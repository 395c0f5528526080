import { LimitedCollection, type Client, type Message, type MessageReaction, type PartialMessage, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import type { BotContext } from '../context.js';
import { KeyedLock } from '../keyed-lock.js';
import type { SceneRef } from '../store.js';
import { matchFeedbackEmoji } from '../tally.js';

/**
 * Counts feedback reactions on scene messages. Votes are sets in the store (one per reader per
 * emoji), so a replayed event changes nothing; the per-vote lock keeps an add and a quick
 * un-react by the same reader in the order the gateway sent them.
 */
/** Starts counting; returns a function that stops listening. */
export function listenForFeedback(client: Client, ctx: BotContext): () => void {
	// Scene lookups are cached because most reactions in a server are on messages that are not
	// scenes; the cache is bounded so memory does not grow with the number of servers.
	const sceneCache = new LimitedCollection<string, SceneRef>({ maxSize: 10_000 });
	const voteLocks = new KeyedLock();

	async function sceneOf(message: Message | PartialMessage): Promise<SceneRef | undefined> {
		if (!message.guildId) return undefined;
		const cached = sceneCache.get(message.id);
		if (cached) return cached;
		let ref = await ctx.store.sceneForMessage(message.id);
		// A reader can react to a scene in the milliseconds between Discord creating it and the bot
		// indexing it; the reading lock is held until then, so wait for it and look again.
		if (!ref && ctx.readingLocks.busy(message.guildId)) {
			await ctx.readingLocks.run(message.guildId, async () => undefined);
			ref = await ctx.store.sceneForMessage(message.id);
		}
		// Only hits are remembered: a miss may be a scene whose index write is still in flight.
		if (ref) sceneCache.set(message.id, ref);
		return ref;
	}

	async function feedbackTarget(reaction: MessageReaction | PartialMessageReaction) {
		if (reaction.emoji.id !== null || !reaction.emoji.name) return undefined; // custom emoji are never feedback emoji
		const ref = await sceneOf(reaction.message);
		if (!ref || ref.guildId !== reaction.message.guildId) return undefined;
		const story = ctx.stories.get(ref.storyId);
		const emoji = story && matchFeedbackEmoji(reaction.emoji.name, story.meta.feedbackEmoji);
		return emoji ? { ref, emoji, story } : undefined;
	}

	// Every reaction event ends in one debug line, counted or not: tests and operators can tell
	// an ignored reaction from one still in flight.
	const handle = (what: string, about: { messageId: string; userId?: string }, task: () => Promise<boolean>) => {
		const run = task().then(
			(counted) => ctx.logger.debug({ event: what, counted, ...about }, counted ? 'feedback recorded' : 'reaction ignored'),
			(error: unknown) => ctx.logger.error({ err: error, event: what }, 'could not record a feedback reaction'),
		);
		ctx.background.add(run);
		void run.finally(() => ctx.background.delete(run));
	};

	const onAdd = (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) =>
		handle('messageReactionAdd', { messageId: reaction.message.id, userId: user.id }, () => vote(reaction, user, 'add'));
	const onRemove = (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) =>
		handle('messageReactionRemove', { messageId: reaction.message.id, userId: user.id }, () => vote(reaction, user, 'remove'));

	async function vote(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, change: 'add' | 'remove'): Promise<boolean> {
		if (user.id === client.user?.id) return false;
		// Locked from the start, before any await, so the lookup cannot reorder an add and a remove.
		return voteLocks.run(`${reaction.message.id}:${reaction.emoji.name}:${user.id}`, async () => {
			const target = await feedbackTarget(reaction);
			if (!target) return false;
			const { ref, emoji } = target;
			await (change === 'add' ? ctx.store.addVote(ref, emoji, user.id) : ctx.store.removeVote(ref, emoji, user.id));
			return true;
		});
	}

	const onRemoveAll = (message: Message | PartialMessage) =>
		handle('messageReactionRemoveAll', { messageId: message.id }, async () => {
			const ref = await sceneOf(message);
			const story = ref && ctx.stories.get(ref.storyId);
			if (!ref || !story) return false;
			await ctx.store.clearVotes(ref, story.meta.feedbackEmoji);
			return true;
		});

	const onRemoveEmoji = (reaction: MessageReaction | PartialMessageReaction) =>
		handle('messageReactionRemoveEmoji', { messageId: reaction.message.id }, async () => {
			const target = await feedbackTarget(reaction);
			if (!target) return false;
			await ctx.store.clearVotes(target.ref, [target.emoji]);
			return true;
		});

	client.on('messageReactionAdd', onAdd);
	client.on('messageReactionRemove', onRemove);
	client.on('messageReactionRemoveAll', onRemoveAll);
	client.on('messageReactionRemoveEmoji', onRemoveEmoji);
	return () => {
		client.off('messageReactionAdd', onAdd);
		client.off('messageReactionRemove', onRemove);
		client.off('messageReactionRemoveAll', onRemoveAll);
		client.off('messageReactionRemoveEmoji', onRemoveEmoji);
	};
}
