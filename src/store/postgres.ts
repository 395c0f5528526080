import Keyv from 'keyv';
import { KeyvPostgres } from '@keyv/postgres';
import pg from 'pg';
import { addCount, runsOfSameChange, type Backend, type StoreDescription, type VoteCounts } from './backend.js';
import { keys, NAMESPACE, READINGS_TABLE, RECORDS_TABLE, VOTES_TABLE } from './keys.js';
import type { PartRef, StoredReading } from './types.js';

/** A new connection gives up after this long (server down, or the pool busy that long). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 3_000;
/** A query gives up after this long: the client drops the connection, the server cancels it. */
export const POSTGRES_QUERY_TIMEOUT_MS = 4_000;

type PgPool = pg.Pool;

/**
 * KeyvPostgres on a pool this store owns. The stock adapter keeps ONE module-wide pool per URL,
 * ends whichever pool was opened last on disconnect, and never listens for the pool's 'error'
 * event, so a server restart (which kills idle connections) would crash the process.
 */
class OwnPoolKeyvPostgres extends KeyvPostgres {
	// Called from the base constructor, after it stored the options (which carry our pool).
	override async connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
		const pool = (this.opts as { pool: PgPool }).pool;
		return async (sql, values) => (await pool.query(sql, values as unknown[] | undefined)).rows;
	}

	override async disconnect(): Promise<void> {
		await (this.opts as { pool: PgPool }).pool.end();
	}
}

/**
 * PostgreSQL store. Records go through Keyv; votes are rows of `sfb_votes`, one per
 * (scene, emoji, user), written with INSERT ... ON CONFLICT DO NOTHING / DELETE on the same pool,
 * so replays count once and several bot processes stay exact.
 */
