// The one storage module. Commands and handlers call these named functions; nothing else in the
// bot imports keyv or an adapter. Backends live in src/store/ (one file each, listed in
// registry.ts); records and their schemas in records.ts; the vote queue in vote-queue.ts.
import { placeKey } from './reading/place.js';
import type { Backend, StoreDescription } from './store/backend.js';
import { keys } from './store/keys.js';
import { migrateV1, migrateV2, readLegacyPartKeys } from './store/migrate.js';
import { partMessageRecord, readPartMessage, readReading, type ReadingRecord } from './store/records.js';
import { openBackend, parseStoreUrl } from './store/registry.js';
import { StoreUnavailableError, type PartRef, type StoreKind } from './store/types.js';
import { VoteQueue } from './store/vote-queue.js';

export type { StoreDescription } from './store/backend.js';
export { READING_SCHEMA, type ReadingRecord } from './store/records.js';
export { DEFAULT_SQLITE_FILE, parseStoreUrl } from './store/registry.js';
export { StoreUnavailableError, UnreadableRecordError, type PartRef, type StoreKind } from './store/types.js';

export interface Store {
	readonly kind: StoreKind;
	/** The reading at a place (`placeKey(place)`), with the version it was saved with. */
	getReading(placeKey: string): Promise<ReadingRecord | undefined>;
	/**
	 * Saves a reading if nobody saved it since `expectedVersion` was read (0: no reading there yet).
	 * Atomic in the backend, so two processes never both succeed from one version.
	 * @returns the record as saved (version `expectedVersion + 1`), or undefined when another
	 *   writer got there first. Throws StoreUnavailableError when the store cannot write.
	 */
	saveReading(record: ReadingRecord, expectedVersion: number): Promise<ReadingRecord | undefined>;
	/** Every reading in a server's channels and threads, in no particular order. */
	readingsIn(guildId: string): Promise<ReadingRecord[]>;
	/** Remember that `messageId` is a message of a part, so reactions on it count. */
	indexPartMessage(messageId: string, ref: PartRef): Promise<void>;
	partForMessage(messageId: string): Promise<PartRef | undefined>;
	/** One vote per user per emoji; adding twice counts once, removing an absent vote is a no-op. */
	addVote(ref: PartRef, emoji: string, userId: string): Promise<void>;
	removeVote(ref: PartRef, emoji: string, userId: string): Promise<void>;
	/** Remove every vote on a part for the given emoji (REMOVE_EMOJI), or all of `emojis` (REMOVE_ALL). */
	clearVotes(ref: PartRef, emojis: readonly string[]): Promise<void>;
	/** Make the stored voters of (part, emoji) exactly `userIds` (reconciliation from Discord). */
	replaceVotes(ref: PartRef, emoji: string, userIds: readonly string[]): Promise<void>;
	/**
	 * Exact counts: result[i][emojiIndex] for the part of `storyId` whose stable key is `partKeys[i]`
	 * (src/story/keys.ts), summed over the readings at `placeKeys` (one place for a reading's tally,
	 * every place of a server for its total). Votes filed by schema 2 under part numbers count for
	 * the part that number meant when the store moved to schema 3 (legacyPartKeys). A number
	 * `partCount` instead counts only votes filed by number, for parts 1..partCount (as schema 2 did).
	 */
	countVotes(placeKeys: readonly string[], storyId: string, partKeys: readonly string[] | number, emojis: readonly string[]): Promise<number[][]>;
	/**
	 * What schema 2's part numbers of `storyId` mean: its part keys in part order as they were when
	 * this store moved to schema 3 (index = number - 1); undefined for a story not loaded then.
	 */
	legacyPartKeys(storyId: string): Promise<readonly string[] | undefined>;
	close(): Promise<void>;
}

