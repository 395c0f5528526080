import KeyvRedis, { createClient, createKeyv, type RedisClientType } from '@keyv/redis';
import type { Backend, StoreDescription, VoteCounts } from './backend.js';
import { addCount } from './backend.js';
import { keys, NAMESPACE } from './keys.js';
import type { PartRef } from './types.js';

/**
 * Compare-and-set of a reading: one script, which Redis runs with nothing in between. KEYS: the
 * reading's hash, the server's set of places (or none). ARGV: expected version, value, place key.
 */
const CAS_READING = `
local current = redis.call('HGET', KEYS[1], 'version')
if (current == false and ARGV[1] == '0') or current == ARGV[1] then
	redis.call('HSET', KEYS[1], 'version', tostring(tonumber(ARGV[1]) + 1), 'value', ARGV[2])
	if KEYS[2] then redis.call('SADD', KEYS[2], ARGV[3]) end
	return 1
end
return 0`;

/** Glob-escapes a key for SCAN MATCH. */
const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** Connecting (TCP + handshake) gives up after this long. */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;
/** How long close() waits for replies still due before letting go of the connection. */
const REDIS_CLOSE_GRACE_MS = 1_000;
/** Longest pause between reconnection attempts once the server went away. */
const REDIS_MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * Redis's maxmemory-policy is safe for the bot when it can never evict a key without a TTL (the
 * bot's keys have none): `noeviction` (writes fail when memory is full, and the bot says so) and
 * the `volatile-*` policies (they evict only keys with a TTL). The `allkeys-*` policies evict any
 * key, so readings and votes would silently vanish under memory pressure. Source:
 * https://redis.io/docs/latest/develop/reference/eviction/ ("Eviction policies").
 */
export function evictsKeysWithoutTtl(policy: string): boolean {
	return !(policy === 'noeviction' || policy.startsWith('volatile-'));
}

/** NOPERM (an ACL denies the command) or a command renamed or disabled away ("unknown command"). */
function isPermissionError(error: unknown): boolean {
	return error instanceof Error && /^(NOPERM|ERR unknown command)/.test(error.message);
}

/** Redis is configured so that it may evict the bot's keys: a set-up mistake, refused at start. */
export class RedisEvictionPolicyError extends Error {
	override name = 'RedisEvictionPolicyError';
}

/**
 * Redis store. Records go through Keyv; the votes of one (scene, emoji) are a Redis set of user
 * ids, changed with SADD/SREM/DEL on the adapter's own client, so replays count once and several
 * bot processes stay exact. Everything is under the one prefix the adapter writes: `sfb::`.
 */
