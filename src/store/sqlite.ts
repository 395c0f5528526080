import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import { KeyvSqlite } from '@keyv/sqlite';
import type { SceneRef } from '../store.js';
import { addCount, runsOfSameChange, SerialQueue, type Backend, type StoreDescription, type VoteCounts } from './backend.js';
import { keys, NAMESPACE, RECORDS_TABLE, VOTES_TABLE } from './keys.js';

/** How long a write waits for another process holding the file's write lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 4_000;

type Row = Record<string, unknown>;

/** Three parameters a row; SQLite allows 999 parameters a statement in older builds. */
const SQLITE_ROWS_PER_STATEMENT = 300;

/**
 * SQLite file store. Records go through Keyv; votes are rows of `sfb_votes`, one per
 * (scene, emoji, user), written with INSERT OR IGNORE / DELETE on the adapter's own connection,
 * so adding twice counts once and two processes sharing the file stay exact.
 */
export function openSqliteBackend(file: string): Backend {
	if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
	const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table: RECORDS_TABLE, busyTimeout: SQLITE_BUSY_TIMEOUT_MS });
	const records = new Keyv(adapter, { namespace: NAMESPACE, throwOnErrors: true });
	const query = async (sql: string, ...parameters: unknown[]): Promise<Row[]> => (await adapter.query(sql, ...parameters)) as Row[];
	const queue = new SerialQueue();

	return {
		kind: 'sqlite',
		records,

		async prepare() {
			// WAL lets readers go on while another process writes; NORMAL is durable enough with WAL
			// (a power cut may lose the last commits, never corrupt the file) and skips an fsync per vote.
			await query('PRAGMA journal_mode = WAL');
			await query('PRAGMA synchronous = NORMAL');
			await query(
				`CREATE TABLE IF NOT EXISTS ${VOTES_TABLE} (scene_key TEXT NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (scene_key, emoji, user_id)) WITHOUT ROWID`,
			);
		},

		run: (work) => queue.run(work),

		async applyVotes(changes) {
			// One transaction and one statement per run of adds or removes: a burst commits once.
			await query('BEGIN IMMEDIATE');
			try {
				for (const run of runsOfSameChange(changes, SQLITE_ROWS_PER_STATEMENT)) {
					const rows = run.map(() => '(?, ?, ?)').join(', ');
					const values = run.flatMap(({ ref, emoji, userId }) => [keys.scene(ref), emoji, userId]);
					await query(
						run[0]!.change === 'add'
							? `INSERT OR IGNORE INTO ${VOTES_TABLE} (scene_key, emoji, user_id) VALUES ${rows}`
							: `DELETE FROM ${VOTES_TABLE} WHERE (scene_key, emoji, user_id) IN (VALUES ${rows})`,
						...values,
					);
				}
				await query('COMMIT');
			} catch (error) {
				await query('ROLLBACK').catch(() => undefined);
				throw error;
			}
		},

		async clearVotes(ref, emojis) {
			await query(
				`DELETE FROM ${VOTES_TABLE} WHERE scene_key = ? AND emoji IN (SELECT value FROM json_each(?))`,
				keys.scene(ref),
				JSON.stringify(emojis),
			);
		},

		async replaceVotes(ref, emoji, userIds) {
			// IMMEDIATE takes the write lock up front (waiting out the busy timeout), so another
			// process never sees the scene half replaced and the transaction cannot deadlock on upgrade.
			await query('BEGIN IMMEDIATE');
			try {
				await query(`DELETE FROM ${VOTES_TABLE} WHERE scene_key = ? AND emoji = ?`, keys.scene(ref), emoji);
				await query(
					`INSERT OR IGNORE INTO ${VOTES_TABLE} (scene_key, emoji, user_id) SELECT ?, ?, value FROM json_each(?)`,
					keys.scene(ref),
					emoji,
					JSON.stringify(userIds),
				);
				await query('COMMIT');
			} catch (error) {
				await query('ROLLBACK').catch(() => undefined);
				throw error;
			}
		},

		async countVotes(scenes: readonly SceneRef[], emojis: readonly string[]): Promise<VoteCounts> {
			const rows = await query(
				`SELECT scene_key, emoji, COUNT(*) AS votes FROM ${VOTES_TABLE}
				WHERE scene_key IN (SELECT value FROM json_each(?)) AND emoji IN (SELECT value FROM json_each(?))
				GROUP BY scene_key, emoji`,
				JSON.stringify(scenes.map(keys.scene)),
				JSON.stringify(emojis),
			);
			const counts: VoteCounts = new Map();
			for (const row of rows) addCount(counts, String(row['scene_key']), String(row['emoji']), Number(row['votes']));
			return counts;
		},

		async describe(): Promise<StoreDescription> {
			const pragma = async (name: string): Promise<string | number> => {
				const [row] = await query(`PRAGMA ${name}`);
				const value = row ? Object.values(row)[0] : undefined;
				return typeof value === 'number' ? value : String(value);
			};
			return {
				kind: 'sqlite',
				target: file,
				journalMode: await pragma('journal_mode'),
				busyTimeoutMs: await pragma('busy_timeout'),
				// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
				synchronous: await pragma('synchronous'),
			};
		},

		async close() {
			await adapter.disconnect();
		},
	};
}
