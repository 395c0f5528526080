// Discord's REST rate limits, for a fake started with `rateLimits`: a global limit per bot token and
// per-route buckets keyed by the route's top-level resource, answered with Discord's headers and
// 429 bodies. Off by default (then every answer carries generous headers and nothing is refused).
//
// The rules, from https://discord.com/developers/docs/topics/rate-limits:
// - "All bots can make up to 50 requests per second" (global, per bot token); "Interaction
//   endpoints are not bound to the bot's Global Rate Limit": requests without a bot token
//   (interaction callbacks, and follow-ups on the interaction's webhook) are not counted.
// - Per-route limits "account for top-level resources within the path": channel_id, guild_id,
//   webhook_id + webhook_token. X-RateLimit-Bucket names the route's bucket without the resource.
// - Headers: X-RateLimit-Limit, -Remaining, -Reset (epoch seconds), -Reset-After (seconds, with
//   decimals), -Bucket on answers; on a 429 also Retry-After, X-RateLimit-Scope (`user` for a
//   route's limit, `global`) and, for the global limit only, X-RateLimit-Global. The 429 body is
//   `{ message, retry_after (seconds, float), global }`.
// Discord does not say how it counts a second; both kinds of limit here are fixed windows that open
// at the first request after the last window closed, which is what discord.js's own global
// counter assumes (@discordjs/rest SequentialHandler: globalReset = now + 1 s at the window's first
// request), so the fake never refuses less than Discord might.
import { createHash } from 'node:crypto';

/** A per-route limit: `limit` requests per `windowMs` for each top-level resource. */
export interface RouteLimit {
	limit: number;
	windowMs: number;
	/** Where the figure comes from (Discord does not publish per-route figures). */
	source: string;
}

/**
 * The routes the bot uses that have a known, tighter limit than the default. Keys are the fake's
 * route names (`METHOD pattern`).
 */
export const ROUTE_LIMITS: Readonly<Record<string, RouteLimit>> = {
	// 5 messages per 5 s per channel: the X-RateLimit-Limit 5 / Reset-After 5 that Discord answers on
	// Create Message, as tabled by the community (gist XynoxTheDev/8aa33c15bf0e2a550789d3f6faa475ee,
	// "POST Message 5/5s per-channel").
	'POST /channels/:channelId/messages': { limit: 5, windowMs: 5_000, source: 'community table (gist XynoxTheDev/8aa33c15): POST Message 5/5s per channel' },
	'PATCH /channels/:channelId/messages/:messageId': { limit: 5, windowMs: 5_000, source: 'same bucket size as Create Message' },
	'DELETE /channels/:channelId/messages/:messageId': { limit: 5, windowMs: 1_000, source: 'community table: DELETE Message 5/1s per channel' },
	// 1 reaction per 0.25 s per channel: discord/discord-api-docs#182 (Discord staff: the real limit is
	// near 1 per 250 ms), per channel as discord.js keys it (discordjs/discord.js#2795).
	'PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me': { limit: 1, windowMs: 250, source: 'discord-api-docs#182, discord.js#2795: 1 per 0.25 s per channel' },
	'DELETE /channels/:channelId/messages/:messageId/reactions/:emoji/@me': { limit: 1, windowMs: 250, source: 'as adding a reaction' },
};

/** Every other route: the fake's own choice, loose enough that only the global limit binds. */
export const DEFAULT_ROUTE_LIMIT: RouteLimit = { limit: 50, windowMs: 1_000, source: 'fake-discord default' };

export interface RateLimitOptions {
	/** Requests per second per bot token. Default 50 (Discord's global limit). */
	globalPerSecond?: number;
	/** Per-route limits by route name, replacing ROUTE_LIMITS' entries. */
	routes?: Record<string, RouteLimit>;
	/** The limiter's time, ms since 1970 (default Date.now): a test may hold it still to put many requests in one second. */
	now?: () => number;
}

interface Window {
	/** When the window opened and closes, ms since 1970. */
	resetAt: number;
	used: number;
}

export type RateLimitVerdict =
	| { allowed: true; headers: Record<string, string> }
	| { allowed: false; scope: 'global' | 'user'; retryAfterSeconds: number; headers: Record<string, string>; body: { message: string; retry_after: number; global: boolean } };

