// Backends for the store tests: SQLite always (a temp file per store), Redis and PostgreSQL when
// REDIS_URL / DATABASE_URL point at servers (.ci/run starts throwaway ones: `.ci/services.sh start`).
// Every key and row a test writes carries this run's id, so runs against a shared server never
// meet, and cleanupRun() removes them afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import type { PartRef, ReadingRecord, Store } from '../../src/store.js';

export type BackendName = Store['kind'];

export interface BackendUnderTest {
	name: BackendName;
	/** Why the backend is skipped, or undefined when it runs. */
	skipReason: string | undefined;
	/** A URL for a store: SQLite gets a new temp file per call unless one is given. */
	url(file?: string): string;
}

export const runId = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let counter = 0;
/** A fresh id under this run (guild ids, message ids, story ids). */
export const uniqueId = (label: string): string => `${runId}-${label}-${++counter}`;

const tempDirs: string[] = [];
export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'sfb-store-test-'));
	tempDirs.push(dir);
	return dir;
}

export function sqliteUrl(file = join(tempDir(), 'store.sqlite')): string {
	return `sqlite://${file}`;
}

const redisUrl = process.env['REDIS_URL'] || undefined;
const databaseUrl = process.env['DATABASE_URL'] || undefined;

export const backends: readonly BackendUnderTest[] = [
	{ name: 'sqlite', skipReason: undefined, url: (file) => sqliteUrl(file) },
	{
		name: 'redis',
		skipReason: redisUrl ? undefined : 'REDIS_URL is not set',
		url: () => redisUrl ?? 'redis://unset',
	},
	{
		name: 'postgres',
		skipReason: databaseUrl ? undefined : 'DATABASE_URL is not set',
		url: () => databaseUrl ?? 'postgres://unset',
	},
];

const skipped = backends.filter((backend) => backend.skipReason);
if (skipped.length > 0) {
	console.warn(
		`Store tests skip ${skipped.map((backend) => `${backend.name} (${backend.skipReason})`).join(' and ')}. ` +
			'Start throwaway servers with: eval "$(bash .ci/services.sh start)"',
	);
}

export const redisTarget = redisUrl;
export const postgresTarget = databaseUrl;

/** A reading at scene 2 with no part keys, as schema 2 left it (version 0: the store sets it when saving). */
export function progressRecord(overrides: Partial<ReadingRecord> = {}): ReadingRecord {
	return {
		schema: 3,
		version: 0,
		place: { kind: 'channel', guildId: '111111111111111111', channelId: '222222222222222222' },
		storyId: 'after-the-end',
		channelId: '222222222222222222',
		position: 2,
		titleCardMessageId: '333333333333333333',
		partMessageIds: ['444444444444444444', '555555555555555555'],
		startedBy: '666666666666666666',
		startedAt: '2025-01-02T03:04:05.000Z',
		advancedBy: '777777777777777777',
		advancedAt: '2025-01-02T03:14:05.000Z',
		...overrides,
	};
}

/** The channel place these tests use for an id (the id is both server and channel). */
export const placeFor = (id: string) => ({ kind: 'channel', guildId: id, channelId: id }) as const;

/** Saves `record` as the reading of channel `id`, over whatever version is there. */
export async function saveProgress(store: Store, id: string, record: ReadingRecord): Promise<void> {
	const current = await store.getReading(`channel:${id}`);
	const saved = await store.saveReading({ ...record, place: placeFor(id) }, current?.version ?? 0);
	if (!saved) throw new Error(`another writer saved channel:${id} meanwhile`);
}

/** The reading of channel `id`, place and version as progressRecord() makes them (both have tests of their own). */
export async function getProgress(store: Store, id: string): Promise<ReadingRecord | undefined> {
	const record = await store.getReading(`channel:${id}`);
	return record && { ...record, version: 0, place: progressRecord().place };
}

/** Part `scene` of `storyId` at place `placeKey` (a bare server id is where schema 1 kept votes). */
export function sceneRef(scene = 1, placeKey = uniqueId('guild'), storyId = 'story'): PartRef {
	return { placeKey, storyId, part: scene };
}

/** Resolves or rejects with how long it took, so tests can bound the time to fail. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
	const started = performance.now();
	const [result] = await Promise.allSettled([work()]);
	return { ms: performance.now() - started, result: result as PromiseSettledResult<T> };
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

/** Whether redis-server is installed, for tests that start (and stop, or pause) a server of their own. */
export const redisServerInstalled = spawnSync('redis-server', ['--version']).status === 0;

