// The records the store keeps, how each schema is read, and how schemas 1 and 2 become schema 3.
import { placeKey, type Place } from '../reading/place.js';
import type { ScheduleRecord } from '../schedule/types.js';
import { UnreadableRecordError, type PartRef } from './types.js';

/**
 * The reading schema this build writes. `readReading` reads it and schema 2 (which it upgrades as
 * read: see readingFromV2); `readingFromV1` upgrades schema 1.
 */
export const READING_SCHEMA = 3;

/**
 * One reading at one place. Stored as plain JSON with a version the store compares before every
 * write (compare-and-set), so two processes never both move a reading on.
 */
export interface ReadingRecord {
	schema: 3;
	/** Set by the store: 1 for the first save, +1 for each save after. */
	version: number;
	place: Place;
	storyId: string;
	/** Where the reading's messages are (a server channel or thread, a DM); absent when they are private answers. */
	channelId?: string | undefined;
	/**
	 * Where the reading is, as a part number of the story when it was last saved: 0 = title card only,
	 * n = part n is the newest posted, parts + 1 = end card posted. On load it is worked out again from
	 * `partKeys` (src/reading/rules.ts resolveReading), so a chapter inserted before it does not move it.
	 */
	position: number;
	titleCardMessageId?: string | undefined;
	/** Last message id of each posted part, in posting order (index = the part's ordinal - 1; in a schema-2 record that is its part number - 1). */
	partMessageIds: string[];
	/** Every message id of each posted part when a part took several messages (key = ordinal, as a string); absent for one-message parts. */
	partAllMessageIds?: Record<string, string[]> | undefined;
	endCardMessageId?: string | undefined;
	/** True once the end card is posted (then `position` is one past the last part). Absent in records written before it existed: see partsPosted. */
	ended?: boolean | undefined;
	/**
	 * The stable key (src/story/keys.ts) of each posted part, in posting order (index as
	 * `partMessageIds`): the last is where the reading is. Absent only in a record written by schema 2
	 * and not yet resolved against its story.
	 */
	partKeys?: string[] | undefined;
	/**
	 * How many of the posted parts (the first ones) were posted by schema 2: their messages' index
	 * entries and votes are filed by part number (read through the store's legacy part keys), the
	 * later ones' by key. Absent: none.
	 */
	legacyParts?: number | undefined;
	startedBy: string;
	startedAt: string; // ISO 8601
	advancedBy: string;
	advancedAt: string; // ISO 8601
	/**
	 * Set before the next part is posted: who is posting position `position` and since when. A claim
	 * is saved with compare-and-set, so only one process can hold it; it is cleared when the post is saved.
	 */
	claim?: { position: number; by: string; at: string; trigger?: string | undefined } | undefined;
	/** The id of the action (interaction) that made the last post, so another process that got the same action stays silent. */
	lastTrigger?: string | undefined;
	/** Releases at set times (`/schedule`); saved with the reading, so a release's claim and its slot are one compare-and-set. */
	schedule?: ScheduleRecord | undefined;
	/** A public thread under each new part, archived after this many minutes of quiet (`/discussion`); absent: none. */
	discussion?: { autoArchiveMinutes: number } | undefined;
}

/** Schema 1: one reading per server, keyed by the server id. Read only to migrate it. */
export interface ProgressRecordV1 {
	schema: 1;
	storyId: string;
	channelId: string;
	position: number;
	titleCardMessageId: string;
	sceneMessageIds: string[];
	endCardMessageId?: string;
	startedBy: string;
	startedAt: string;
	advancedBy: string;
	advancedAt: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a stored reading row; a newer or damaged one throws UnreadableRecordError. */
export function readReading(text: string, version: number): ReadingRecord {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new UnreadableRecordError(`Stored reading is not JSON (version ${version})`);
	}
	if (!isObject(raw)) throw new UnreadableRecordError(`Stored reading is not an object (got ${JSON.stringify(raw)})`);
	if (raw['schema'] === 2) return readingFromV2(checkReadingFields(raw, 2), version);
	if (raw['schema'] !== READING_SCHEMA) {
		throw new UnreadableRecordError(
			`Stored reading has schema ${JSON.stringify(raw['schema'])}; this build reads schema ${READING_SCHEMA}. Was it written by a newer version of the bot?`,
		);
	}
	const record = checkReadingFields(raw, READING_SCHEMA);
	const keys = record['partKeys'];
	if (keys !== undefined && (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string'))) {
		throw new UnreadableRecordError(`Stored reading (schema ${READING_SCHEMA}) has missing or wrong fields: partKeys`);
	}
	return { ...(record as unknown as ReadingRecord), version };
}

function checkReadingFields(raw: Record<string, unknown>, schema: number): Record<string, unknown> {
	const wrong: string[] = ['storyId', 'startedBy', 'startedAt', 'advancedBy', 'advancedAt'].filter((field) => typeof raw[field] !== 'string');
	if (!Number.isInteger(raw['position'])) wrong.push('position');
	const ids = raw['partMessageIds'];
	if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) wrong.push('partMessageIds');
	if (!isPlace(raw['place'])) wrong.push('place');
	if (wrong.length > 0) throw new UnreadableRecordError(`Stored reading (schema ${schema}) has missing or wrong fields: ${wrong.join(', ')}`);
	return raw;
}

