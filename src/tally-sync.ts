// Which scene messages' stored tallies are known, in this process, to agree with the reactions
// Discord holds: so a tally (/feedback, the end card) reconciles only the scenes that could have
// changed unseen, and costs no REST call for the others. Pure: no discord.js.

/** Past this many messages the oldest are forgotten, which only means they are reconciled again. */
const DEFAULT_LIMIT = 100_000;

/**
 * A scene message is in sync from the moment this process posted it, or from a reconciliation that
 * no reaction event interrupted, until something could have changed it without the store seeing:
 *
 * - a new gateway session (`forgetAll`): events between the old session and the new one are lost;
 * - a vote write that failed (`forget`);
 * - a reaction removed from a message that holds super reactions: the event says which kind was
 *   removed, and a reader may hold a normal and a super reaction with the same emoji, so whether
 *   their vote stands is known only by asking Discord.
 *
 * Every reaction event bumps the message's version (`sawEvent`), so a reconciliation that an event
 * overtook (its snapshot of Discord's users may be older than that event) does not mark it in sync.
 */
export class TallySync {
	readonly #synced = new Map<string, { hasSuperReactions: boolean }>();
	readonly #versions = new Map<string, number>();
	/** Bumped by forgetAll, so a reconciliation that spans a new session is not taken as in sync. */
	#epoch = 0;

	constructor(private readonly limit = DEFAULT_LIMIT) {}

	isSynced(messageId: string): boolean {
		return this.#synced.has(messageId);
	}

	/** A scene this process just posted: no reactions yet, and every one to come is an event it sees. */
	posted(messageId: string): void {
		// A reaction that came before this call (within milliseconds of the post) may have been a super one.
		if (this.#count(messageId) === 0) this.#set(this.#synced, messageId, { hasSuperReactions: false });
	}

	/** The version to pass to `reconciled`, read before asking Discord. */
	version(messageId: string): string {
		return `${this.#epoch}:${this.#count(messageId)}`;
	}

	/** After the stored votes were made equal to Discord's: in sync unless an event came meanwhile. */
	reconciled(messageId: string, versionBefore: string, hasSuperReactions: boolean): void {
		if (this.version(messageId) !== versionBefore) return;
		this.#set(this.#synced, messageId, { hasSuperReactions });
	}

	/** A reaction event on the message, before it is written: `remove` of either kind, or an `add` (`burst` for a super reaction). */
	sawEvent(messageId: string, change: 'add' | 'remove' | 'clear', burst = false): void {
		this.#set(this.#versions, messageId, this.#count(messageId) + 1);
		const state = this.#synced.get(messageId);
		if (!state) return;
		if (change === 'add' && burst) state.hasSuperReactions = true;
		// The reader may still hold the other kind of reaction with that emoji.
		if (change === 'remove' && state.hasSuperReactions) this.#synced.delete(messageId);
	}

	/** A vote write failed: the store may disagree with Discord. */
	forget(messageId: string): void {
		this.#synced.delete(messageId);
	}

	/** A new gateway session: events may have been lost, so nothing is known to be in sync. */
	forgetAll(): void {
		this.#synced.clear();
		this.#epoch += 1;
	}

	#count(messageId: string): number {
		return this.#versions.get(messageId) ?? 0;
	}

	#set<V>(map: Map<string, V>, key: string, value: V): void {
		map.delete(key);
		map.set(key, value);
		if (map.size > this.limit) map.delete(map.keys().next().value!);
	}
}