/** A throwaway redis-server on 127.0.0.1:`port`; `settings` are its command-line options (default: nothing on disk). */
export async function startRedisServer(port: number, settings: readonly string[] = ['--save', '', '--appendonly', 'no']): Promise<ChildProcess> {
	const server = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), ...settings], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise<void>((ready, fail) => {
		server.stdout!.setEncoding('utf8').on('data', (text: string) => text.includes('Ready to accept connections') && ready());
		server.once('exit', (code) => fail(new Error(`redis-server exited (${code})`)));
	});
	return server;
}

/**
 * A TCP relay in front of a real server: `cut()` refuses new connections and drops open ones, as a
 * server going down would; `restore()` listens again on the same port, as the server coming back;
 * `freeze()` is a server that hangs.
 */
export class TcpRelay {
	readonly #targetHost: string;
	readonly #targetPort: number;
	readonly #sockets = new Set<Socket>();
	#server: Server | undefined;
	#frozen = false;
	port = 0;

	constructor(target: string) {
		const { hostname, port } = new URL(target);
		this.#targetHost = hostname;
		this.#targetPort = Number(port);
	}

	/** `target` with host and port replaced by the relay's. */
	urlFor(target: string): string {
		const url = new URL(target);
		url.hostname = '127.0.0.1';
		url.port = String(this.port);
		return url.toString();
	}

	async start(): Promise<this> {
		const server = createServer((incoming) => {
			const outgoing = connect(this.#targetPort, this.#targetHost);
			for (const socket of [incoming, outgoing]) {
				this.#sockets.add(socket);
				socket.on('close', () => this.#sockets.delete(socket));
				socket.on('error', () => undefined);
			}
			// Bytes are dropped while frozen: a server that hangs with its connections open.
			incoming.on('data', (chunk) => this.#frozen || outgoing.write(chunk));
			outgoing.on('data', (chunk) => this.#frozen || incoming.write(chunk));
			incoming.on('end', () => outgoing.end());
			outgoing.on('end', () => incoming.end());
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		const address = server.address();
		if (address !== null && typeof address !== 'string') this.port = address.port;
		this.#server = server;
		return this;
	}

	async cut(): Promise<void> {
		const server = this.#server;
		this.#server = undefined;
		for (const socket of this.#sockets) socket.destroy();
		if (server) await new Promise((resolve) => server.close(resolve));
	}

	/** Keeps every connection open but passes nothing through either way, until `cut()`. */
	freeze(): void {
		this.#frozen = true;
	}

	async restore(): Promise<void> {
		this.#frozen = false;
		await this.start();
	}
}

/** Removes this run's keys and rows from the shared servers, and the SQLite temp folders. */
export async function cleanupRun(): Promise<void> {
	for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	if (redisUrl) {
		const client = createClient({ url: redisUrl });
		await client.connect();
		const doomed: string[] = [];
		for await (const batch of client.scanIterator({ MATCH: `*${runId}*`, COUNT: 1000 })) doomed.push(...batch);
		if (doomed.length > 0) await client.del(doomed);
		await client.close();
	}
	if (databaseUrl) {
		const pool = postgresPool(databaseUrl);
		try {
			await pool.query('DELETE FROM sfb_records WHERE key LIKE $1', [`%${runId}%`]);
			await pool.query('DELETE FROM sfb_votes WHERE scene_key LIKE $1', [`%${runId}%`]);
			await pool.query('DELETE FROM sfb_readings WHERE place_key LIKE $1', [`%${runId}%`]);
		} finally {
			await pool.end();
		}
	}
}

/** All keys the Redis server holds for this run (for checking the prefix). */
export async function redisKeysMatching(pattern: string): Promise<string[]> {
	if (!redisUrl) throw new Error('REDIS_URL is not set');
	const client = createClient({ url: redisUrl });
	await client.connect();
	try {
		return await client.keys(pattern);
	} finally {
		await client.close();
	}
}

interface PgPool {
	query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
	end(): Promise<void>;
}

/** A separate pg pool for checks and cleanup (pg has no types installed; see src/store/postgres.ts). */
export function postgresPool(url: string): PgPool {
	const pg = createRequire(import.meta.url)('pg') as { Pool: new (config: object) => PgPool };
	return new pg.Pool({ connectionString: url, max: 2 });
}