export function openRedisBackend(url: string, onReconnected?: () => void): Backend {
	let hasBeenReady = false;
	const client = createClient({
		url,
		// While the connection is down, commands fail at once instead of queueing until it is back:
		// a reaction or a Next click gets "store unavailable" now, not a reply minutes later.
		disableOfflineQueue: true,
		// No commandOptions.timeout: node-redis only times a command until it is written, never
		// while it waits for the reply, so a server that stops answering is bounded by the store's
		// operation deadline (src/store.ts) instead.
		socket: {
			connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
			// The first connection fails fast (the caller retries with its next operation); a
			// connection that was up keeps reconnecting in the background until the server is back.
			reconnectStrategy: (retries, cause) =>
				hasBeenReady ? Math.min(50 * 2 ** retries, REDIS_MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 50) : cause,
		},
	});
	client.on('ready', () => {
		if (hasBeenReady) onReconnected?.();
		hasBeenReady = true;
	});
	// createKeyv with a namespace sets the prefix on the adapter ('sfb::key') and turns Keyv's own
	// prefixing off; a plain `new Keyv(adapter, { namespace })` would write 'sfb::sfb:key'.
	const records = createKeyv(client as RedisClientType, {
		namespace: NAMESPACE,
		throwOnErrors: true,
		throwOnConnectError: true,
		// No `connectionTimeout` here: the adapter races connect() against a timer it never clears,
		// which holds the process open for that long after every connect. socket.connectTimeout
		// plus the fail-fast first reconnectStrategy already bound the first connection.
	});
	const adapter = records.store as KeyvRedis<string>;
	/**
	 * The adapter's client, connected. Connecting here rather than through adapter.getClient()
	 * keeps the real reason (ECONNREFUSED, timeout) in the error, where the adapter replaces it
	 * with a generic "not connected". The adapter then finds the client open and uses it as is.
	 */
	const connected = async (): Promise<RedisClientType> => {
		if (client.isOpen) return client as RedisClientType;
		// socket.connectTimeout covers TCP only: a server that accepts and never answers the
		// handshake (CLIENT SETINFO) would leave connect() pending for good, and every later
		// operation waiting on it. Give up, drop the socket, and let the next operation try again.
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer from Redis within ${REDIS_CONNECT_TIMEOUT_MS} ms of connecting`)), REDIS_CONNECT_TIMEOUT_MS);
		});
		try {
			await Promise.race([client.connect(), timeout]);
		} catch (error) {
			if (client.isOpen) client.destroy();
			throw error;
		} finally {
			clearTimeout(timer);
		}
		return client as RedisClientType;
	};
	/** host:port[/db] without credentials, for messages. */
	const where = (): string => {
		const { hostname, port, pathname } = new URL(url);
		return `${hostname}:${port || 6379}${pathname.length > 1 ? pathname : ''}`;
	};
	/** The server's maxmemory-policy, or why it could not be read (CONFIG renamed, disabled or denied by an ACL). */
	let evictionPolicy: { policy: string } | { unchecked: string } | undefined;
	const checkEvictionPolicy = async (redis: RedisClientType): Promise<void> => {
		try {
			const reply = (await redis.configGet('maxmemory-policy')) as Record<string, string>;
			const policy = reply['maxmemory-policy'];
			evictionPolicy = policy === undefined ? { unchecked: 'CONFIG GET returned no maxmemory-policy' } : { policy };
		} catch (error) {
			evictionPolicy = { unchecked: `CONFIG GET maxmemory-policy was refused (${error instanceof Error ? error.message : String(error)})` };
		}
		if ('policy' in evictionPolicy && evictsKeysWithoutTtl(evictionPolicy.policy)) {
			throw new RedisEvictionPolicyError(
				`Redis at ${where()} has maxmemory-policy ${evictionPolicy.policy}, which evicts keys without a TTL: readings and votes would vanish when memory runs short. ` +
					'Set `maxmemory-policy noeviction` (redis.conf, or CONFIG SET maxmemory-policy noeviction), or give the bot a Redis of its own.',
			);
		}
	};
	/** Same prefix as the records get, from the adapter's own rule. */
	const setKey = (ref: PartRef, emoji: string): string => adapter.createKeyPrefix(keys.votes(ref, emoji), NAMESPACE);
	const prefixed = (key: string): string => adapter.createKeyPrefix(key, NAMESPACE);

	return {
		kind: 'redis',
		records,

		async prepare() {
			// Nothing to create, but connect here: every first operation waits for this one promise.
			// Left to the adapter, a burst of first calls would find the client open but not yet
			// ready, and with the offline queue disabled they would all fail.
			await checkEvictionPolicy(await connected());
		},

		async applyVotes(changes) {
			// One MULTI, in order: a burst is one round trip and no other client sees half of it.
			const transaction = (await connected()).multi();
			for (const { change, ref, emoji, userId } of changes) {
				if (change === 'add') transaction.sAdd(setKey(ref, emoji), userId);
				else transaction.sRem(setKey(ref, emoji), userId);
			}
			await transaction.exec();
		},

		async clearVotes(ref, emojis) {
			if (emojis.length === 0) return;
			await (await connected()).del(emojis.map((emoji) => setKey(ref, emoji)));
		},

		async replaceVotes(ref, emoji, userIds) {
			// MULTI/EXEC: other clients see the old set or the new one, never the empty one between.
			const key = setKey(ref, emoji);
			const transaction = (await connected()).multi().del(key);
			if (userIds.length > 0) transaction.sAdd(key, [...userIds]);
			await transaction.exec();
		},

		async moveVotes(fromPrefix, toPrefix) {
			const redis = await connected();
			const from = prefixed(`votes:${fromPrefix}`);
			const to = prefixed(`votes:${toPrefix}`);
			for await (const batch of redis.scanIterator({ MATCH: `${globEscape(from)}*`, COUNT: 1000 })) {
				for (const key of batch) {
					// SUNIONSTORE then DEL in one MULTI: a second run (after a crash) merges, never loses.
					const target = to + key.slice(from.length);
					await redis.multi().sUnionStore(target, [target, key]).del(key).exec();
				}
			}
		},

		async getReading(placeKey) {
			const [version, value] = await (await connected()).hmGet(prefixed(keys.reading(placeKey)), ['version', 'value']);
			return version && value ? { version: Number(version), value } : undefined;
		},

		async casReading(placeKey, guildId, expected, value) {
			const scriptKeys = [prefixed(keys.reading(placeKey)), ...(guildId !== undefined ? [prefixed(keys.readingsIn(guildId))] : [])];
			const done = await (await connected()).eval(CAS_READING, { keys: scriptKeys, arguments: [String(expected), value, placeKey] });
			return Number(done) === 1;
		},

		async readingsIn(guildId) {
			const redis = await connected();
			const places = await redis.sMembers(prefixed(keys.readingsIn(guildId)));
			if (places.length === 0) return [];
			const transaction = redis.multi();
			for (const place of places) transaction.hmGet(prefixed(keys.reading(place)), ['version', 'value']);
			const replies = (await transaction.exec()) as unknown as Array<[string | null, string | null]>;
			return replies.flatMap(([version, value]) => (version && value ? [{ version: Number(version), value }] : []));
		},

		async legacyProgressKeys() {
			const redis = await connected();
			const prefix = prefixed('');
			const found: string[] = [];
			for await (const batch of redis.scanIterator({ MATCH: `${globEscape(prefixed(keys.progressV1Prefix))}*`, COUNT: 1000 })) {
				found.push(...batch.map((key) => key.slice(prefix.length)));
			}
			return found;
		},

		async countVotes(scenes: readonly PartRef[], emojis: readonly string[]): Promise<VoteCounts> {
			const pairs = scenes.flatMap((ref) => emojis.map((emoji) => ({ ref, emoji })));
			const counts: VoteCounts = new Map();
			if (pairs.length === 0) return counts;
			// One round trip for the whole story, and one consistent moment.
			const transaction = (await connected()).multi();
			for (const { ref, emoji } of pairs) transaction.sCard(setKey(ref, emoji));
			const replies = await transaction.exec();
			pairs.forEach(({ ref, emoji }, index) => addCount(counts, keys.part(ref), emoji, Number(replies[index] ?? 0)));
			return counts;
		},

		async describe(): Promise<StoreDescription> {
			const redis = await connected();
			// INFO may be denied to a restricted ACL user; the version is only for the log, so that is no reason to refuse.
			const info = await redis.info('server').catch((error: unknown) => (isPermissionError(error) ? '' : Promise.reject(error)));
			return {
				kind: 'redis',
				target: where(),
				serverVersion: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
				keyPrefix: adapter.createKeyPrefix('', NAMESPACE),
				// `unchecked: why` when CONFIG is not available: start-up warns about it (src/bot.ts).
				maxmemoryPolicy: evictionPolicy === undefined ? 'not read yet' : 'policy' in evictionPolicy ? evictionPolicy.policy : `unchecked: ${evictionPolicy.unchecked}`,
			};
		},

		async close() {
			if (!client.isOpen) return;
			// Not connected (server gone, reconnecting): no replies are coming, drop the socket.
			if (!client.isReady) {
				client.destroy();
				return;
			}
			// A graceful close waits for the replies still due. If the server stopped answering
			// they may never come: stop waiting, and let the process exit without that socket.
			let timer: NodeJS.Timeout | undefined;
			const closedInTime = await Promise.race([
				client.close().then(() => true),
				new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), REDIS_CLOSE_GRACE_MS))),
			]);
			clearTimeout(timer);
			if (!closedInTime) client.unref();
		},
	};
}
