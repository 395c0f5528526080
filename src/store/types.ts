// Types shared by the store's contract (src/store.ts) and its backends (src/store/*), kept here so
// neither imports the other's module.

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

/**
 * Which part of which reading a posted message belongs to (for reactions), and so which vote set a
 * reaction on it goes to. `placeKey` is `placeKey(place)` (src/reading/place.ts), or, for votes
 * written by schema 1, the bare server id.
 */
export interface PartRef {
	placeKey: string;
	/** The server the place is in (absent for a reader's private reading). */
	guildId?: string | undefined;
	storyId: string;
	/** 1-based: the part's ordinal in its reading (for schema-2 votes, its part number then). */
	part: number;
	/**
	 * The part's stable key (src/story/keys.ts): votes are filed under it, so they stay on the part
	 * when chapters are inserted before it. Absent for parts posted by schema 2, filed by `part`.
	 */
	key?: string | undefined;
}

/** Thrown (never returned as "empty") when the backing store cannot be reached. */
export class StoreUnavailableError extends Error {
	override name = 'StoreUnavailableError';
}

/** A stored record this build cannot read: written by a newer bot, or damaged. Not an outage. */
export class UnreadableRecordError extends Error {
	override name = 'UnreadableRecordError';
}

/** One stored reading row: the record as JSON text and the version it was saved with. */
export interface StoredReading {
	version: number;
	value: string;
}
