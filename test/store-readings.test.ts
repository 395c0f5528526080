// Readings by place (schema 2) on every available backend: compare-and-set, the server's list of
// readings, and the migration of a store the schema-1 release filled.
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store.js';
import type { Backend } from '../src/store/backend.js';
import { keys } from '../src/store/keys.js';
import { openBackend, parseStoreUrl } from '../src/store/registry.js';
import { backends, cleanupRun, progressRecord, uniqueId } from './helpers/stores.js';

afterAll(cleanupRun);

async function withStore<T>(url: string, body: (store: Store) => Promise<T>): Promise<T> {
	const store = await openStore(url);
	try {
		return await body(store);
	} finally {
		await store.close();
	}
}

/**
 * Fills a store as the schema-1 release did: the same keys, the same values, through the same
 * backend calls (Keyv records, vote batches). Schema 1's vote key for (server, story, scene) is
 * exactly today's key for a part at the place named by the bare server id.
 */
async function fillAsSchema1(url: string, guildId: string, channelId: string, sceneMessageIds: string[]): Promise<void> {
	const { kind, target } = parseStoreUrl(url);
	const backend: Backend = await openBackend(kind, target, {});
	try {
		await backend.prepare();
		await backend.records.set(keys.progressV1(guildId), {
			schema: 1,
			storyId: 'after-the-end',
			channelId,
			position: sceneMessageIds.length,
			titleCardMessageId: uniqueId('title'),
			sceneMessageIds,
			startedBy: 'u1',
			startedAt: '2026-11-01T12:00:00.000Z',
			advancedBy: 'u2',
			advancedAt: '2026-11-01T12:05:00.000Z',
		});
		for (const [index, messageId] of sceneMessageIds.entries()) {
			await backend.records.set(keys.partMessage(messageId), { schema: 1, guildId, storyId: 'after-the-end', scene: index + 1 });
		}
		const old = (scene: number, storyId = 'after-the-end') => ({ placeKey: guildId, storyId, part: scene });
		await backend.applyVotes([
			{ change: 'add', ref: old(1), emoji: '❤️', userId: 'ann' },
			{ change: 'add', ref: old(1), emoji: '❤️', userId: 'bob' },
			{ change: 'add', ref: old(2), emoji: '🔥', userId: 'ann' },
			// An earlier reading of another story in the same server.
			{ change: 'add', ref: old(1, 'other-story'), emoji: '😢', userId: 'cy' },
		]);
	} finally {
		await backend.close();
	}
}

for (const backend of backends) {
	describe.skipIf(backend.skipReason !== undefined)(`${backend.name} readings`, () => {
		it('saves a reading only over the version it was read at (compare-and-set)', async () => {
			await withStore(backend.url(), async (store) => {
				const id = uniqueId('channel');
				const place = { kind: 'channel', guildId: uniqueId('guild'), channelId: id } as const;
				const record = progressRecord({ place, position: 1 });
				const first = await store.saveReading(record, 0);
				expect(first?.version).toBe(1);
				// A second writer that also read "nothing here" loses.
				expect(await store.saveReading({ ...record, position: 7 }, 0)).toBeUndefined();
				const second = await store.saveReading({ ...record, position: 2 }, 1);
				expect(second?.version).toBe(2);
				expect(await store.saveReading({ ...record, position: 9 }, 1)).toBeUndefined();
				expect(await store.getReading(`channel:${id}`)).toMatchObject({ version: 2, position: 2 });
				// Ten writers from one version: exactly one wins.
				const results = await Promise.all(Array.from({ length: 10 }, (_, index) => store.saveReading({ ...record, position: 10 + index }, 2)));
				expect(results.filter(Boolean)).toHaveLength(1);
			});
		});

		it("lists a server's readings, each channel its own, and keeps private readings out of it", async () => {
			await withStore(backend.url(), async (store) => {
				const guildId = uniqueId('guild');
				const [a, b] = [uniqueId('channel'), uniqueId('channel')];
				await store.saveReading(progressRecord({ place: { kind: 'channel', guildId, channelId: a }, storyId: 'one' }), 0);
				await store.saveReading(progressRecord({ place: { kind: 'channel', guildId, channelId: b }, storyId: 'two' }), 0);
				await store.saveReading(progressRecord({ place: { kind: 'reader', userId: uniqueId('user') }, storyId: 'mine' }), 0);
				expect((await store.readingsIn(guildId)).map((reading) => reading.storyId).sort()).toEqual(['one', 'two']);
				expect(await store.readingsIn(uniqueId('guild'))).toEqual([]);
			});
		});

		it('migrates a schema-1 store on first use: no reading or vote lost, the reading in its channel', async () => {
			const url = backend.url();
			const guildId = uniqueId('guild');
			const channelId = uniqueId('channel');
			const messages = [uniqueId('message'), uniqueId('message')];
			await fillAsSchema1(url, guildId, channelId, messages);
			await withStore(url, async (store) => {
				const place = `channel:${channelId}`;
				expect(await store.getReading(place)).toMatchObject({
					schema: 3,
					version: 1,
					place: { kind: 'channel', guildId, channelId },
					storyId: 'after-the-end',
					position: 2,
					partMessageIds: messages,
					advancedBy: 'u2',
				});
				expect(await store.countVotes([place], 'after-the-end', 2, ['❤️', '🔥'])).toEqual([[2, 0], [0, 1]]);
				expect(await store.partForMessage(messages[1]!)).toEqual({ placeKey: place, guildId, storyId: 'after-the-end', part: 2 });
				// The other story's votes stay where schema 1 kept them and still count for the server.
				expect(await store.countVotes([place, guildId], 'other-story', 1, ['😢'])).toEqual([[1]]);
				expect((await store.readingsIn(guildId)).map((reading) => reading.place)).toEqual([{ kind: 'channel', guildId, channelId }]);
			});
			// Opening again migrates nothing twice.
			await withStore(url, async (store) => {
				expect(await store.countVotes([`channel:${channelId}`], 'after-the-end', 2, ['❤️', '🔥'])).toEqual([[2, 0], [0, 1]]);
				expect((await store.getReading(`channel:${channelId}`))?.version).toBe(1);
			});
		});
	});
}
