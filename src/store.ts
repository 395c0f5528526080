// The one storage module. Commands and handlers call these named functions; nothing else in the
// bot imports keyv or an adapter. Backends live in src/store/ (sqlite.ts, redis.ts, postgres.ts);
// this file holds the contract and what every backend shares.
import type { Backend, StoreDescription, VoteChange } from './store/backend.js';
import { keys } from './store/keys.js';

export type { StoreDescription } from './store/backend.js';

/** One reading per server. Stored as plain JSON; `schema` lets later versions migrate it. */
export interface ProgressRecord {
	schema: 1;
	storyId: string;
	/** Channel the reading is posted in. */
	channelId: string;
	/** Scenes posted so far: 0 = title card only, n = scene n is the newest, scenes + 1 = end card posted. */
	position: number;
	titleCardMessageId: string;
	/** Last message id of each posted scene, index = scene number - 1. */
	sceneMessageIds: string[];
	endCardMessageId?: string;
	startedBy: string;
	startedAt: string; // ISO 8601
	advancedBy: string;
	advancedAt: string; // ISO 8601
}

/** Which scene of which reading a posted message belongs to (for reactions). */
export interface SceneRef {
	guildId: string;
	storyId: string;
	scene: number;
}

/** Thrown (never returned as "empty") when the backing store cannot be reached. */
export class StoreUnavailableError extends Error {
	override name = 'StoreUnavailableError';
}

export interface Store {
	readonly kind: 'sqlite' | 'redis' | 'postgres';
	getProgress(guildId: string): Promise<ProgressRecord | undefined>;
	saveProgress(guildId: string, record: ProgressRecord): Promise<void>;
	/** Remember that `messageId` is the (last) message of a scene, so reactions on it count. */
	indexSceneMessage(messageId: string, ref: SceneRef): Promise<void>;
	sceneForMessage(messageId: string): Promise<SceneRef | undefined>;
	/** One vote per user per emoji; adding twice counts once, removing an absent vote is a no-op. */
	addVote(ref: SceneRef, emoji: string, userId: string): Promise<void>;
	removeVote(ref: SceneRef, emoji: string, userId: string): Promise<void>;
	/** Remove every vote on a scene for the given emoji (REMOVE_EMOJI), or all of `emojis` (REMOVE_ALL). */
	clearVotes(ref: SceneRef, emojis: readonly string[]): Promise<void>;
	/** Make the stored voters of (scene, emoji) exactly `userIds` (reconciliation from Discord). */
	replaceVotes(ref: SceneRef, emoji: string, userIds: readonly string[]): Promise<void>;
	/** Exact counts: result[sceneIndex][emojiIndex] for scenes 1..sceneCount. */
	countVotes(guildId: string, storyId: string, sceneCount: number, emojis: readonly string[]): Promise<number[][]>;
	close(): Promise<void>;
}

/** A stored record this build cannot read: written by a newer bot, or damaged. Not an outage. */
export class UnreadableRecordError extends Error {
	override name = 'UnreadableRecordError';
}

/** The progress schema this build writes; `migrateProgress` reads this one and every older one. */
export const PROGRESS_SCHEMA = 1;

/** Where the store lives when KEYV_URL is unset. */
export const DEFAULT_SQLITE_FILE = 'data/serial-fiction-bot.sqlite';

/**
 * Every operation gives up after this long with StoreUnavailableError, whatever the backend. The
 * backends' own timeouts (connect 3 s, PostgreSQL query 4 s, SQLite lock wait 1 s) come first;
 * this also bounds what they do not cover, such as a Redis server that stops answering.
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;
type VoteWork = VoteChange | { action: string; run: () => Promise<void> };
interface PendingVoteWork {
	work: VoteWork;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/** Upper bound on one vote batch, so one write never holds the store for long. */
const MAX_VOTES_PER_BATCH = 2_000;