/**
 * Every operation gives up after this long with StoreUnavailableError, whatever the backend. The
 * backends' own timeouts (connect 3 s, PostgreSQL query 4 s, SQLite lock wait 1 s) come first;
 * this also bounds what they do not cover, such as a Redis server that stops answering.
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

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
	/** Schema-1 readings were moved to schema 2 on first use (count), or one could not be read (key, error). */
	onMigrated?: (event: { migrated: number } | { skipped: string; error: unknown }) => void;
	/**
	 * The loaded stories' part keys in part order, by story id: schema 3's migration notes them once,
	 * on the store's first use, as what schema 2's part numbers meant (see Store.legacyPartKeys).
	 * Without it that migration waits for a start that gives it.
	 */
	partKeys?: () => ReadonlyMap<string, readonly string[]>;
}

function checkPartRef(ref: PartRef): void {
	if (!Number.isInteger(ref.part) || ref.part < 1) throw new RangeError(`Part numbers start at 1 (got ${ref.part})`);
}

/**
 * Opens the store KEYV_URL names (see parseStoreUrl). SQLite is opened and prepared here, so a bad
 * path fails now. Redis and PostgreSQL connect on first use, so a bot started during an outage
 * still starts: each operation then rejects with StoreUnavailableError until the server is back.
 * A store written by schema 1 is migrated before its first operation (see src/store/migrate.ts).
 */
