// Spacing the bot's REST requests evenly under Discord's global limit. Pure: no discord.js; time and
// waiting are injected (src/discord/rest-pacing.ts plugs it into discord.js's REST).
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Requests per second the bot sends with its token: Discord's global limit is 50 per second per bot
 * (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit), and Discord counts a
 * request when it arrives, not when we send it. A tenth is left for what moves requests closer
 * together on the way (our event loop and Discord's, the network), so a second as Discord counts
 * it never holds more than 50.
 */
export const PACED_REQUESTS_PER_SECOND = 45;

export interface PacerTime {
	/** Milliseconds, monotonic. */
	now(): number;
	/** Resolves after `ms`; rejects when `signal` aborts first. */
	wait(ms: number, signal?: AbortSignal): Promise<void>;
}

const realTime: PacerTime = {
	now: () => performance.now(),
	wait: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

/**
 * Gives each request a turn, at most `perSecond` turns a second and evenly spaced (one every
 * 1000 / perSecond ms), in the order asked. discord.js's own global limit (`rest.globalRequestsPerSecond`)
 * lets 50 go at once at the start of each second it counts, which a limit counted from a
 * different instant (Discord's) can see as more than 50 in one second; even spacing cannot be.
 */
export class RequestPacer {
	readonly #spacingMs: number;
	readonly #time: PacerTime;
	/** When the next turn is free (ms, on `time.now()`'s scale). */
	#nextTurn = -Infinity;

	constructor(perSecond: number = PACED_REQUESTS_PER_SECOND, time: PacerTime = realTime) {
		if (!(perSecond > 0)) throw new RangeError(`perSecond must be above 0, not ${perSecond}`);
		this.#spacingMs = 1000 / perSecond;
		this.#time = time;
	}

	/**
	 * Resolves at this request's turn (at once when the pacer is idle). Rejects with the signal's
	 * reason if `signal` aborts first; that turn is then left unused.
	 */
	async turn(signal?: AbortSignal): Promise<void> {
		const now = this.#time.now();
		const at = Math.max(now, this.#nextTurn);
		this.#nextTurn = at + this.#spacingMs;
		if (at > now) await this.#time.wait(at - now, signal);
	}
}