export interface OpenStoreOptions {
	/** Deadline for each operation (default DEFAULT_OPERATION_TIMEOUT_MS). */
	operationTimeoutMs?: number;
	/**
	 * Background errors the backend reports besides the failing call itself (a Redis reconnect
	 * attempt, a dropped idle PostgreSQL connection). Each failing call also rejects on its own.
	 */
	onBackgroundError?: (error: unknown) => void;
	/** The connection came back after it was lost (Redis reports this; SQLite never loses it, PostgreSQL reconnects per query). */
	onReconnected?: () => void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns a stored progress value into the current ProgressRecord. Each older schema gets one case
 * that upgrades it; a newer schema is refused rather than half understood.
 */
export function migrateProgress(raw: unknown): ProgressRecord {
	if (!isObject(raw)) throw new UnreadableRecordError(`Stored progress is not an object (got ${JSON.stringify(raw)})`);
	switch (raw['schema']) {
		case 1:
			return checkProgressV1(raw);
		// case 2: when it comes, convert a schema-1 record here and bump PROGRESS_SCHEMA.
		default:
			throw new UnreadableRecordError(
				`Stored progress has schema ${JSON.stringify(raw['schema'])}; this build reads schema ${PROGRESS_SCHEMA} and older. ` +
					'Was it written by a newer version of the bot?',
			);
	}
}

function checkProgressV1(raw: Record<string, unknown>): ProgressRecord {
	const strings = ['storyId', 'channelId', 'titleCardMessageId', 'startedBy', 'startedAt', 'advancedBy', 'advancedAt'] as const;
	const wrong = strings.filter((field) => typeof raw[field] !== 'string');
	if (!Number.isInteger(raw['position'])) wrong.push('position' as never);
	const ids = raw['sceneMessageIds'];
	if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) wrong.push('sceneMessageIds' as never);
	if (raw['endCardMessageId'] !== undefined && typeof raw['endCardMessageId'] !== 'string') wrong.push('endCardMessageId' as never);
	if (wrong.length > 0) throw new UnreadableRecordError(`Stored progress (schema 1) has missing or wrong fields: ${wrong.join(', ')}`);
	return raw as unknown as ProgressRecord;
}

/** What `indexSceneMessage` stores: the SceneRef, versioned like progress. */
interface SceneMessageRecord extends SceneRef {
	schema: 1;
}

function readSceneMessage(raw: unknown): SceneRef {
	if (!isObject(raw) || raw['schema'] !== 1) {
		throw new UnreadableRecordError(`Stored scene message index has an unknown shape or schema: ${JSON.stringify(raw)}`);
	}
	const { guildId, storyId, scene } = raw;
	if (typeof guildId !== 'string' || typeof storyId !== 'string' || !Number.isInteger(scene)) {
		throw new UnreadableRecordError(`Stored scene message index is missing guildId, storyId or scene: ${JSON.stringify(raw)}`);
	}
	return { guildId, storyId, scene: scene as number };
}

function checkSceneRef(ref: SceneRef): void {
	if (!Number.isInteger(ref.scene) || ref.scene < 1) throw new RangeError(`Scene numbers start at 1 (got ${ref.scene})`);
}

const ACCEPTED_SCHEMES = 'sqlite://PATH, redis://, rediss://, postgres:// or postgresql://';

/** Which backend a KEYV_URL names; throws a one-line Error for anything else. */
export function parseStoreUrl(url: string | undefined): { kind: Store['kind']; target: string } {
	if (url === undefined || url.trim() === '') return { kind: 'sqlite', target: DEFAULT_SQLITE_FILE };
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
	switch (scheme) {
		case 'sqlite': {
			const file = url.slice('sqlite://'.length);
			if (file === '') throw new Error(`KEYV_URL sqlite:// needs a file path, e.g. sqlite://${DEFAULT_SQLITE_FILE}`);
			return { kind: 'sqlite', target: file };
		}
		case 'redis':
		case 'rediss':
			return { kind: 'redis', target: url };
		case 'postgres':
		case 'postgresql':
			return { kind: 'postgres', target: url };
		default:
			// Only the scheme is echoed: the rest of a URL may hold a password.
			throw new Error(`KEYV_URL has unsupported scheme ${scheme ? `"${scheme}://"` : '(none)'}; use ${ACCEPTED_SCHEMES}, or leave it unset for ${DEFAULT_SQLITE_FILE}`);
	}
}

/**
 * Opens the store KEYV_URL names (see parseStoreUrl). SQLite is opened and prepared here, so a bad
 * path fails now. Redis and PostgreSQL connect on first use, so a bot started during an outage
 * still starts: each operation then rejects with StoreUnavailableError until the server is back.
 */
export async function openStore(url: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
	const { kind, target } = parseStoreUrl(url);
	const backend =
		kind === 'sqlite'
			? (await import('./store/sqlite.js')).openSqliteBackend(target)
			: kind === 'redis'
				? (await import('./store/redis.js')).openRedisBackend(target, options.onReconnected)
				: (await import('./store/postgres.js')).openPostgresBackend(target);
	const store = new KeyvStore(backend, options);
	if (kind === 'sqlite') {
		try {
			await store.ready();
		} catch (error) {
			await store.close().catch(() => undefined);
			throw error;
		}
	}
	return store;
}

