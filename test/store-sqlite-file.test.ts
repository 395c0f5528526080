// The SQLite file itself: a file written by an earlier release still reads and takes writes, the
// layout a new file gets is that same one, our Keyv adapter behaves as @keyv/sqlite did, and a lock
// held by another process or a path that cannot be a database fails the way every store outage
// does (StoreUnavailableError, one line).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { explainStartupError } from '../src/startup-errors.js';
import { openStore, StoreUnavailableError, type Store } from '../src/store.js';
import { openSqliteBackend, SQLITE_BUSY_TIMEOUT_MS } from '../src/store/sqlite.js';
import { cleanupRun, getProgress, progressRecord, saveProgress, sceneRef, tempDir, timed } from './helpers/stores.js';

afterAll(cleanupRun);

/**
 * Written by the bot when it used @keyv/sqlite 4.0.8 on the async sqlite3 driver: one reading in
 * guild 1100000000000000001 at scene 1, its scene message indexed, three votes. Never rewritten:
 * the tests work on a copy.
 */
const V1_FIXTURE = join(import.meta.dirname, 'fixtures/store-sqlite-v1.sqlite');
const GUILD = '1100000000000000001';

/** The records table as @keyv/sqlite 4.0.8 created it, statement for statement. */
const RECORDS_TABLE_SQL = 'CREATE TABLE sfb_records(key VARCHAR(255) PRIMARY KEY, value TEXT )';
const VOTES_TABLE_SQL =
	'CREATE TABLE sfb_votes (scene_key TEXT NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (scene_key, emoji, user_id)) WITHOUT ROWID';

function copyOfFixture(): string {
	const file = join(tempDir(), 'store.sqlite');
	copyFileSync(V1_FIXTURE, file);
	return file;
}

/** Reads the file with a connection of its own, as another process would. */
function readRaw<T>(file: string, read: (db: Database.Database) => T): T {
	const db = new Database(file, { readonly: true });
	try {
		return read(db);
	} finally {
		db.close();
	}
}

const tables = (db: Database.Database): Record<string, string> =>
	Object.fromEntries(db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all().map((row) => [row.name, row.sql]));

async function withStore<T>(file: string, body: (store: Store) => Promise<T>): Promise<T> {
	const store = await openStore(`sqlite://${file}`);
	try {
		return await body(store);
	} finally {
		await store.close();
	}
}

async function failureOf(work: () => Promise<unknown>): Promise<Error> {
	const error = await work().then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(Error);
	return error as Error;
}

describe('a SQLite file written by an earlier release (@keyv/sqlite 4 + sqlite3, schema 1)', () => {
	it('is migrated on first use: the reading moves to its channel with its votes and its scene index', async () => {
		const file = copyOfFixture();
		await withStore(file, async (store) => {
			expect(await store.getReading('channel:1100000000000000002')).toEqual({
				schema: 3,
				version: 1,
				place: { kind: 'channel', guildId: GUILD, channelId: '1100000000000000002' },
				storyId: 'after-the-end',
				channelId: '1100000000000000002',
				position: 1,
				titleCardMessageId: '1100000000000000003',
				partMessageIds: ['1100000000000000005'],
				startedBy: '1100000000000000004',
				startedAt: '2026-11-01T12:00:00.000Z',
				advancedBy: '1100000000000000004',
				advancedAt: '2026-11-01T12:05:00.000Z',
			});
			const place = 'channel:1100000000000000002';
			expect(await store.partForMessage('1100000000000000005')).toEqual({ placeKey: place, guildId: GUILD, storyId: 'after-the-end', part: 1 });
			expect(await store.countVotes([place], 'after-the-end', 1, ['❤️', '🔥'])).toEqual([[2, 1]]);
			expect(await store.countVotes([GUILD], 'after-the-end', 1, ['❤️', '🔥'])).toEqual([[0, 0]]);
			expect((await store.readingsIn(GUILD)).map((reading) => reading.storyId)).toEqual(['after-the-end']);
		});
		// Nothing of schema 1 is left to migrate again; a second open changes nothing.
		readRaw(file, (db) => {
			expect(db.prepare('SELECT key FROM sfb_records ORDER BY key').pluck().all()).toEqual(['sfb:scene-message:1100000000000000005']);
			expect(tables(db)).toMatchObject({ sfb_records: RECORDS_TABLE_SQL, sfb_votes: VOTES_TABLE_SQL });
		});
		await withStore(file, async (store) => {
			expect(await store.countVotes(['channel:1100000000000000002'], 'after-the-end', 1, ['❤️', '🔥'])).toEqual([[2, 1]]);
			expect((await store.getReading('channel:1100000000000000002'))?.version).toBe(1);
		});
	});
});


