import type { VoteChange } from './backend.js';
import { StoreUnavailableError } from './types.js';

/** A vote change, or a clear/replace that runs alone in its place. */
export type VoteWork = VoteChange | { action: string; run: () => Promise<void> };

interface PendingVoteWork {
	work: VoteWork;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/** Upper bound on one vote batch, so one write never holds the store for long. */
const MAX_VOTES_PER_BATCH = 2_000;

/**
 * Every change to votes goes through one ordered queue. Votes that arrive while a batch is being
 * written go out together in the next one (group commit); a clear or a replace runs alone, in its
 * place, so a vote cast before "remove all reactions" can never land after it.
 */
export class VoteQueue {
	readonly #pending: PendingVoteWork[] = [];
	#flushed: Promise<void> | undefined;

	/**
	 * @param write runs one batch of changes, or one clear/replace, under the store's deadline
	 *   (its errors: StoreUnavailableError when the store is down).
	 */
	constructor(readonly write: (action: string, run: (() => Promise<void>) | readonly VoteChange[]) => Promise<void>) {}

	/** The flush under way, if any (close waits for it). */
	get flushing(): Promise<void> | undefined {
		return this.#flushed;
	}

	push(work: VoteWork): Promise<void> {
		const settled = new Promise<void>((resolve, reject) => this.#pending.push({ work, resolve, reject }));
		this.#flushed ??= this.#flush();
		return settled;
	}

	async #flush(): Promise<void> {
		// Let the events already on the way join the first batch.
		await new Promise((resolve) => setImmediate(resolve));
		for (;;) {
			if (this.#pending.length === 0) {
				// Cleared in the same tick as the emptiness check: work queued from now on starts a new flush.
				this.#flushed = undefined;
				return;
			}
			const first = this.#pending[0]!.work;
			let batch: PendingVoteWork[];
			let run: (() => Promise<void>) | readonly VoteChange[];
			let action: string;
			if ('change' in first) {
				const barrier = this.#pending.findIndex((item) => !('change' in item.work));
				batch = this.#pending.splice(0, Math.min(barrier === -1 ? Infinity : barrier, MAX_VOTES_PER_BATCH));
				run = batch.map(({ work }) => work as VoteChange);
				action = 'record votes';
			} else {
				batch = this.#pending.splice(0, 1);
				run = first.run;
				action = first.action;
			}
			try {
				await this.write(action, run);
				for (const { resolve } of batch) resolve();
			} catch (error) {
				// The store is down: everything waiting would meet the same fate one deadline at a
				// time, so it all fails now (the callers say "try again"; reactions are reconciled).
				const failed = error instanceof StoreUnavailableError ? [...batch, ...this.#pending.splice(0)] : batch;
				for (const { reject } of failed) reject(error);
			}
		}
	}
}