export function openPostgresBackend(url: string): Backend {
	const pool = new pg.Pool({
		connectionString: url,
		max: 10,
		connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
		query_timeout: POSTGRES_QUERY_TIMEOUT_MS,
		statement_timeout: POSTGRES_QUERY_TIMEOUT_MS,
		keepAlive: true,
		application_name: 'serial-fiction-bot',
	});
	// A connection that dies while idle (server restart, network cut) is already dropped from the
	// pool when this fires; the next query opens a new one. Without a listener, Node would crash.
	pool.on('error', () => undefined);
	const adapter = new OwnPoolKeyvPostgres({ uri: url, table: RECORDS_TABLE, pool } as ConstructorParameters<typeof KeyvPostgres>[0]);
	const records = new Keyv(adapter, { namespace: NAMESPACE, throwOnErrors: true });
	const query = async (sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]> => (await pool.query<Record<string, unknown>>(sql, values ? [...values] : undefined)).rows;

	return {
		kind: 'postgres',
		records,

		async prepare() {
			// One simple-protocol query runs as one implicit transaction: the advisory lock makes two
			// processes starting together create the tables one after the other (CREATE TABLE IF NOT
			// EXISTS alone can fail with a unique violation when two race), and is released at its end.
			const createTables = `SELECT pg_advisory_xact_lock(hashtext('serial-fiction-bot schema'));
				CREATE TABLE IF NOT EXISTS public.${RECORDS_TABLE} (key VARCHAR(255) PRIMARY KEY, value TEXT);
				CREATE TABLE IF NOT EXISTS public.${VOTES_TABLE} (scene_key TEXT NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (scene_key, emoji, user_id));
				CREATE TABLE IF NOT EXISTS public.${READINGS_TABLE} (place_key TEXT PRIMARY KEY, guild_id TEXT, version INTEGER NOT NULL, value TEXT NOT NULL);
				CREATE INDEX IF NOT EXISTS ${READINGS_TABLE}_guild ON public.${READINGS_TABLE} (guild_id)`;
			try {
				await query(createTables);
			} catch (error) {
				// The adapter's own unlocked CREATE (from its constructor) may still race ours once.
				if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P07') throw error;
				await query(createTables);
			}
		},

		async applyVotes(changes) {
			// One statement per run of adds or removes, in order; each statement is atomic on its own.
			for (const run of runsOfSameChange(changes, Number.POSITIVE_INFINITY)) {
				const columns = [run.map(({ ref }) => keys.part(ref)), run.map(({ emoji }) => emoji), run.map(({ userId }) => userId)];
				await query(
					run[0]!.change === 'add'
						? `INSERT INTO public.${VOTES_TABLE} (scene_key, emoji, user_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`
						: `DELETE FROM public.${VOTES_TABLE} WHERE (scene_key, emoji, user_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
					columns,
				);
			}
		},

		async clearVotes(ref, emojis) {
			await query(`DELETE FROM public.${VOTES_TABLE} WHERE scene_key = $1 AND emoji = ANY($2::text[])`, [keys.part(ref), emojis]);
		},

		async replaceVotes(ref, emoji, userIds) {
			// One statement is one transaction: nobody sees the scene half replaced, and it needs no
			// dedicated connection. Votes still wanted are kept rather than deleted and re-added.
			await query(
				`WITH wanted AS (SELECT DISTINCT unnest($3::text[]) AS user_id),
				dropped AS (DELETE FROM public.${VOTES_TABLE} WHERE scene_key = $1 AND emoji = $2 AND user_id <> ALL($3::text[]))
				INSERT INTO public.${VOTES_TABLE} (scene_key, emoji, user_id) SELECT $1, $2, user_id FROM wanted ON CONFLICT DO NOTHING`,
				[keys.part(ref), emoji, userIds],
			);
		},

		async moveVotes(fromPrefix, toPrefix) {
			// One statement is one transaction; left(), not LIKE, whose '_' and '%' would be wildcards.
			await query(
				`WITH moved AS (DELETE FROM public.${VOTES_TABLE} WHERE left(scene_key, length($1)) = $1 RETURNING scene_key, emoji, user_id)
				INSERT INTO public.${VOTES_TABLE} (scene_key, emoji, user_id) SELECT $2 || substr(scene_key, length($1) + 1), emoji, user_id FROM moved ON CONFLICT DO NOTHING`,
				[fromPrefix, toPrefix],
			);
		},

		async getReading(placeKey) {
			const [row] = await query(`SELECT version, value FROM public.${READINGS_TABLE} WHERE place_key = $1`, [placeKey]);
			return row ? storedReading(row) : undefined;
		},

		async casReading(placeKey, guildId, expected, value) {
			// One statement: the version check and the write are atomic (the row is locked by the upsert).
			const rows = await query(
				`INSERT INTO public.${READINGS_TABLE} (place_key, guild_id, version, value) VALUES ($1, $2, $3 + 1, $4)
				ON CONFLICT (place_key) DO UPDATE SET version = excluded.version, value = excluded.value, guild_id = excluded.guild_id
				WHERE ${READINGS_TABLE}.version = $3 RETURNING version`,
				[placeKey, guildId ?? null, expected, value],
			);
			return rows.length === 1;
		},

		async readingsIn(guildId) {
			return (await query(`SELECT version, value FROM public.${READINGS_TABLE} WHERE guild_id = $1`, [guildId])).map(storedReading);
		},

		async legacyProgressKeys() {
			const prefix = `${NAMESPACE}:${keys.progressV1Prefix}`;
			const rows = await query(`SELECT key FROM public.${RECORDS_TABLE} WHERE left(key, length($1)) = $1`, [prefix]);
			return rows.map((row) => String(row['key']).slice(NAMESPACE.length + 1));
		},

		async countVotes(scenes: readonly PartRef[], emojis: readonly string[]): Promise<VoteCounts> {
			const rows = await query(
				`SELECT scene_key, emoji, COUNT(*)::int AS votes FROM public.${VOTES_TABLE}
				WHERE scene_key = ANY($1::text[]) AND emoji = ANY($2::text[])
				GROUP BY scene_key, emoji`,
				[scenes.map(keys.part), emojis],
			);
			const counts: VoteCounts = new Map();
			for (const row of rows) addCount(counts, String(row['scene_key']), String(row['emoji']), Number(row['votes']));
			return counts;
		},

		async describe(): Promise<StoreDescription> {
			const [row] = await query('SELECT current_database() AS database, current_setting(\'server_version\') AS version');
			const { hostname, port } = new URL(url);
			return {
				kind: 'postgres',
				target: `${hostname}:${port || 5432}/${String(row?.['database'])}`,
				serverVersion: String(row?.['version']),
				recordsTable: RECORDS_TABLE,
				votesTable: VOTES_TABLE,
			};
		},

		async close() {
			await adapter.disconnect();
		},
	};
}

function storedReading(row: Record<string, unknown>): StoredReading {
	return { version: Number(row['version']), value: String(row['value']) };
}
