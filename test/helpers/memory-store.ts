// The reading service's store contract in memory, with compare-and-set as the real backends do it:
// for in-process tests of the service and the scheduler (milliseconds, no files).
import { placeKey } from '../../src/reading/place.js';
import type { ReadingStore } from '../../src/reading/types.js';
import { StoreUnavailableError, type PartRef, type ReadingRecord } from '../../src/store.js';

export class MemoryStore implements ReadingStore {
	readonly readings = new Map<string, ReadingRecord>();
	readonly index = new Map<string, PartRef>();
	/** Writes from this many on fail (a full disk); Infinity: never. */
	failWritesAfter = Infinity;
	writes = 0;

	async getReading(key: string): Promise<ReadingRecord | undefined> {
		const record = this.readings.get(key);
		return record && structuredClone(record);
	}

	async saveReading(record: ReadingRecord, expected: number): Promise<ReadingRecord | undefined> {
		if (++this.writes > this.failWritesAfter) throw new StoreUnavailableError('disk full');
		const key = placeKey(record.place);
		if ((this.readings.get(key)?.version ?? 0) !== expected) return undefined;
		const saved = { ...structuredClone(record), version: expected + 1 };
		this.readings.set(key, saved);
		return structuredClone(saved);
	}

	async indexPartMessage(messageId: string, ref: PartRef): Promise<void> {
		this.index.set(messageId, ref);
	}

	async countVotes(_places: readonly string[], _storyId: string, parts: readonly string[] | number, emojis: readonly string[]): Promise<number[][]> {
		return Array.from({ length: typeof parts === 'number' ? parts : parts.length }, () => emojis.map(() => 0));
	}

	async legacyPartKeys(_storyId: string): Promise<readonly string[] | undefined> {
		return undefined;
	}
}
