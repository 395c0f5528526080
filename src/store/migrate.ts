// Schema 1 to 2, on first use of a store: readings move from "one per server" to the channel they
// were posted in, with their votes and their messages' index entries. Every step can run twice (a
// crash mid-way, two processes starting together) without losing or doubling anything.
import type Keyv from 'keyv';
import { placeKey } from '../reading/place.js';
import type { Backend } from './backend.js';
import { keys } from './keys.js';
import { checkProgressV1, partMessageRecord, partRef, readingFromV1 } from './records.js';

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
