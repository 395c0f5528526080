import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import Keyv, { type KeyvStoreAdapter, type StoredData } from 'keyv';
import { addCount, type Backend, type StoreDescription, type VoteChange, type VoteCounts } from './backend.js';
import { keys, NAMESPACE, READINGS_TABLE, RECORDS_TABLE, VOTES_TABLE } from './keys.js';
import type { PartRef, StoredReading } from './types.js';

/**
 * How long an operation waits in all for another process holding the file's write lock. SQLite's
 * own busy wait is synchronous and would stop the whole event loop (every interaction in every
 * server), and each waiting call would stop it again, so SQLite is told not to wait at all and
 * whileBusy waits in timers instead.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 1_000;

/**
 * Runs one synchronous statement or transaction, again after a short pause while another
 * connection holds the lock, until SQLITE_BUSY_TIMEOUT_MS has passed. A busy statement or an
 * IMMEDIATE transaction that could not begin has done nothing, so running it again is safe.
 */
async function whileBusy<T>(work: () => T): Promise<T> {
	const giveUpAt = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
	for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 50)) {
		try {
			return work();
		} catch (error) {
			const busy = error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
			if (!busy || Date.now() >= giveUpAt) throw error;
			await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, giveUpAt - Date.now()))));
		}
	}
}

/** Row of `countVotes`' query. */
interface VoteCountRow {
	scene_key: string;
	emoji: string;
	votes: number;
}

/**
 * Keyv 5 adapter over a better-sqlite3 connection: @keyv/sqlite 6 does the same but needs Node
 * >= 22.18 and keyv 6. It keeps the table @keyv/sqlite 4 created, byte for byte, so a file that
 * version wrote reads as before: `key` is the namespaced key Keyv hands over ('sfb:progress:1'),
 * `value` the string Keyv serialized. Statements are prepared once; every call runs synchronously
 * (no thread-pool hop) and an error it throws rejects the call, which Keyv then rethrows.
 */
class SqliteRecords extends EventEmitter implements KeyvStoreAdapter {
	readonly opts: { table: string };
	/** Set by Keyv: `clear` removes only this namespace's keys. */
	namespace?: string | undefined;
	#db: Database.Database | undefined;
	#prepared: ReturnType<typeof prepareRecords> | undefined;

	constructor(table: string) {
		super();
		this.opts = { table };
	}

	/** Creates the table and prepares the statements once the file is open (the backend's prepare()). */
	attach(db: Database.Database): void {
		this.#db = db;
		this.#prepared ??= prepareRecords(db, this.opts.table);
	}

	get #statements(): ReturnType<typeof prepareRecords> {
		if (!this.#prepared) throw new Error('the SQLite store is not open');
		return this.#prepared;
	}

