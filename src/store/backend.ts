import type Keyv from 'keyv';
import type { SceneRef, Store } from '../store.js';

/**
 * What each backend supplies to the store in src/store.ts: a Keyv for records, and vote sets kept
 * with the backend's own atomic operations on the connection that Keyv's adapter opened. The store
 * adds what is common: deadlines, error wrapping, schema checks, idempotent close.
 */
export interface Backend {
	readonly kind: Store['kind'];
	/** Namespaced Keyv with `throwOnErrors`, so a failure throws instead of reading as empty. */
	readonly records: Keyv;
	/** Creates tables and settings; runs before the first operation and again after it failed. */
	prepare(): Promise<void>;
	/**
	 * Applies vote changes in the order given (an add then a remove of the same vote ends removed).
	 * The store hands over every change that arrived while the previous batch was being written,
	 * so a burst of reactions costs a few round trips, not one each.
	 */
	applyVotes(changes: readonly VoteChange[]): Promise<void>;
	clearVotes(ref: SceneRef, emojis: readonly string[]): Promise<void>;
	replaceVotes(ref: SceneRef, emoji: string, userIds: readonly string[]): Promise<void>;
	/** Counts for every (scene, emoji) pair asked for; pairs without votes may be missing. */
	countVotes(scenes: readonly SceneRef[], emojis: readonly string[]): Promise<VoteCounts>;
	/** What the backend is, for logs and tests (file, journal mode, key prefix...). */
	describe(): Promise<StoreDescription>;
	close(): Promise<void>;
}

export interface VoteChange {
	change: 'add' | 'remove';
	ref: SceneRef;
	emoji: string;
	userId: string;
}

/** Consecutive changes of the same kind, in order, at most `size` each: one statement per run keeps the order. */
export function runsOfSameChange(changes: readonly VoteChange[], size: number): VoteChange[][] {
	const runs: VoteChange[][] = [];
	for (const change of changes) {
		const last = runs.at(-1);
		if (last && last[0]!.change === change.change && last.length < size) last.push(change);
		else runs.push([change]);
	}
	return runs;
}

/** Vote counts keyed by `keys.scene(ref)`, then by emoji. */
export type VoteCounts = Map<string, Map<string, number>>;

export interface StoreDescription {
	kind: Store['kind'];
	/** Human-readable target without credentials: a file path, or host:port/database. */
	target: string;
	[detail: string]: string | number | boolean;
}

/** Adds `count` to counts[sceneKey][emoji]. */
export function addCount(counts: VoteCounts, sceneKey: string, emoji: string, count: number): void {
	let byEmoji = counts.get(sceneKey);
	if (!byEmoji) {
		byEmoji = new Map();
		counts.set(sceneKey, byEmoji);
	}
	byEmoji.set(emoji, (byEmoji.get(emoji) ?? 0) + count);
}