/**
 * A schema-2 reading as schema 3: the same fields, without part keys. Which parts its numbers meant
 * is settled against the story when it is next used (resolveReading, with the store's legacy part
 * keys), and saved with its next change.
 */
export function readingFromV2(raw: Record<string, unknown>, version: number): ReadingRecord {
	return { ...(raw as unknown as ReadingRecord), schema: 3, version };
}

function isPlace(value: unknown): value is Place {
	if (!isObject(value)) return false;
	if (value['kind'] === 'channel') return typeof value['guildId'] === 'string' && typeof value['channelId'] === 'string';
	return value['kind'] === 'reader' && typeof value['userId'] === 'string';
}

/** Checks a schema-1 progress record (as Keyv returns it) before it is migrated. */
export function checkProgressV1(raw: unknown): ProgressRecordV1 {
	if (!isObject(raw) || raw['schema'] !== 1) throw new UnreadableRecordError(`Stored progress is not a schema-1 record (got ${JSON.stringify(raw)})`);
	const strings = ['storyId', 'channelId', 'titleCardMessageId', 'startedBy', 'startedAt', 'advancedBy', 'advancedAt'];
	const wrong = strings.filter((field) => typeof raw[field] !== 'string');
	if (!Number.isInteger(raw['position'])) wrong.push('position');
	const ids = raw['sceneMessageIds'];
	if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) wrong.push('sceneMessageIds');
	if (wrong.length > 0) throw new UnreadableRecordError(`Stored progress (schema 1) has missing or wrong fields: ${wrong.join(', ')}`);
	return raw as unknown as ProgressRecordV1;
}

/** The schema-2 reading of a schema-1 server reading: it moves to the channel it was posted in. */
export function readingFromV1(guildId: string, v1: ProgressRecordV1): ReadingRecord {
	return {
		schema: 3,
		version: 1,
		place: { kind: 'channel', guildId, channelId: v1.channelId },
		storyId: v1.storyId,
		channelId: v1.channelId,
		position: v1.position,
		titleCardMessageId: v1.titleCardMessageId,
		partMessageIds: [...v1.sceneMessageIds],
		...(v1.endCardMessageId !== undefined ? { endCardMessageId: v1.endCardMessageId } : {}),
		startedBy: v1.startedBy,
		startedAt: v1.startedAt,
		advancedBy: v1.advancedBy,
		advancedAt: v1.advancedAt,
	};
}

/** What the part-message index stores (schema 2; `key` since schema 3). Schema 1 stored { guildId, storyId, scene }. */
interface PartMessageRecord {
	schema: 2;
	placeKey: string;
	guildId?: string;
	storyId: string;
	part: number;
	key?: string;
}

export function partMessageRecord(ref: PartRef): PartMessageRecord {
	return {
		schema: 2,
		placeKey: ref.placeKey,
		...(ref.guildId !== undefined ? { guildId: ref.guildId } : {}),
		storyId: ref.storyId,
		part: ref.part,
		...(ref.key !== undefined ? { key: ref.key } : {}),
	};
}

/**
 * Reads an index entry. A schema-1 entry not rewritten by the migration (a scene of an earlier
 * reading) keeps counting where its votes have always been: under the bare server id.
 */
export function readPartMessage(raw: unknown): PartRef {
	if (isObject(raw) && raw['schema'] === 1) {
		const { guildId, storyId, scene } = raw;
		if (typeof guildId === 'string' && typeof storyId === 'string' && Number.isInteger(scene)) return { placeKey: guildId, guildId, storyId, part: scene as number };
	}
	if (isObject(raw) && raw['schema'] === 2) {
		const { placeKey: place, guildId, storyId, part, key } = raw;
		if (typeof place === 'string' && typeof storyId === 'string' && Number.isInteger(part) && (guildId === undefined || typeof guildId === 'string') && (key === undefined || typeof key === 'string')) {
			return { placeKey: place, guildId: guildId as string | undefined, storyId, part: part as number, ...(key !== undefined ? { key: key as string } : {}) };
		}
	}
	throw new UnreadableRecordError(`Stored part message index has an unknown shape or schema: ${JSON.stringify(raw)}`);
}

/**
 * The PartRef of a part of the reading at `place`: `part` its ordinal in the reading (1-based), `key`
 * its stable key (absent for a part posted by schema 2, whose votes are filed by number).
 */
export function partRef(place: Place, storyId: string, part: number, key?: string): PartRef {
	return { placeKey: placeKey(place), guildId: place.kind === 'channel' ? place.guildId : undefined, storyId, part, ...(key !== undefined ? { key } : {}) };
}