	// Keyv's types promise a Value; what an adapter really returns is the string Keyv stored, which
	// Keyv parses itself (as it does for @keyv/sqlite).
	async get<Value>(key: string): Promise<StoredData<Value>> {
		return (await whileBusy(() => this.#statements.get.get(key) ?? undefined)) as StoredData<Value>;
	}

	async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
		const rows = await whileBusy(() => this.#statements.getMany.all(JSON.stringify(keys)));
		const found = new Map(rows.map((row) => [row.key, row.value]));
		return keys.map((key) => found.get(key) as StoredData<Value | undefined>);
	}

	async set(key: string, value: string): Promise<boolean> {
		await whileBusy(() => this.#statements.set.run(key, value));
		return true;
	}

	async delete(key: string): Promise<boolean> {
		return (await whileBusy(() => this.#statements.delete.run(key))).changes > 0;
	}

	async deleteMany(keys: string[]): Promise<boolean> {
		return (await whileBusy(() => this.#statements.deleteMany.run(JSON.stringify(keys)))).changes > 0;
	}

	async clear(): Promise<void> {
		const prefix = this.namespace ? `${this.namespace}:` : undefined;
		await whileBusy(() => (prefix ? this.#statements.clearNamespace.run({ prefix }) : this.#statements.clearAll.run()));
	}

	async has(key: string): Promise<boolean> {
		return (await whileBusy(() => this.#statements.has.get(key))) === 1;
	}

	/** Closes the connection (closing twice is harmless), as @keyv/sqlite's did. */
	async disconnect(): Promise<void> {
		this.#db?.close();
	}
}

/** Creates the records table and prepares its statements once. */
function prepareRecords(db: Database.Database, table: string) {
	// The statement @keyv/sqlite 4.0.8 ran, so a new file gets the same layout as an old one.
	db.exec(`CREATE TABLE IF NOT EXISTS ${table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
	return {
		get: db.prepare<[string], string>(`SELECT value FROM ${table} WHERE key = ?`).pluck(),
		getMany: db.prepare<[string], { key: string; value: string }>(`SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`),
		set: db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
		delete: db.prepare(`DELETE FROM ${table} WHERE key = ?`),
		deleteMany: db.prepare(`DELETE FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`),
		// An exact prefix, not LIKE: LIKE would read '_' in a namespace as a wildcard and ignore case.
		clearNamespace: db.prepare(`DELETE FROM ${table} WHERE substr(key, 1, length(@prefix)) = @prefix`),
		clearAll: db.prepare(`DELETE FROM ${table}`),
		has: db.prepare<[string], number>(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE key = ?)`).pluck(),
	};
}

/**
 * SQLite file store on better-sqlite3. Records go through Keyv; votes are rows of `sfb_votes`, one
 * per (scene, emoji, user), written with INSERT OR IGNORE / DELETE, so adding twice counts once and
 * two processes sharing the file stay exact. Every call is synchronous, so nothing can run between
 * the statements of a transaction and no queue is needed.
 *
 * The file is opened in prepare(), not here: a bad path then fails through the store's error
 * handling (StoreUnavailableError, one line) like any other failure to reach the store.
 */
export function openSqliteBackend(file: string): Backend {
	let db: Database.Database | undefined;
	let votes: ReturnType<typeof prepareVotes> | undefined;
	let readings: ReturnType<typeof prepareReadings> | undefined;
	const adapter = new SqliteRecords(RECORDS_TABLE);
	const open = (): NonNullable<typeof votes> => {
		if (!votes) throw new Error('the SQLite store is not open');
		return votes;
	};
	const openReadings = (): NonNullable<typeof readings> => {
		if (!readings) throw new Error('the SQLite store is not open');
		return readings;
	};

	return {
		kind: 'sqlite',
		records: new Keyv(adapter, { namespace: NAMESPACE, throwOnErrors: true }),

		async prepare() {
			try {
				if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
				// Each step may be tried again (another shard may be creating the tables): all are idempotent.
				await whileBusy(() => {
					db ??= new Database(file, { timeout: 0 });
					// WAL lets readers go on while another process writes; NORMAL is durable enough with WAL
					// (a power cut may lose the last commits, never corrupt the file) and skips an fsync per vote.
					db.pragma('journal_mode = WAL');
					db.pragma('synchronous = NORMAL');
					adapter.attach(db);
					votes ??= prepareVotes(db);
					readings ??= prepareReadings(db);
				});
			} catch (error) {
				// SQLite's own words ("unable to open database file", "file is not a database") do not name the file.
				throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
			}
		},

		async applyVotes(changes) {
			await whileBusy(() => open().apply.immediate(changes));
		},

		async clearVotes(ref, emojis) {
			await whileBusy(() => open().clear.run(keys.part(ref), JSON.stringify(emojis)));
		},

		async replaceVotes(ref, emoji, userIds) {
			await whileBusy(() => open().replace.immediate(ref, emoji, userIds));
		},

		async moveVotes(fromPrefix, toPrefix) {
			await whileBusy(() => open().move.immediate(fromPrefix, toPrefix));
		},

		async getReading(placeKey) {
			return await whileBusy(() => openReadings().get.get(placeKey));
		},

		async casReading(placeKey, guildId, expected, value) {
			const { changes } = await whileBusy(() => openReadings().cas.run({ key: placeKey, guild: guildId ?? null, expected, next: expected + 1, value }));
			return changes === 1;
		},

		async readingsIn(guildId) {
			return await whileBusy(() => openReadings().inGuild.all(guildId));
		},

		async legacyProgressKeys() {
			const prefix = `${NAMESPACE}:${keys.progressV1Prefix}`;
			const rows = await whileBusy(() => openReadings().legacy.all({ prefix }));
			return rows.map((key) => key.slice(NAMESPACE.length + 1));
		},

		async countVotes(scenes: readonly PartRef[], emojis: readonly string[]): Promise<VoteCounts> {
			const rows = await whileBusy(() => open().count.all(JSON.stringify(scenes.map(keys.part)), JSON.stringify(emojis)));
			const counts: VoteCounts = new Map();
			for (const row of rows) addCount(counts, row.scene_key, row.emoji, row.votes);
			return counts;
		},

		async describe(): Promise<StoreDescription> {
			open();
			const pragma = (name: string): string | number => {
				const value: unknown = db!.pragma(name, { simple: true });
				return typeof value === 'number' ? value : String(value);
			};
			return {
				kind: 'sqlite',
				target: file,
				journalMode: pragma('journal_mode'),
				busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
				// SQLite's own synchronous wait: none (see SQLITE_BUSY_TIMEOUT_MS).
				sqliteBusyTimeoutMs: pragma('busy_timeout'),
				// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
				synchronous: pragma('synchronous'),
			};
		},

		async close() {
			db?.close();
		},
	};
}

/** Creates the vote table and prepares the vote statements once. */
function prepareVotes(db: Database.Database) {
	db.exec(
		`CREATE TABLE IF NOT EXISTS ${VOTES_TABLE} (scene_key TEXT NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (scene_key, emoji, user_id)) WITHOUT ROWID`,
	);
	const add = db.prepare(`INSERT OR IGNORE INTO ${VOTES_TABLE} (scene_key, emoji, user_id) VALUES (?, ?, ?)`);
	const remove = db.prepare(`DELETE FROM ${VOTES_TABLE} WHERE scene_key = ? AND emoji = ? AND user_id = ?`);
	const removeEmoji = db.prepare(`DELETE FROM ${VOTES_TABLE} WHERE scene_key = ? AND emoji = ?`);
	// An exact prefix (substr), not LIKE, whose '_' and '%' would be wildcards.
	const moveRows = db.prepare(
		`INSERT OR IGNORE INTO ${VOTES_TABLE} (scene_key, emoji, user_id)
		SELECT @to || substr(scene_key, length(@from) + 1), emoji, user_id FROM ${VOTES_TABLE} WHERE substr(scene_key, 1, length(@from)) = @from`,
	);
	const dropMoved = db.prepare(`DELETE FROM ${VOTES_TABLE} WHERE substr(scene_key, 1, length(@from)) = @from`);
	return {
		// One transaction per batch: a burst of reactions commits (and syncs) once. Run with
		// .immediate() everywhere, which takes the write lock up front (waiting out the busy timeout),
		// so another process never sees half a batch and the transaction cannot deadlock on upgrade.
		apply: db.transaction((changes: readonly VoteChange[]) => {
			for (const { change, ref, emoji, userId } of changes) (change === 'add' ? add : remove).run(keys.part(ref), emoji, userId);
		}),
		replace: db.transaction((ref: PartRef, emoji: string, userIds: readonly string[]) => {
			const sceneKey = keys.part(ref);
			removeEmoji.run(sceneKey, emoji);
			for (const userId of userIds) add.run(sceneKey, emoji, userId);
		}),
		move: db.transaction((fromPrefix: string, toPrefix: string) => {
			moveRows.run({ from: fromPrefix, to: toPrefix });
			dropMoved.run({ from: fromPrefix });
		}),
		clear: db.prepare(`DELETE FROM ${VOTES_TABLE} WHERE scene_key = ? AND emoji IN (SELECT value FROM json_each(?))`),
		count: db.prepare<[string, string], VoteCountRow>(
			`SELECT scene_key, emoji, COUNT(*) AS votes FROM ${VOTES_TABLE}
			WHERE scene_key IN (SELECT value FROM json_each(?)) AND emoji IN (SELECT value FROM json_each(?))
			GROUP BY scene_key, emoji`,
		),
	};
}

/** Creates the readings table and prepares its statements once. */
function prepareReadings(db: Database.Database) {
	db.exec(
		`CREATE TABLE IF NOT EXISTS ${READINGS_TABLE} (place_key TEXT PRIMARY KEY, guild_id TEXT, version INTEGER NOT NULL, value TEXT NOT NULL);
		CREATE INDEX IF NOT EXISTS ${READINGS_TABLE}_guild ON ${READINGS_TABLE} (guild_id)`,
	);
	return {
		get: db.prepare<[string], StoredReading>(`SELECT version, value FROM ${READINGS_TABLE} WHERE place_key = ?`),
		// One statement: the version check and the write cannot be separated by another connection.
		cas: db.prepare(
			`INSERT INTO ${READINGS_TABLE} (place_key, guild_id, version, value) VALUES (@key, @guild, @next, @value)
			ON CONFLICT(place_key) DO UPDATE SET version = excluded.version, value = excluded.value, guild_id = excluded.guild_id
			WHERE ${READINGS_TABLE}.version = @expected`,
		),
		inGuild: db.prepare<[string], StoredReading>(`SELECT version, value FROM ${READINGS_TABLE} WHERE guild_id = ?`),
		legacy: db.prepare<[{ prefix: string }], string>(`SELECT key FROM ${RECORDS_TABLE} WHERE substr(key, 1, length(@prefix)) = @prefix`).pluck(),
	};
}
