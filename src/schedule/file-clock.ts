// Tests only: a clock an end-to-end test moves from outside the bot's process. The test writes an
// ISO 8601 time into the file named by SFB_TEST_CLOCK_FILE and sends SIGUSR2; the bot reads it,
// moves its ManualClock there (never backwards) and logs `{ event: 'clockSet' }`. Releases that
// fall due fire then, so a test never waits for real time to pass.
import { readFileSync } from 'node:fs';
import { ManualClock } from './clock.js';

/** Reads the file's time, ms since 1970. Throws with the file's name when it holds no time. */
function readTime(path: string): number {
	const text = readFileSync(path, 'utf8').trim();
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new Error(`SFB_TEST_CLOCK_FILE ${path} holds "${text}", not an ISO 8601 time`);
	return ms;
}

/** A ManualClock set from `path`, moved again on each SIGUSR2. Returns it and a function that stops listening. */
export function fileClock(path: string, onSet: (atMs: number) => void): { clock: ManualClock; stop(): void } {
	const clock = new ManualClock(readTime(path));
	const listener = () => {
		const ms = readTime(path);
		clock.set(ms);
		onSet(clock.now());
	};
	process.on('SIGUSR2', listener);
	return { clock, stop: () => process.off('SIGUSR2', listener) };
}
