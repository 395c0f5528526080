import type { EventEmitter } from 'node:events';
import type { Gateway } from './gateway.js';
import type { Interactions } from './interactions.js';
import type { RateLimitOptions } from './rate-limits.js';
import type { FakeDiscordEventMap } from './types.js';
import type { World } from './world.js';

/**
 * How long a test's wait (reply, waitForMessage, waitForRequest) lasts by default, ms. Each resolves
 * on its event, so this only bounds a bot that never answers; a machine busy with other test files
 * can take several seconds over one step.
 */
export const DEFAULT_WAIT_MS = 30_000;

export interface ResolvedOptions {
	token: string;
	applicationId: string;
	botUserId: string;
	botUsername: string;
	interactionDeadlineMs: number;
	interactionTokenLifetimeMs: number;
	heartbeatIntervalMs: number;
	recommendedShards: number | null;
	maxConcurrency: number;
	maxGuildsPerShard: number;
	replayLimit: number;
	port: number;
	everySession: boolean;
	unknownEmoji: ReadonlySet<string>;
	/** null: rate limits off. */
	rateLimits: RateLimitOptions | null;
}

/** What the fake's parts share; each part reaches the others through it. */
export interface FakeContext {
	readonly options: ResolvedOptions;
	readonly world: World;
	readonly gateway: Gateway;
	readonly interactions: Interactions;
	readonly events: EventEmitter<FakeDiscordEventMap>;
}

/** Gateway intents the fake filters dispatches by, as Discord does. */
export const Intent = {
	Guilds: 1 << 0,
	GuildMembers: 1 << 1,
	GuildMessages: 1 << 9,
	GuildMessageReactions: 1 << 10,
	DirectMessages: 1 << 12,
	DirectMessageReactions: 1 << 13,
	MessageContent: 1 << 15,
} as const;

/** A REST request as route handlers see it: decoded path params, parsed JSON body. */
export interface RouteRequest {
	method: string;
	/** Decoded path without the /api/v10 prefix. */
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
	/** Date.now() when the request reached the fake: Discord judges an interaction's deadline on arrival. */
	receivedAt: number;
}

export interface RouteResult {
	status: number;
	body?: unknown;
}