export async function openStore(url: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
	const { kind, target } = parseStoreUrl(url);
	const backend = await openBackend(kind, target, { onReconnected: options.onReconnected });
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

/** The common half of every backend: deadlines, error wrapping, schema checks, migration, idempotent close. */
class KeyvStore implements Store {
	readonly kind: StoreKind;
	readonly #backend: Backend;
	readonly #timeoutMs: number;
	readonly #options: OpenStoreOptions;
	#prepared: Promise<void> | undefined;
	#closed: Promise<void> | undefined;
	readonly #inFlight = new Set<Promise<unknown>>();
	readonly #votes: VoteQueue;
	/** legacyPartKeys answers: written once by the migration, so they never change. */
	readonly #legacyKeys = new Map<string, Promise<readonly string[] | undefined>>();

	constructor(backend: Backend, options: OpenStoreOptions) {
		this.kind = backend.kind;
		this.#backend = backend;
		this.#options = options;
		this.#timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
		// Keyv also reports failures as 'error' events; the calls themselves throw (throwOnErrors),
		// so the events only go to whoever asked for them.
		const onBackgroundError = options.onBackgroundError ?? (() => undefined);
		backend.records.on('error', onBackgroundError);
		// Accepted before close(), so still written: close waits for the flush.
		this.#votes = new VoteQueue((action, run) =>
			this.#guard(action, typeof run === 'function' ? run : () => this.#backend.applyVotes(run), true),
		);
	}

	ready(): Promise<void> {
		return this.#guard('prepare the store', async () => undefined);
	}

	async getReading(key: string): Promise<ReadingRecord | undefined> {
		const stored = await this.#guard('read a reading', () => this.#backend.getReading(key));
		return stored === undefined ? undefined : readReading(stored.value, stored.version);
	}

	async saveReading(record: ReadingRecord, expectedVersion: number): Promise<ReadingRecord | undefined> {
		const { version: _version, ...stored } = record;
		const guildId = record.place.kind === 'channel' ? record.place.guildId : undefined;
		const saved = await this.#guard('save a reading', () => this.#backend.casReading(placeKey(record.place), guildId, expectedVersion, JSON.stringify(stored)));
		return saved ? { ...record, version: expectedVersion + 1 } : undefined;
	}

	async readingsIn(guildId: string): Promise<ReadingRecord[]> {
		const rows = await this.#guard("list a server's readings", () => this.#backend.readingsIn(guildId));
		return rows.map((row) => readReading(row.value, row.version));
	}

	async indexPartMessage(messageId: string, ref: PartRef): Promise<void> {
		checkPartRef(ref);
		await this.#guard('index a part message', () => this.#set(keys.partMessage(messageId), partMessageRecord(ref)));
	}

	async partForMessage(messageId: string): Promise<PartRef | undefined> {
		const raw = await this.#guard('look up a part message', () => this.#backend.records.get(keys.partMessage(messageId)));
		return raw === undefined ? undefined : readPartMessage(raw);
	}

	addVote(ref: PartRef, emoji: string, userId: string): Promise<void> {
		checkPartRef(ref);
		return this.#queueVoteWork({ change: 'add', ref, emoji, userId });
	}

	removeVote(ref: PartRef, emoji: string, userId: string): Promise<void> {
		checkPartRef(ref);
		return this.#queueVoteWork({ change: 'remove', ref, emoji, userId });
	}

	async #queueVoteWork(work: Parameters<VoteQueue['push']>[0]): Promise<void> {
		if (this.#closed) throw new Error(`The ${this.kind} store is closed; cannot change votes`);
		return this.#votes.push(work);
	}

	async clearVotes(ref: PartRef, emojis: readonly string[]): Promise<void> {
		checkPartRef(ref);
		if (emojis.length === 0) return;
		await this.#queueVoteWork({ action: 'clear votes', run: () => this.#backend.clearVotes(ref, [...new Set(emojis)]) });
	}

	async replaceVotes(ref: PartRef, emoji: string, userIds: readonly string[]): Promise<void> {
		checkPartRef(ref);
		await this.#queueVoteWork({ action: 'replace votes', run: () => this.#backend.replaceVotes(ref, emoji, [...new Set(userIds)]) });
	}

	async countVotes(placeKeys: readonly string[], storyId: string, partKeys: readonly string[] | number, emojis: readonly string[]): Promise<number[][]> {
		if (typeof partKeys === 'number' && (!Number.isInteger(partKeys) || partKeys < 0)) throw new RangeError(`partCount must be a whole number >= 0 (got ${partKeys})`);
		const places = [...new Set(placeKeys)];
		const size = typeof partKeys === 'number' ? partKeys : partKeys.length;
		if (size === 0) return [];
		if (emojis.length === 0 || places.length === 0) return Array.from({ length: size }, () => emojis.map(() => 0));
		const legacy = typeof partKeys === 'number' ? undefined : await this.legacyPartKeys(storyId);
		// Each part's votes: those filed under its key, and those schema 2 filed under its number then.
		const filings = Array.from({ length: size }, (_, index): Omit<PartRef, 'placeKey'>[] => {
			if (typeof partKeys === 'number') return [{ storyId, part: index + 1 }];
			const key = partKeys[index]!;
			const number = legacy ? legacy.indexOf(key) + 1 : index + 1;
			return [{ storyId, part: index + 1, key }, ...(number > 0 ? [{ storyId, part: number }] : [])];
		});
		const refs = places.flatMap((placeKey) => filings.flat().map((filing): PartRef => ({ ...filing, placeKey })));
		const counts = await this.#guard('count votes', () => this.#backend.countVotes(refs, [...new Set(emojis)]));
		return filings.map((filed) =>
			emojis.map((emoji) => places.reduce((sum, placeKey) => sum + filed.reduce((partSum, filing) => partSum + (counts.get(keys.part({ ...filing, placeKey }))?.get(emoji) ?? 0), 0), 0)),
		);
	}

	legacyPartKeys(storyId: string): Promise<readonly string[] | undefined> {
		let known = this.#legacyKeys.get(storyId);
		if (!known) {
			known = this.#guard('read legacy part keys', () => readLegacyPartKeys(this.#backend.records, storyId));
			this.#legacyKeys.set(storyId, known);
			// An outage is not an answer: ask again next time.
			known.catch(() => this.#legacyKeys.delete(storyId));
		}
		return known;
	}

	describe(): Promise<StoreDescription> {
		return this.#guard('answer', () => this.#backend.describe());
	}

	close(): Promise<void> {
		// Operations already started finish (or meet their deadline) first, so close never cuts a
		// write or a transaction in half; new ones are refused from now on.
		const flushing = this.#votes.flushing;
		const started = [...this.#inFlight, ...(flushing ? [flushing] : [])];
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
		this.#prepared ??= (async () => {
			await this.#backend.prepare();
			const migrated = await migrateV1(this.#backend, this.#backend.records, (skipped, error) => this.#options.onMigrated?.({ skipped, error }));
			if (migrated > 0) this.#options.onMigrated?.({ migrated });
			if (this.#options.partKeys) await migrateV2(this.#backend.records, this.#options.partKeys());
		})().catch((error: unknown) => {
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
