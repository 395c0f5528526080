import type { SceneRef } from '../store.js';

/** The one namespace every backend writes under: Keyv records and vote sets alike. */
export const NAMESPACE = 'sfb';

/** Keyv records live in this table on the SQL backends (prefixed like the vote table). */
export const RECORDS_TABLE = 'sfb_records';
export const VOTES_TABLE = 'sfb_votes';

// Ids come from Discord and story files; encoding each part keeps a ':' inside a story id or a
// custom emoji ('name:id') from making two different keys collide.
const part = (value: string | number): string => encodeURIComponent(String(value));

/**
 * Every key the store writes, built in this one place. Keyv (and the Redis adapter for vote sets)
 * adds the namespace prefix, so these are the keys without it.
 */
export const keys = {
	progress: (guildId: string): string => `progress:${part(guildId)}`,
	sceneMessage: (messageId: string): string => `scene-message:${part(messageId)}`,
	/** One scene of one reading: the SQL backends' `scene_key` column. */
	scene: (ref: SceneRef): string => `${part(ref.guildId)}:${part(ref.storyId)}:${ref.scene}`,
	/** Redis set of the user ids that reacted with `emoji` on the scene. */
	votes: (ref: SceneRef, emoji: string): string => `votes:${keys.scene(ref)}:${part(emoji)}`,
};
