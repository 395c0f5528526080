// What start-up checks before the bot says `ready`: the store answers (and, on Redis, cannot evict
// the bot's keys), and Discord lets it log in within a time limit. Each failure is an error that
// src/startup-errors.ts turns into one line.
import type { Client } from 'discord.js';
import type { Logger } from './logger.js';
import { describeStore, type Store } from './store.js';

/** Discord did not finish the login within the limit: the network, a proxy, or Discord itself. */
export class LoginTimeoutError extends Error {
	override name = 'LoginTimeoutError';
	constructor(
		readonly limitMs: number,
		readonly apiUrl: string,
	) {
		super(`Discord at ${apiUrl} did not complete the login within ${limitMs / 1000} s`);
	}
}

/**
 * Opens the store's connection now (every operation has a 5 s deadline, so this is bounded) and logs
 * what it is. Throws StoreUnavailableError when the store cannot be reached or is set up so that it
 * would lose data (Redis evicting keys): better a refusal at start than `ready` followed by "try
 * again" for every reader. A later outage is handled per operation, as before.
 */
export async function checkStore(store: Store, logger: Logger): Promise<void> {
	const description = await describeStore(store);
	logger.info({ event: 'storeOpened', ...description }, 'store opened');
	const policy = description['maxmemoryPolicy'];
	if (typeof policy === 'string' && policy.startsWith('unchecked:')) {
		logger.warn(
			{ event: 'storeEvictionUnchecked' },
			`could not check Redis maxmemory-policy (${policy.slice('unchecked: '.length)}): make sure it is noeviction (or volatile-*), or Redis may evict the bot's readings and votes`,
		);
	}
}

/**
 * client.login (REST /gateway/bot, then the gateway's HELLO and READY) within `limitMs` (the
 * Env's loginTimeoutMs). Left to discord.js, a Discord that accepts connections and never answers
 * costs 60 s (its REST timeout times its retries, or the gateway's HELLO timeout) and ends in a
 * stack trace. On timeout LoginTimeoutError is thrown (the caller destroys the client).
 * Errors from login itself (a refused token, a 5xx) pass through unchanged.
 */
export async function loginWithin(client: Client, token: string, limitMs: number, apiUrl: string | undefined): Promise<void> {
	await withinLoginLimit(client.login(token), limitMs, apiUrl);
}

/** `work` (a call to Discord at start: login, the shard count, `npm run deploy`), or LoginTimeoutError after `limitMs`. */
export async function withinLoginLimit<T>(work: Promise<T>, limitMs: number, apiUrl: string | undefined): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new LoginTimeoutError(limitMs, apiUrl ?? 'https://discord.com/api')), limitMs);
	});
	// Once the limit has won, the work's own later failure is of no interest.
	work.catch(() => undefined);
	try {
		return await Promise.race([work, limit]);
	} finally {
		clearTimeout(timer);
	}
}
