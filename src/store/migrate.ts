// Schema 1 to 2, on first use of a store: readings move from "one per server" to the channel they
// were posted in, with their votes and their messages' index entries. Schema 2 to 3: positions and
// votes refer to parts by stable key, not number; what the old numbers meant is noted once per story.
// Every step can run twice (a crash mid-way, two processes starting together) without losing or
// doubling anything.
import type Keyv from 'keyv';
import { placeKey } from '../reading/place.js';
import type { Backend } from './backend.js';
import { keys } from './keys.js';
import { checkProgressV1, partMessageRecord, partRef, readingFromV1 } from './records.js';
import { UnreadableRecordError } from './types.js';

/**
 * Migrates every schema-1 progress record the backend still holds. Order matters for a crash: the
 * reading is saved first (compare-and-set from "none", so a reading already there wins), then the
 * votes and index entries move, and the schema-1 record is deleted last.
 *
 * @returns how many readings were migrated (for the log).
 * @throws whatever the backend throws; an unreadable schema-1 record is left in place and skipped.
 */
export async function migrateV1(backend: Backend, records: Keyv, onSkipped: (key: string, error: unknown) => void): Promise<number> {
	let migrated = 0;
	for (const key of await backend.legacyProgressKeys()) {
		const guildId = decodeURIComponent(key.slice(keys.progressV1Prefix.length));
		const raw: unknown = await records.get(key);
		if (raw === undefined) continue;
		let v1;
		try {
			v1 = checkProgressV1(raw);
		} catch (error) {
			onSkipped(key, error);
			continue;
		}
		const reading = readingFromV1(guildId, v1);
		const { version: _version, ...stored } = reading;
		await backend.casReading(placeKey(reading.place), guildId, 0, JSON.stringify(stored));
		// Schema 1's votes of this story in this server were this reading's (and earlier readings' of
		// the same story, which it continued): they follow it to its channel.
		await backend.moveVotes(keys.votesPrefix(guildId, v1.storyId), keys.votesPrefix(placeKey(reading.place), v1.storyId));
		for (const [index, messageId] of v1.sceneMessageIds.entries()) {
			await records.set(keys.partMessage(messageId), partMessageRecord(partRef(reading.place, v1.storyId, index + 1)));
		}
		await records.delete(key);
		migrated++;
	}
	return migrated;
}

interface LegacyPartsRecord {
	schema: 3;
	keys: string[];
}

/**
 * Schema 2 to 3. Schema 2 filed a reading's position, its messages' index entries and their votes
 * by part number, which inserting a chapter shifts; schema 3 files them by part key. Rather than
 * rewrite every vote and index entry, this notes once, per loaded story, its part keys in part order
 * (`partKeys`, from the stories as loaded now, which are the ones those numbers were posted from):
 * schema 2's number n of a story means the part keyed `keys[n - 1]` there, whatever is inserted later.
 * Readings are upgraded as they are read (records.ts readingFromV2, then src/reading/rules.ts
 * resolveReading with these keys). Runs once per store: a marker record says it has.
 *
 * @returns how many stories' keys were noted (0 when it had run already).
 * @throws whatever the store throws.
 */
export async function migrateV2(records: Keyv, partKeys: ReadonlyMap<string, readonly string[]>): Promise<number> {
	if ((await records.get(keys.schema3)) !== undefined) return 0;
	let noted = 0;
	for (const [storyId, list] of partKeys) {
		// Two processes migrating at once note the same keys (from the same files); a note already there stays.
		if ((await records.get(keys.legacyParts(storyId))) !== undefined) continue;
		const record: LegacyPartsRecord = { schema: 3, keys: [...list] };
		await records.set(keys.legacyParts(storyId), record);
		noted++;
	}
	await records.set(keys.schema3, { schema: 3, at: new Date().toISOString() });
	return noted;
}

/** The keys migrateV2 noted for a story, or undefined. @throws UnreadableRecordError for a damaged note. */
export async function readLegacyPartKeys(records: Keyv, storyId: string): Promise<string[] | undefined> {
	const raw: unknown = await records.get(keys.legacyParts(storyId));
	if (raw === undefined) return undefined;
	const list = typeof raw === 'object' && raw !== null ? (raw as Partial<LegacyPartsRecord>).keys : undefined;
	if (!Array.isArray(list) || !list.every((key) => typeof key === 'string')) throw new UnreadableRecordError(`Stored legacy part keys of ${storyId} have an unknown shape: ${JSON.stringify(raw)}`);
	return list;
}
