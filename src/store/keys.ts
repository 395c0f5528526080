import type { PartRef } from './types.js';

/** The one namespace every backend writes under: Keyv records, readings and vote sets alike. */
export const NAMESPACE = 'sfb';

/** Keyv records live in this table on the SQL backends (prefixed like the vote table). */
export const RECORDS_TABLE = 'sfb_records';
export const VOTES_TABLE = 'sfb_votes';
/** Readings (schema 2): one row per place, with the version compare-and-set checks. */
export const READINGS_TABLE = 'sfb_readings';

// Ids come from Discord and story files; encoding each part keeps a ':' inside a story id, a place
// key ('channel:1') or a custom emoji ('name:id') from making two different keys collide.
const part = (value: string | number): string => encodeURIComponent(String(value));

/**
 * Every key the store writes, built in this one place. Keyv (and the Redis adapter for vote sets)
 * adds the namespace prefix, so these are the keys without it.
 */
export const keys = {
	/** Schema 1's one reading per server; read only to migrate it. */
	progressV1: (guildId: string): string => `progress:${part(guildId)}`,
	progressV1Prefix: 'progress:',
	/** The index from a posted message to its part (the name is schema 1's, kept so old entries still read). */
	partMessage: (messageId: string): string => `scene-message:${part(messageId)}`,
	/** Redis: the hash of a place's reading (fields `version`, `value`). */
	reading: (placeKey: string): string => `reading:${part(placeKey)}`,
	/** Redis: the set of place keys with a reading in a server. */
	readingsIn: (guildId: string): string => `readings-in:${part(guildId)}`,
	/**
	 * The votes of one part of one place's readings of a story: the SQL backends' `scene_key` column.
	 * By key (`k` and the encoded key) since schema 3; by part number (digits only) before.
	 */
	part: (ref: PartRef): string => `${keys.votesPrefix(ref.placeKey, ref.storyId)}${ref.key !== undefined ? `k${part(ref.key)}` : ref.part}`,
	/** What every `part` key of (place, story) starts with. */
	votesPrefix: (placeKey: string, storyId: string): string => `${part(placeKey)}:${part(storyId)}:`,
	/** Schema 3's migration: every story's part keys in the order its part numbers had then (what schema-2 numbers mean). */
	legacyParts: (storyId: string): string => `legacy-parts:${part(storyId)}`,
	/** Set once schema 3's migration has run on this store. */
	schema3: 'schema-3-migrated',
	/** Redis set of the user ids that reacted with `emoji` on the part. */
	votes: (ref: PartRef, emoji: string): string => `votes:${keys.part(ref)}:${part(emoji)}`,
};
