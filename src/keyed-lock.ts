import { AsyncQueue } from '@sapphire/async-queue';

/**
 * Runs tasks one at a time per key, in arrival order. Used where two events about the same thing
 * must not interleave: two Next clicks in one server, or an add and a remove of the same reaction.
 */
export class KeyedLock {
	readonly #queues = new Map<string, AsyncQueue>();

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		let queue = this.#queues.get(key);
		if (!queue) {
			queue = new AsyncQueue();
			this.#queues.set(key, queue);
		}
		await queue.wait();
		try {
			return await task();
		} finally {
			queue.shift();
			if (queue.remaining === 0) this.#queues.delete(key);
		}
	}

	/** True while a task for `key` runs or waits. */
	busy(key: string): boolean {
		return this.#queues.has(key);
	}

	/** Keys with a task running or waiting; bounded by the work in flight, not by the number of servers. */
	get size(): number {
		return this.#queues.size;
	}
}
