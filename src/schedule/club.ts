// Changing a reading's club settings (its discussion threads) with compare-and-set. Pure of discord.js.
import type { KeyedLock } from '../keyed-lock.js';
import { placeKey, type Place } from '../reading/place.js';
import type { ReadingStore } from '../reading/service.js';
import type { ReadingRecord } from '../store/records.js';

export type ReadingUpdate = { kind: 'changed'; record: ReadingRecord } | { kind: 'unchanged'; record: ReadingRecord } | { kind: 'noReading' } | { kind: 'handledElsewhere' };

/**
 * Applies `change` to the reading at `place` (again when another writer got there first). `trigger`
 * (an interaction id) is saved as the reading's last trigger, so another process that received the
 * same interaction is told `handledElsewhere`. `change` returns 'unchanged' to save nothing.
 */
export async function updateReading(
	store: Pick<ReadingStore, 'getReading' | 'saveReading'>,
	locks: KeyedLock,
	place: Place,
	trigger: string | undefined,
	change: (record: ReadingRecord) => ReadingRecord | 'unchanged',
): Promise<ReadingUpdate> {
	const key = placeKey(place);
	return locks.run(key, async () => {
		for (let attempt = 0; attempt < 6; attempt++) {
			const record = await store.getReading(key);
			if (trigger !== undefined && record?.lastTrigger === trigger) return { kind: 'handledElsewhere' };
			if (!record) return { kind: 'noReading' };
			const next = change(record);
			if (next === 'unchanged') return { kind: 'unchanged', record };
			const saved = await store.saveReading({ ...next, ...(trigger !== undefined ? { lastTrigger: trigger } : {}) }, record.version);
			if (saved) return { kind: 'changed', record: saved };
		}
		throw new Error(`could not change the reading at ${key}: it kept changing`);
	});
}