/** What a store is: backend, target without credentials, and backend details (for logs and tests). */
export async function describeStore(store: Store): Promise<StoreDescription> {
	if (!(store instanceof KeyvStore)) throw new TypeError('describeStore needs a store made by openStore');
	return store.describe();
}

/** The common half of every backend: deadlines, error wrapping, schema checks, idempotent close. */
class KeyvStore implements Store {
	readonly kind: Store['kind'];
	readonly #backend: Backend;
	readonly #timeoutMs: number;
	#prepared: Promise<void> | undefined;
	#closed: Promise<void> | undefined;
	readonly #inFlight = new Set<Promise<unknown>>();
	readonly #pendingVotes: PendingVoteWork[] = [];
	#votesFlushed: Promise<void> | undefined;

	constructor(backend: Backend, options: OpenStoreOptions) {
		this.kind = backend.kind;
		this.#backend = backend;
		this.#timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
		// Keyv also reports failures as 'error' events; the calls themselves throw (throwOnErrors),
		// so the events only go to whoever asked for them.
		const onBackgroundError = options.onBackgroundError ?? (() => undefined);
		backend.records.on('error', onBackgroundError);
	}

	ready(): Promise<void> {
		return this.#guard('prepare the store', async () => undefined);
	}

	async getProgress(guildId: string): Promise<ProgressRecord | undefined> {
		const raw = await this.#guard('read progress', () => this.#backend.records.get(keys.progress(guildId)));
		return raw === undefined ? undefined : migrateProgress(raw);
	}

	async saveProgress(guildId: string, record: ProgressRecord): Promise<void> {
		await this.#guard('save progress', () => this.#set(keys.progress(guildId), record));
	}

	async indexSceneMessage(messageId: string, ref: SceneRef): Promise<void> {
		checkSceneRef(ref);
		const record: SceneMessageRecord = { schema: 1, guildId: ref.guildId, storyId: ref.storyId, scene: ref.scene };
		await this.#guard('index a scene message', () => this.#set(keys.sceneMessage(messageId), record));
	}

	async sceneForMessage(messageId: string): Promise<SceneRef | undefined> {
		const raw = await this.#guard('look up a scene message', () => this.#backend.records.get(keys.sceneMessage(messageId)));
		return raw === undefined ? undefined : readSceneMessage(raw);
	}

	addVote(ref: SceneRef, emoji: string, userId: string): Promise<void> {
		checkSceneRef(ref);
		return this.#queueVoteWork({ change: 'add', ref, emoji, userId });
	}

	removeVote(ref: SceneRef, emoji: string, userId: string): Promise<void> {
		checkSceneRef(ref);
		return this.#queueVoteWork({ change: 'remove', ref, emoji, userId });
	}

