import {
	LimitedCollection,
	type Client,
	type Message,
	type MessageReaction,
	type MessageReactionEventDetails,
	type PartialMessage,
	type PartialMessageReaction,
	type PartialUser,
	type User,
} from 'discord.js';
import type { BotContext } from '../context.js';
import { KeyedLock } from '../keyed-lock.js';
import { placeKey } from '../reading/place.js';
import type { PartRef } from '../store.js';
import { matchFeedbackEmoji } from '../tally.js';

/**
 * Counts feedback reactions on scene messages. Votes are sets in the store (one per reader per
 * emoji), so a replayed event changes nothing; events about one message are queued in the order
 * the gateway sent them (see inOrder). A super reaction (`burst`) is a vote like a normal one, once
 * per reader: adding either kind adds the reader's vote. Removing one kind removes it too, and
 * when the message holds super reactions `ctx.tallySync` marks it for reconciliation, because the
 * reader may still hold the other kind (see reconcileReading).
 */
/** Starts counting; returns a function that stops listening. */
export function listenForFeedback(client: Client, ctx: BotContext): () => void {
	// Scene lookups are cached because most reactions in a server are on messages that are not
	// scenes; the cache is bounded so memory does not grow with the number of servers.
	const sceneCache = new LimitedCollection<string, PartRef>({ maxSize: 10_000 });
	const messageTurns = new KeyedLock();

	async function sceneOf(message: Message | PartialMessage): Promise<PartRef | undefined> {
		if (!message.guildId) return undefined;
		const cached = sceneCache.get(message.id);
		if (cached) return cached;
		let ref = await ctx.store.partForMessage(message.id);
		// A reader can react to a scene in the milliseconds between Discord creating it and the bot
		// indexing it; the channel's reading lock is held until then, so wait for it and look again.
		const lockKey = placeKey({ kind: 'channel', guildId: message.guildId, channelId: message.channelId });
		if (!ref && ctx.readingLocks.busy(lockKey)) {
			await ctx.readingLocks.run(lockKey, async () => undefined);
			ref = await ctx.store.partForMessage(message.id);
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
			(error: unknown) => {
				// The store may now disagree with Discord: the next tally asks Discord again.
				ctx.tallySync.forget(about.messageId);
				ctx.logger.error({ err: error, event: what }, 'could not record a feedback reaction');
			},
		);
		ctx.background.add(run);
		void run.finally(() => ctx.background.delete(run));
	};

	/**
	 * Every event about one message takes that message's turn, from before its first await until its
	 * change is queued in the store (whose queue keeps that order to the disk), then waits for the
	 * write outside its turn. So an add, a remove and a "remove all" on a message land in the order
	 * the gateway sent them, however long each one's lookup took, and a burst is still one batch.
	 */
	// The write is wrapped in an object so that returning it from the async turn does not await it.
	type Queued = { written: Promise<void> } | undefined;
	async function inOrder(messageId: string, queueChange: () => Promise<Queued>): Promise<boolean> {
		const queued = await messageTurns.run(messageId, queueChange);
		if (!queued) return false;
		await queued.written;
		return true;
	}

	type Details = MessageReactionEventDetails | undefined;
	const onAdd = (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, details: Details) =>
		handle('messageReactionAdd', { messageId: reaction.message.id, userId: user.id }, () => vote(reaction, user, 'add', details?.burst ?? false));
	const onRemove = (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, details: Details) =>
		handle('messageReactionRemove', { messageId: reaction.message.id, userId: user.id }, () => vote(reaction, user, 'remove', details?.burst ?? false));

	async function vote(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, change: 'add' | 'remove', burst: boolean): Promise<boolean> {
		if (user.id === client.user?.id) return false;
		ctx.tallySync.sawEvent(reaction.message.id, change, burst);
		return inOrder(reaction.message.id, async () => {
			const target = await feedbackTarget(reaction);
			if (!target) return undefined;
			const { ref, emoji } = target;
			return { written: change === 'add' ? ctx.store.addVote(ref, emoji, user.id) : ctx.store.removeVote(ref, emoji, user.id) };
		});
	}

	const onRemoveAll = (message: Message | PartialMessage) => {
		ctx.tallySync.sawEvent(message.id, 'clear');
		handle('messageReactionRemoveAll', { messageId: message.id }, () =>
			inOrder(message.id, async () => {
				const ref = await sceneOf(message);
				const story = ref && ctx.stories.get(ref.storyId);
				return ref && story ? { written: ctx.store.clearVotes(ref, story.meta.feedbackEmoji) } : undefined;
			}),
		);
	};

	const onRemoveEmoji = (reaction: MessageReaction | PartialMessageReaction) => {
		ctx.tallySync.sawEvent(reaction.message.id, 'clear');
		handle('messageReactionRemoveEmoji', { messageId: reaction.message.id }, () =>
			inOrder(reaction.message.id, async () => {
				const target = await feedbackTarget(reaction);
				return target ? { written: ctx.store.clearVotes(target.ref, [target.emoji]) } : undefined;
			}),
		);
	};

	// A new session (not a resume) means events since the last one may be lost.
	const onNewSession = () => ctx.tallySync.forgetAll();
	client.on('shardReady', onNewSession);
	client.on('messageReactionAdd', onAdd);
	client.on('messageReactionRemove', onRemove);
	client.on('messageReactionRemoveAll', onRemoveAll);
	client.on('messageReactionRemoveEmoji', onRemoveEmoji);
	return () => {
		client.off('shardReady', onNewSession);
		client.off('messageReactionAdd', onAdd);
		client.off('messageReactionRemove', onRemove);
		client.off('messageReactionRemoveAll', onRemoveAll);
		client.off('messageReactionRemoveEmoji', onRemoveEmoji);
	};
}
