import { readingMessages } from '../messages/reading.js';
import type { Rating } from './types.js';

/** Ratings Discord's rules treat as age-restricted content (AO3's Mature and Explicit). */
export const AGE_RESTRICTED_RATINGS: ReadonlySet<Rating> = new Set(['Mature', 'Explicit']);

export type ReadingPlace =
	/** `nsfw`: the channel (or a thread's parent) is age-restricted; `private`: a reading only its reader sees. */
	{ nsfw: boolean; private: boolean };

export type MayRead = { ok: true } | { ok: false; reason: string };

/**
 * Whether a story with this rating may be read in this place. Mature and Explicit stories are read
 * only in age-restricted channels and in private readings: Discord requires adult content to stay in
 * channels marked age-restricted (https://discord.com/guidelines, "sexually explicit content";
 * https://support.discord.com/hc/en-us/articles/115000084051 on age-restricted channels). An unrated
 * story, or one rated General or Teen, may be read anywhere. Pure: the reading code passes the
 * channel's `nsfw` flag and says whether the reading is private, and shows `reason` to the reader
 * (ephemerally) when `ok` is false.
 */
export function mayReadIn(story: { rating?: Rating | undefined }, place: ReadingPlace): MayRead {
	const rating = story.rating;
	if (rating === undefined || !AGE_RESTRICTED_RATINGS.has(rating) || place.nsfw || place.private) return { ok: true };
	return { ok: false, reason: readingMessages.ageRestricted(rating) };
}