	/**
	 * Every change to votes goes through one ordered queue. Votes that arrive while a batch is being
	 * written go out together in the next one (group commit); a clear or a replace runs alone, in
	 * its place, so a vote cast before "remove all reactions" can never land after it.
	 */
	async #queueVoteWork(work: VoteWork): Promise<void> {
		if (this.#closed) throw new Error(`The ${this.kind} store is closed; cannot change votes`);
		const settled = new Promise<void>((resolve, reject) => this.#pendingVotes.push({ work, resolve, reject }));
		this.#votesFlushed ??= this.#flushVotes();
		return settled;
	}

	async #flushVotes(): Promise<void> {
		// Let the events already on the way join the first batch.
		await new Promise((resolve) => setImmediate(resolve));
		for (;;) {
			if (this.#pendingVotes.length === 0) {
				// Cleared in the same tick as the emptiness check: work queued from now on starts a new flush.
				this.#votesFlushed = undefined;
				return;
			}
			const first = this.#pendingVotes[0]!.work;
			let batch: PendingVoteWork[];
			let write: () => Promise<void>;
			let action: string;
			if ('change' in first) {
				const barrier = this.#pendingVotes.findIndex((item) => !('change' in item.work));
				batch = this.#pendingVotes.splice(0, Math.min(barrier === -1 ? Infinity : barrier, MAX_VOTES_PER_BATCH));
				const changes = batch.map(({ work }) => work as VoteChange);
				write = () => this.#backend.applyVotes(changes);
				action = 'record votes';
			} else {
				batch = this.#pendingVotes.splice(0, 1);
				write = first.run;
				action = first.action;
			}
			try {
				// Accepted before close(), so still written: close waits for this loop.
				await this.#guard(action, write, true);
				for (const { resolve } of batch) resolve();
			} catch (error) {
				// The store is down: everything waiting would meet the same fate one deadline at a
				// time, so it all fails now (the callers say "try again"; reactions are reconciled).
				const failed = error instanceof StoreUnavailableError ? [...batch, ...this.#pendingVotes.splice(0)] : batch;
				for (const { reject } of failed) reject(error);
			}
		}
	}

	async clearVotes(ref: SceneRef, emojis: readonly string[]): Promise<void> {
		checkSceneRef(ref);
		if (emojis.length === 0) return;
		await this.#queueVoteWork({ action: 'clear votes', run: () => this.#backend.clearVotes(ref, [...new Set(emojis)]) });
	}

	async replaceVotes(ref: SceneRef, emoji: string, userIds: readonly string[]): Promise<void> {
		checkSceneRef(ref);
		await this.#queueVoteWork({ action: 'replace votes', run: () => this.#backend.replaceVotes(ref, emoji, [...new Set(userIds)]) });
	}

	async countVotes(guildId: string, storyId: string, sceneCount: number, emojis: readonly string[]): Promise<number[][]> {
		if (!Number.isInteger(sceneCount) || sceneCount < 0) throw new RangeError(`sceneCount must be a whole number >= 0 (got ${sceneCount})`);
		const scenes = Array.from({ length: sceneCount }, (_, index): SceneRef => ({ guildId, storyId, scene: index + 1 }));
		if (scenes.length === 0) return [];
		if (emojis.length === 0) return scenes.map(() => []);
		const counts = await this.#guard('count votes', () => this.#backend.countVotes(scenes, [...new Set(emojis)]));
		return scenes.map((ref) => {
			const byEmoji = counts.get(keys.scene(ref));
			return emojis.map((emoji) => byEmoji?.get(emoji) ?? 0);
		});
	}

	describe(): Promise<StoreDescription> {
		return this.#guard('describe the store', () => this.#backend.describe());
	}

	close(): Promise<void> {
		// Operations already started finish (or meet their deadline) first, so close never cuts a
		// write or a transaction in half; new ones are refused from now on.
		const started = [...this.#inFlight, ...(this.#votesFlushed ? [this.#votesFlushed] : [])];
		this.#closed ??= Promise.allSettled(started)
			.then(() => this.#backend.close())
			.catch((error: unknown) => {
				throw new StoreUnavailableError(`Closing the ${this.kind} store failed: ${messageOf(error)}`, { cause: error });
			});
		return this.#closed;
	}

	async #set(key: string, value: unknown): Promise<void> {
		// With throwOnErrors Keyv throws on failure; `false` without a throw is a failure all the same.
		if (!(await this.#backend.records.set(key, value))) throw new Error(`the ${this.kind} store did not confirm the write`);
	}

	/** Prepares the backend once (again after a failure), then runs `work` against a deadline. */
	async #guard<T>(action: string, work: () => Promise<T>, evenWhileClosing = false): Promise<T> {
		if (this.#closed && !evenWhileClosing) throw new Error(`The ${this.kind} store is closed; cannot ${action}`);
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new StoreUnavailableError(`The ${this.kind} store did not ${action} within ${this.#timeoutMs} ms`)),
				this.#timeoutMs,
			);
		});
		try {
			const run = this.#prepare().then(work);
			const settled = Promise.race([run, deadline]);
			this.#inFlight.add(settled);
			settled.then(
				() => this.#inFlight.delete(settled),
				() => this.#inFlight.delete(settled),
			);
			return await settled;
		} catch (error) {
			if (error instanceof StoreUnavailableError) throw error;
			throw new StoreUnavailableError(`The ${this.kind} store could not ${action}: ${messageOf(error)}`, { cause: error });
		} finally {
			clearTimeout(timer);
		}
	}

	#prepare(): Promise<void> {
		this.#prepared ??= this.#backend.prepare().catch((error: unknown) => {
			this.#prepared = undefined;
			throw error;
		});
		return this.#prepared;
	}
}

function messageOf(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
	if (error instanceof Error) return error.message || error.name;
	return String(error);
}