describe('a new SQLite file', () => {
	it("gets the earlier release's tables as they were, plus schema 2's readings table", async () => {
		const file = join(tempDir(), 'new.sqlite');
		await withStore(file, async (store) => {
			await saveProgress(store, '1', progressRecord());
		});
		const { sfb_readings: readings, ...earlier } = readRaw(file, tables);
		expect(earlier).toEqual(readRaw(copyOfFixture(), tables));
		expect(readings).toMatch(/^CREATE TABLE sfb_readings \(place_key TEXT PRIMARY KEY, guild_id TEXT, version INTEGER NOT NULL, value TEXT NOT NULL\)$/);
	});
});

describe('the Keyv adapter', () => {
	it('does what @keyv/sqlite did for the calls the store does not make yet', async () => {
		const file = join(tempDir(), 'adapter.sqlite');
		const backend = openSqliteBackend(file);
		await backend.prepare();
		try {
			const records = backend.records;
			await records.set('a', { n: 1 });
			await records.set('b', 'two');
			expect(await records.getMany(['b', 'missing', 'a'])).toEqual(['two', undefined, { n: 1 }]);
			expect(await records.has('a')).toBe(true);
			expect(await records.has('missing')).toBe(false);
			expect(await records.delete('a')).toBe(true);
			expect(await records.delete('a')).toBe(false);
			expect(await records.delete(['b', 'missing'])).toBe(true);
			expect(await records.delete(['b'])).toBe(false);
			// clear() empties this namespace only: a row of another one (or an 'sfbx' prefix) stays.
			await records.set('c', 3);
			const other = new Database(file);
			other.prepare('INSERT INTO sfb_records (key, value) VALUES (?, ?), (?, ?)').run('other:c', '{"value":4}', 'sfbx:c', '{"value":5}');
			other.close();
			await records.clear();
			expect(await records.get('c')).toBeUndefined();
			expect(readRaw(file, (db) => db.prepare('SELECT key FROM sfb_records ORDER BY key').pluck().all())).toEqual(['other:c', 'sfbx:c']);
		} finally {
			await backend.close();
		}
	});
});

describe('SQLite failures', () => {
	it('a path that cannot hold a database fails at open with one line naming it', async () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'a-file'), 'not a folder');
		mkdirSync(join(dir, 'a-folder'));
		writeFileSync(join(dir, 'not-sqlite.sqlite'), 'this is not a SQLite database, and it is long enough to be read as one '.repeat(20));
		for (const file of [join(dir, 'a-file', 'store.sqlite'), join(dir, 'a-folder'), join(dir, 'not-sqlite.sqlite')]) {
			const error = await failureOf(() => openStore(`sqlite://${file}`));
			expect(error).toBeInstanceOf(StoreUnavailableError);
			expect(error.message).not.toMatch(/\n/);
			expect(error.message).toContain(file);
			expect(explainStartupError(error, undefined)).toEqual([`cannot open the store: ${error.message}`]);
		}
	});

	it('a write lock held by another process: votes fail after the busy timeout without stopping the event loop, reads go on', async () => {
		const file = join(tempDir(), 'locked.sqlite');
		await withStore(file, async (store) => {
			await saveProgress(store, '1', progressRecord());
			const other = new Database(file);
			try {
				other.exec('BEGIN IMMEDIATE');
				// While writes wait for the lock the event loop must keep turning: the bot's other
				// servers, its heartbeats and Discord's 3-second deadlines all run on it. Forty
				// servers' readings wait at once here, besides the vote.
				let longestStallMs = 0;
				let lastTick = performance.now();
				const ticker = setInterval(() => {
					longestStallMs = Math.max(longestStallMs, performance.now() - lastTick);
					lastTick = performance.now();
				}, 10);
				const waiting = Array.from({ length: 40 }, (_, index) => saveProgress(store, `waiting-${index}`, progressRecord()).catch((error: unknown) => error));
				const { ms, result } = await timed(() => store.addVote(sceneRef(1), '👍', 'ann'));
				await Promise.all(waiting);
				clearInterval(ticker);
				expect(longestStallMs).toBeLessThan(100);
				expect(result.status).toBe('rejected');
				const reason = (result as PromiseRejectedResult).reason as Error;
				expect(reason).toBeInstanceOf(StoreUnavailableError);
				expect(reason.message).toMatch(/database is locked/);
				expect(ms).toBeGreaterThanOrEqual(SQLITE_BUSY_TIMEOUT_MS * 0.9);
				expect(ms).toBeLessThan(SQLITE_BUSY_TIMEOUT_MS + 1_000);
				// WAL: readers are not blocked by a writer.
				expect(await getProgress(store, '1')).toEqual(progressRecord());
				other.exec('ROLLBACK');
				await store.addVote(sceneRef(1, 'g'), '👍', 'ann');
				expect(await store.countVotes(['g'], 'story', 1, ['👍'])).toEqual([[1]]);
			} finally {
				other.close();
			}
		});
	});
});
