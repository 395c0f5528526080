// Time for the scheduler, injected so tests never wait: the real clock, and a manual one that a
// test (or, in end-to-end tests, a test-only file and signal) moves forward.

export interface Clock {
	/** Milliseconds since 1970. */
	now(): number;
	/** Calls `fire` once the clock reaches `atMs`; returns a function that cancels it. */
	at(atMs: number, fire: () => void): () => void;
}

/** Longest single setTimeout Node honours (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realClock: Clock = {
	now: () => Date.now(),
	at(atMs, fire) {
		let timer: NodeJS.Timeout;
		const arm = () => {
			const wait = Math.max(0, atMs - Date.now());
			timer = setTimeout(wait > MAX_TIMEOUT_MS ? arm : fire, Math.min(wait, MAX_TIMEOUT_MS));
			timer.unref();
		};
		arm();
		return () => clearTimeout(timer);
	},
};

/** A clock that moves only when told (`set`), firing every timer it passes, in time order. */
export class ManualClock implements Clock {
	#now: number;
	#timers: Array<{ atMs: number; fire: () => void }> = [];

	constructor(startMs: number) {
		this.#now = startMs;
	}

	now(): number {
		return this.#now;
	}

	at(atMs: number, fire: () => void): () => void {
		const timer = { atMs, fire };
		this.#timers.push(timer);
		if (atMs <= this.#now) queueMicrotask(() => this.#fireDue());
		return () => {
			this.#timers = this.#timers.filter((t) => t !== timer);
		};
	}

	/** Moves the clock to `ms` (never backwards) and fires the timers due by then. */
	set(ms: number): void {
		this.#now = Math.max(this.#now, ms);
		this.#fireDue();
	}

	#fireDue(): void {
		const due = this.#timers.filter((t) => t.atMs <= this.#now).sort((a, b) => a.atMs - b.atMs);
		this.#timers = this.#timers.filter((t) => t.atMs > this.#now);
		for (const timer of due) timer.fire();
	}
}