/** The 429s the fake sent, by X-RateLimit-Scope. */
export interface RateLimitHits {
	global: number;
	user: number;
}

/** What a request is, as far as the limits care. */
export interface LimitedRequest {
	/** The fake's route name, e.g. 'POST /channels/:channelId/messages'. */
	route: string;
	params: Record<string, string>;
	/** The bot token it carries, or null (interaction endpoints: not bound to the global limit). */
	token: string | null;
}

export class RateLimiter {
	readonly hits: RateLimitHits = { global: 0, user: 0 };
	readonly #globalPerSecond: number;
	readonly #routes: Record<string, RouteLimit>;
	readonly #global = new Map<string, Window>();
	readonly #buckets = new Map<string, Window>();
	/** The time requests are counted at. */
	readonly now: () => number;

	constructor(options: RateLimitOptions = {}) {
		this.now = options.now ?? Date.now;
		this.#globalPerSecond = options.globalPerSecond ?? 50;
		this.#routes = { ...ROUTE_LIMITS, ...options.routes };
	}

	/** The limit a route has here. */
	limitOf(route: string): RouteLimit {
		return this.#routes[route] ?? DEFAULT_ROUTE_LIMIT;
	}

	/**
	 * Counts `request` at `nowMs` if both its global and its route window have room, and says so with
	 * the route's headers; otherwise a 429 (global first: a request refused globally uses no route room).
	 */
	take(request: LimitedRequest, nowMs: number): RateLimitVerdict {
		const limit = this.limitOf(request.route);
		const bucketKey = `${request.route} ${majorParameter(request.params)}`;
		const bucket = current(this.#buckets, bucketKey, nowMs, limit.windowMs);
		const global = request.token === null ? null : current(this.#global, request.token, nowMs, 1_000);
		if (global && global.used >= this.#globalPerSecond) {
			this.hits.global += 1;
			const retryAfterSeconds = seconds(global.resetAt - nowMs);
			return {
				allowed: false,
				scope: 'global',
				retryAfterSeconds,
				headers: { 'retry-after': retryAfterSeconds.toFixed(3), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
				body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: true },
			};
		}
		const headers = (used: number) => ({
			'x-ratelimit-limit': String(limit.limit),
			'x-ratelimit-remaining': String(Math.max(0, limit.limit - used)),
			'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
			'x-ratelimit-reset-after': seconds(bucket.resetAt - nowMs).toFixed(3),
			'x-ratelimit-bucket': bucketHash(request.route),
		});
		if (bucket.used >= limit.limit) {
			this.hits.user += 1;
			const retryAfterSeconds = seconds(bucket.resetAt - nowMs);
			return {
				allowed: false,
				scope: 'user',
				retryAfterSeconds,
				headers: { ...headers(bucket.used), 'retry-after': retryAfterSeconds.toFixed(3), 'x-ratelimit-scope': 'user' },
				body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
			};
		}
		bucket.used += 1;
		if (global) global.used += 1;
		return { allowed: true, headers: headers(bucket.used) };
	}
}

/** The window under `key` at `nowMs`, opening a new one when the last has closed. */
function current(windows: Map<string, Window>, key: string, nowMs: number, windowMs: number): Window {
	let window = windows.get(key);
	if (!window || window.resetAt <= nowMs) {
		window = { resetAt: nowMs + windowMs, used: 0 };
		windows.set(key, window);
	}
	return window;
}

/** Whole milliseconds, as seconds (Discord's headers and retry_after carry decimals). */
function seconds(ms: number): number {
	return Math.max(1, Math.ceil(ms)) / 1000;
}

/** The top-level resource a route's limit is kept per: channel, guild, or webhook id + token. */
export function majorParameter(params: Record<string, string>): string {
	if (params.channelId !== undefined) return `channel:${params.channelId}`;
	if (params.guildId !== undefined) return `guild:${params.guildId}`;
	if (params.applicationId !== undefined && params.token !== undefined) return `webhook:${params.applicationId}/${params.token}`;
	if (params.interactionId !== undefined) return `interaction:${params.interactionId}`;
	return 'none';
}

/** Discord's bucket ids are opaque hashes per route; one per route pattern is enough for discord.js. */
export function bucketHash(key: string): string {
	return createHash('sha1').update(key).digest('hex').slice(0, 32);
}
