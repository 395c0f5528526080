import type Keyv from 'keyv';
import type { PartRef, StoredReading, StoreKind } from './types.js';

/**
 * What each backend supplies to the store in src/store.ts: a Keyv for records, and vote sets kept
 * with the backend's own atomic operations on the connection that Keyv's adapter opened. The store
 * adds what is common: deadlines, error wrapping, schema checks, idempotent close.
 */
export interface Backend {
	readonly kind: StoreKind;
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
	clearVotes(ref: PartRef, emojis: readonly string[]): Promise<void>;
	replaceVotes(ref: PartRef, emoji: string, userIds: readonly string[]): Promise<void>;
	/** Counts for every (part, emoji) pair asked for; pairs without votes may be missing. */
	countVotes(parts: readonly PartRef[], emojis: readonly string[]): Promise<VoteCounts>;
	/**
	 * Moves every vote whose part key starts with `fromPrefix` to the same key starting with
	 * `toPrefix` (schema 1 to 2). Idempotent: votes already moved stay, a second run finds nothing.
	 */
	moveVotes(fromPrefix: string, toPrefix: string): Promise<void>;
	/** The reading stored at a place, with its version. */
	getReading(placeKey: string): Promise<StoredReading | undefined>;
	/**
	 * Compare-and-set, atomic in the backend itself: writes `value` with version `expected + 1` only
	 * if the stored version is `expected` (0: no reading stored yet). False when another writer got
	 * there first. `guildId` files the place under its server for `readingsIn`.
	 */
	casReading(placeKey: string, guildId: string | undefined, expected: number, value: string): Promise<boolean>;
	/** Every reading filed under a server. */
	readingsIn(guildId: string): Promise<StoredReading[]>;
	/** Keys (without the namespace) of the schema-1 progress records still stored. */
	legacyProgressKeys(): Promise<string[]>;
	/** What the backend is, for logs and tests (file, journal mode, key prefix...). */
	describe(): Promise<StoreDescription>;
	close(): Promise<void>;
}

export interface VoteChange {
	change: 'add' | 'remove';
	ref: PartRef;
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

/** Vote counts keyed by `keys.part(ref)`, then by emoji. */
export type VoteCounts = Map<string, Map<string, number>>;

export interface StoreDescription {
	kind: StoreKind;
	/** Human-readable target without credentials: a file path, or host:port/database. */
	target: string;
	[detail: string]: string | number | boolean;
}

/** Adds `count` to counts[sceneKey][emoji]. */
export function addCount(counts: VoteCounts, partKey: string, emoji: string, count: number): void {
	let byEmoji = counts.get(partKey);
	if (!byEmoji) {
		byEmoji = new Map();
		counts.set(partKey, byEmoji);
	}
	byEmoji.set(emoji, (byEmoji.get(emoji) ?? 0) + count);
}
