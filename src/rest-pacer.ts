// Spacing the bot's REST requests evenly under Discord's global limit. Pure: no discord.js; time is
// injected (src/discord/rest-pacing.ts plugs it into discord.js's REST).

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
	/** Calls `fire` after `ms`; returns a function that cancels it. */
	after(ms: number, fire: () => void): () => void;
}

const realTime: PacerTime = {
	now: () => performance.now(),
	after(ms, fire) {
		const timer = setTimeout(fire, ms);
		return () => clearTimeout(timer);
	},
};

interface Waiter {
	go(): void;
	signal: AbortSignal | undefined;
	dropped(): void;
}

/**
 * Gives each request a turn, at most `perSecond` turns a second and evenly spaced (one every
 * 1000 / perSecond ms), in the order asked. discord.js's own global limit (`rest.globalRequestsPerSecond`)
 * lets 50 go at once at the start of each second it counts, which a limit counted from a
 * different instant (Discord's) can see as more than 50 in one second; even spacing cannot be.
 * Turns are given when they come, never caught up: after the process was busy for a while, the
 * next request goes at once and the one after it a full spacing later, not a burst of the missed turns.
 */
export class RequestPacer {
	readonly #spacingMs: number;
	readonly #time: PacerTime;
	readonly #queue: Waiter[] = [];
	/** When the last turn was due (ms, on `time.now()`'s scale). */
	#lastTurn = -Infinity;
	#cancelTimer: (() => void) | undefined;

	constructor(perSecond: number = PACED_REQUESTS_PER_SECOND, time: PacerTime = realTime) {
		if (!(perSecond > 0)) throw new RangeError(`perSecond must be above 0, not ${perSecond}`);
		this.#spacingMs = 1000 / perSecond;
		this.#time = time;
	}

	/** Requests waiting for their turn. */
	get waiting(): number {
		return this.#queue.length;
	}

	/**
	 * Resolves at this request's turn (at once when the pacer is idle). Rejects with the signal's
	 * reason if `signal` aborts first, and gives the turn to the next request.
	 */
	turn(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) return Promise.reject(signal.reason);
		return new Promise((resolve, reject) => {
			const onAbort = () => {
				const index = this.#queue.indexOf(waiter);
				if (index >= 0) this.#queue.splice(index, 1);
				reject(signal!.reason);
			};
			const waiter: Waiter = {
				go: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
				signal,
				dropped: onAbort,
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.#queue.push(waiter);
			this.#pump();
		});
	}

	#pump(): void {
		if (this.#cancelTimer) return;
		while (this.#queue.length > 0) {
			const now = this.#time.now();
			const next = this.#lastTurn + this.#spacingMs;
			// A turn missed by less than a spacing (a timer that fired late) is still taken where it was
			// due, so late timers cost no pace; one missed by more starts again from now.
			const turn = now - next >= this.#spacingMs ? now : next;
			if (turn > now) {
				this.#cancelTimer = this.#time.after(turn - now, () => {
					this.#cancelTimer = undefined;
					this.#pump();
				});
				return;
			}
			this.#lastTurn = turn;
			this.#queue.shift()!.go();
		}
	}
}
