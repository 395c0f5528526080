// The store against every backend that is available (see test/helpers/stores.ts). Counts are
// asserted exactly, so a get-then-set counter, which loses concurrent votes, fails these tests.
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	describeStore,
	openStore,
	parseStoreUrl,
	StoreUnavailableError,
	UnreadableRecordError,
	type ReadingRecord,
	type Store,
} from '../src/store.js';
import { checkProgressV1, readReading } from '../src/store/records.js';
import { SQLITE_BUSY_TIMEOUT_MS } from '../src/store/sqlite.js';
import {
	backends,
	cleanupRun,
	freePort,
	getProgress,
	postgresTarget,
	progressRecord,
	redisKeysMatching,
	redisTarget,
	saveProgress,
	sceneRef,
	TcpRelay,
	tempDir,
	timed,
	uniqueId,
} from './helpers/stores.js';

afterAll(cleanupRun);

/** Opens a store and closes it after the test body, whatever happens. */
async function withStore<T>(url: string, body: (store: Store) => Promise<T>): Promise<T> {
	const store = await openStore(url);
	try {
		return await body(store);
	} finally {
		await store.close();
	}
}

describe('KEYV_URL', () => {
	it('picks the backend from the scheme, SQLite in data/ when unset', () => {
		expect(parseStoreUrl(undefined)).toEqual({ kind: 'sqlite', target: 'data/serial-fiction-bot.sqlite' });
		expect(parseStoreUrl('')).toEqual({ kind: 'sqlite', target: 'data/serial-fiction-bot.sqlite' });
		expect(parseStoreUrl('sqlite:///var/lib/sfb/store.sqlite')).toEqual({ kind: 'sqlite', target: '/var/lib/sfb/store.sqlite' });
		expect(parseStoreUrl('sqlite://data/x.sqlite')).toEqual({ kind: 'sqlite', target: 'data/x.sqlite' });
		expect(parseStoreUrl('redis://localhost:6379').kind).toBe('redis');
		expect(parseStoreUrl('postgres://u@h/db').kind).toBe('postgres');
		expect(parseStoreUrl('postgresql://u@h/db').kind).toBe('postgres');
	});

	it('refuses anything else with one line naming KEYV_URL and the schemes, never echoing the URL', async () => {
		for (const url of ['mysql://root:hunter2@db/x', 'mongodb://h', 'data/x.sqlite', 'sqlite://']) {
			const error = await openStore(url).then(
				() => undefined,
				(caught: unknown) => caught,
			);
			expect(error).toBeInstanceOf(Error);
			const message = (error as Error).message;
			expect(message).toMatch(/KEYV_URL/);
			expect(message).not.toMatch(/\n/);
			expect(message).not.toMatch(/hunter2/);
		}
		await expect(openStore('mysql://h')).rejects.toThrow(/sqlite:\/\/.*redis:\/\/.*postgres:\/\//);
	});

	it('creates the folder of a SQLite file that does not exist yet', async () => {
		const file = join(tempDir(), 'not', 'yet', 'there.sqlite');
		await withStore(`sqlite://${file}`, async (store) => {
			expect(store.kind).toBe('sqlite');
			await saveProgress(store, '1', progressRecord());
		});
		expect(existsSync(file)).toBe(true);
	});
});

describe('readReading', () => {
	it('reads schemas 2 and 3 and refuses a newer or damaged record with a clear error', () => {
		const { version: _version, ...record } = progressRecord({ endCardMessageId: '888' });
		expect(readReading(JSON.stringify(record), 3)).toEqual({ ...record, version: 3 });
		// Schema 2 reads as schema 3 without part keys (placed by key when next used: resolveReading).
		expect(readReading(JSON.stringify({ ...record, schema: 2 }), 3)).toEqual({ ...record, schema: 3, version: 3 });
		expect(() => readReading(JSON.stringify({ ...record, partKeys: 'x' }), 1)).toThrow(/partKeys/);
		expect(() => readReading(JSON.stringify({ ...record, schema: 4 }), 1)).toThrow(/schema 4.*newer version/);
		expect(() => readReading('"progress"', 1)).toThrow(UnreadableRecordError);
		const { storyId: _dropped, ...withoutStory } = record;
		expect(() => readReading(JSON.stringify(withoutStory), 1)).toThrow(/storyId/);
		expect(() => readReading(JSON.stringify({ ...record, place: { kind: 'elsewhere' } }), 1)).toThrow(/place/);
	});

	it('checks a schema-1 record before migrating it', () => {
		const v1 = { schema: 1, storyId: 's', channelId: 'c', position: 1, titleCardMessageId: 't', sceneMessageIds: ['m'], startedBy: 'u', startedAt: 'a', advancedBy: 'u', advancedAt: 'a' };
		expect(checkProgressV1(v1)).toEqual(v1);
		expect(() => checkProgressV1({ ...v1, sceneMessageIds: [1, 2] })).toThrow(/sceneMessageIds/);
		expect(() => checkProgressV1({ ...v1, schema: 2 })).toThrow(UnreadableRecordError);
	});
});

for (const backend of backends) {
	describe.skipIf(backend.skipReason !== undefined)(`${backend.name} store`, () => {
		it('keeps progress per server, across close and reopen', async () => {
			const url = backend.url();
			const guildId = uniqueId('guild');
			const otherGuildId = uniqueId('guild');
			const record = progressRecord({ endCardMessageId: '999999999999999999' });
			await withStore(url, async (store) => {
				expect(store.kind).toBe(backend.name);
				expect(await getProgress(store, guildId)).toBeUndefined();
				await saveProgress(store, guildId, progressRecord({ position: 1 }));
				await saveProgress(store, guildId, record);
				await saveProgress(store, otherGuildId, progressRecord({ storyId: 'other' }));
				expect(await getProgress(store, guildId)).toEqual(record);
			});
			await withStore(url, async (store) => {
				expect(await getProgress(store, guildId)).toEqual(record);
				expect((await getProgress(store, otherGuildId))?.storyId).toBe('other');
			});
		});

		it('closes once however often close() is called, and refuses work afterwards', async () => {
			const store = await openStore(backend.url());
			await store.addVote(sceneRef(1), '👍', 'ann');
			await Promise.all([store.close(), store.close()]);
			await store.close();
			await expect(getProgress(store, '1')).rejects.toThrow(/closed/);
		});

		it('refuses a stored progress record of an unknown schema instead of using it', async () => {
			await withStore(backend.url(), async (store) => {
				const guildId = uniqueId('guild');
				await saveProgress(store, guildId, { ...progressRecord(), schema: 4 } as unknown as ReadingRecord);
				const error = await getProgress(store, guildId).then(
					() => undefined,
					(caught: unknown) => caught,
				);
				expect(error).toBeInstanceOf(UnreadableRecordError);
				expect(error).not.toBeInstanceOf(StoreUnavailableError);
			});
		});

		it('remembers which scene a message belongs to', async () => {
			await withStore(backend.url(), async (store) => {
				const messageId = uniqueId('message');
				const ref = sceneRef(3);
				expect(await store.partForMessage(messageId)).toBeUndefined();
				await store.indexPartMessage(messageId, ref);
				expect(await store.partForMessage(messageId)).toEqual(ref);
				expect(await store.partForMessage(uniqueId('message'))).toBeUndefined();
			});
		});

		it('counts one vote per reader per emoji, exactly, per scene', async () => {
			await withStore(backend.url(), async (store) => {
				const guildId = uniqueId('guild');
				const [scene1, scene2, scene3] = [1, 2, 3].map((scene) => sceneRef(scene, guildId, 'tale:one'));
				const otherStory = sceneRef(1, guildId, 'tale');
				const emojis = ['👍', '❤️', 'custom:123456'] as const;
				if (!scene1 || !scene2 || !scene3) throw new Error('unreachable');

				await store.addVote(scene1, '👍', 'ann');
				await store.addVote(scene1, '👍', 'bob');
				await store.addVote(scene1, '👍', 'ann'); // gateway replay
				await store.addVote(scene1, '❤️', 'ann');
				await store.addVote(scene2, 'custom:123456', 'cy');
				await store.addVote(otherStory, '👍', 'dee'); // another story, same guild
				await store.removeVote(scene3, '👍', 'nobody'); // removing an absent vote is a no-op
				expect(await store.countVotes([guildId], 'tale:one', 3, emojis)).toEqual([
					[2, 1, 0],
					[0, 0, 1],
					[0, 0, 0],
				]);
				expect(await store.countVotes([guildId], 'tale', 1, emojis)).toEqual([[1, 0, 0]]);

				await store.removeVote(scene1, '👍', 'ann');
				await store.removeVote(scene1, '👍', 'ann'); // replayed remove
				expect(await store.countVotes([guildId], 'tale:one', 1, emojis)).toEqual([[1, 1, 0]]);

				// REMOVE_EMOJI: one emoji of one scene goes, the rest stays.
				await store.addVote(scene2, '👍', 'cy');
				await store.clearVotes(scene1, ['❤️']);
				expect(await store.countVotes([guildId], 'tale:one', 2, emojis)).toEqual([
					[1, 0, 0],
					[1, 0, 1],
				]);

				// REMOVE_ALL on scene 2 only.
				await store.clearVotes(scene2, emojis);
				expect(await store.countVotes([guildId], 'tale:one', 2, emojis)).toEqual([
					[1, 0, 0],
					[0, 0, 0],
				]);

				// Reconciliation: the stored voters become exactly the given ones (duplicates count once).
				await store.replaceVotes(scene1, '👍', ['eve', 'fay', 'eve', 'gus']);
				await store.replaceVotes(scene1, '❤️', ['eve']);
				expect(await store.countVotes([guildId], 'tale:one', 1, emojis)).toEqual([[3, 1, 0]]);
				await store.replaceVotes(scene1, '👍', ['gus']);
				await store.addVote(scene1, '👍', 'gus');
				expect(await store.countVotes([guildId], 'tale:one', 1, emojis)).toEqual([[1, 1, 0]]);
				await store.replaceVotes(scene1, '👍', []);
				expect(await store.countVotes([guildId], 'tale:one', 1, emojis)).toEqual([[0, 1, 0]]);

				expect(await store.countVotes([guildId], 'tale:one', 0, emojis)).toEqual([]);
				expect(await store.countVotes([guildId], 'tale:one', 2, [])).toEqual([[], []]);
				expect(await store.countVotes([guildId], 'tale:one', 1, ['❤️', '❤️'])).toEqual([[1, 1]]);
			});
		});

		it('counts 1,000 concurrent votes and 500 concurrent removals exactly', async () => {
			await withStore(backend.url(), async (store) => {
				const ref = sceneRef(1);
				const users = Array.from({ length: 1_000 }, (_, index) => `reader-${index}`);
				await Promise.all(users.map((userId) => store.addVote(ref, '👍', userId)));
				expect(await store.countVotes([ref.placeKey], ref.storyId, 1, ['👍'])).toEqual([[1_000]]);
				await Promise.all(users.slice(0, 500).map((userId) => store.removeVote(ref, '👍', userId)));
				expect(await store.countVotes([ref.placeKey], ref.storyId, 1, ['👍'])).toEqual([[500]]);
				// Adds, replays and removes of the same votes racing each other end where they must.
				await Promise.all(
					users.flatMap((userId, index) =>
						index < 500 ? [store.addVote(ref, '❤️', userId), store.addVote(ref, '❤️', userId)] : [store.removeVote(ref, '❤️', userId)],
					),
				);
				expect(await store.countVotes([ref.placeKey], ref.storyId, 1, ['👍', '❤️'])).toEqual([[500, 500]]);
			});
		});

		it('applies vote changes in the order they came: a vote cast before "remove all" does not survive it', async () => {
			await withStore(backend.url(), async (store) => {
				const ref = sceneRef(2);
				// Not awaited one by one: all are in flight together, as during a burst of gateway events.
				await Promise.all([
					...['a', 'b', 'c'].map((userId) => store.addVote(ref, '🔥', userId)),
					store.clearVotes(ref, ['🔥']),
					store.addVote(ref, '🔥', 'd'),
					store.addVote(ref, '😮', 'a'),
					store.replaceVotes(ref, '😮', []),
					store.addVote(ref, '😮', 'e'),
					store.removeVote(ref, '😮', 'e'),
				]);
				expect(await store.countVotes([ref.placeKey], ref.storyId, 2, ['🔥', '😮'])).toEqual([[0, 0], [1, 0]]);
			});
		});

		if (backend.name === 'sqlite') {
			it('runs SQLite in WAL mode with a busy timeout', async () => {
				await withStore(backend.url(), async (store) => {
					expect(await describeStore(store)).toMatchObject({ kind: 'sqlite', journalMode: 'wal', busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, synchronous: 1 });
				});
			});
		}

		if (backend.name === 'redis') {
			it('writes every Redis key under one sfb prefix', async () => {
				const guildId = uniqueId('guild');
				const messageId = uniqueId('message');
				await withStore(backend.url(), async (store) => {
					await saveProgress(store, guildId, progressRecord());
					await store.indexPartMessage(messageId, sceneRef(1, guildId));
					await store.addVote(sceneRef(1, guildId), '👍', 'ann');
					expect((await describeStore(store))['keyPrefix']).toBe('sfb::');
				});
				const written = [...(await redisKeysMatching(`*${guildId}*`)), ...(await redisKeysMatching(`*${messageId}*`))].sort();
				expect(written).toEqual([
					`sfb::reading:${encodeURIComponent(`channel:${guildId}`)}`,
					`sfb::readings-in:${guildId}`,
					`sfb::scene-message:${messageId}`,
					`sfb::votes:${guildId}:story:1:${encodeURIComponent('👍')}`,
				]);
			});
		}
	});
}

describe.each([
	{ name: 'redis', target: redisTarget },
	{ name: 'postgres', target: postgresTarget },
])('$name outage', ({ name, target }) => {
	const unreachableUrl = async (): Promise<string> =>
		name === 'redis' ? `redis://127.0.0.1:${await freePort()}` : `postgres://postgres@127.0.0.1:${await freePort()}/sfb_test`;

	it('rejects with StoreUnavailableError at once when nothing listens, never reads as empty', async () => {
		const store = await openStore(await unreachableUrl());
		try {
			const ref = sceneRef(1);
			const operations: Array<() => Promise<unknown>> = [
				() => getProgress(store, '1'),
				() => saveProgress(store, '1', progressRecord()),
				() => store.partForMessage('1'),
				() => store.addVote(ref, '👍', 'ann'),
				() => store.countVotes(['1'], 'story', 3, ['👍']),
			];
			for (const operation of operations) {
				const { ms, result } = await timed(operation);
				expect(result.status).toBe('rejected');
				expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
				expect(ms).toBeLessThan(5_000);
			}
		} finally {
			await store.close();
		}
	});

	it('gives up within seconds when the server accepts connections but never answers', async () => {
		const sockets = new Set<Socket>();
		const silent = createServer((socket) => {
			sockets.add(socket);
			socket.on('error', () => undefined);
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const { port } = silent.address() as AddressInfo;
		const store = await openStore(name === 'redis' ? `redis://127.0.0.1:${port}` : `postgres://postgres@127.0.0.1:${port}/sfb_test`);
		try {
			const { ms, result } = await timed(() => getProgress(store, '1'));
			expect(result.status).toBe('rejected');
			expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
			expect(ms).toBeLessThan(5_000);
			expect(sockets.size).toBeGreaterThan(0);
		} finally {
			await store.close();
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => silent.close(resolve));
		}
	});

	it.skipIf(target === undefined)('gives up by the operation deadline when a connected server stops answering', async () => {
		if (target === undefined) return;
		const relay = await new TcpRelay(target).start();
		const store = await openStore(relay.urlFor(target), { operationTimeoutMs: 1_000 });
		try {
			await getProgress(store, uniqueId('guild'));
			relay.freeze();
			// Vote changes queued behind the stuck one fail with it, not one deadline after another.
			const { ms, result } = await timed(() =>
				Promise.all([
					store.addVote(sceneRef(1), '👍', 'ann'),
					store.clearVotes(sceneRef(1), ['👍']),
					store.clearVotes(sceneRef(2), ['👍']),
					store.replaceVotes(sceneRef(1), '👍', ['bob']),
					store.addVote(sceneRef(1), '👍', 'cy'),
				]),
			);
			expect(result.status).toBe('rejected');
			expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
			expect(ms).toBeGreaterThanOrEqual(900);
			expect(ms).toBeLessThan(3_000);
			const { ms: closeMs } = await timed(() => store.close());
			expect(closeMs).toBeLessThan(5_000); // PostgreSQL lets the stuck query reach its own 4 s timeout
		} finally {
			await relay.cut();
			await store.close();
		}
	});

	it.skipIf(target === undefined)('fails fast while the server is gone and works again once it is back', async () => {
		if (target === undefined) return;
		const relay = await new TcpRelay(target).start();
		// Redis reconnects on its own and says so; PostgreSQL opens a fresh connection on the next query.
		let reconnected!: () => void;
		const back = new Promise<void>((resolve) => (reconnected = resolve));
		const store = await openStore(relay.urlFor(target), { onReconnected: () => reconnected() });
		try {
			const guildId = uniqueId('guild');
			const ref = sceneRef(1, guildId);
			await saveProgress(store, guildId, progressRecord());
			await store.addVote(ref, '👍', 'ann');

			await relay.cut();
			const operations: Array<() => Promise<unknown>> = [() => getProgress(store, guildId), () => store.countVotes([guildId], 'story', 1, ['👍'])];
			for (const operation of operations) {
				const { ms, result } = await timed(operation);
				expect(result.status).toBe('rejected');
				expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
				expect(ms).toBeLessThan(5_000);
			}

			await relay.restore();
			if (name === 'redis') await back;
			expect(await getProgress(store, guildId)).toEqual(progressRecord());
			await store.addVote(ref, '👍', 'bob');
			expect(await store.countVotes([guildId], 'story', 1, ['👍'])).toEqual([[2]]);
		} finally {
			await store.close();
			await relay.cut();
		}
	});
});
