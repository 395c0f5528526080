import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../src/keyed-lock.js';
import { matchFeedbackEmoji, sameEmoji } from '../src/tally.js';

describe('feedback emoji matching', () => {
	it('matches an emoji with or without the variation selector that some clients send', () => {
		expect(sameEmoji('❤️', '❤')).toBe(true);
		expect(matchFeedbackEmoji('❤', ['🔥', '❤️'])).toBe('❤️');
		expect(matchFeedbackEmoji('👍', ['🔥', '❤️'])).toBeUndefined();
	});
});

describe('KeyedLock', () => {
	it('runs tasks for one key one at a time, in arrival order, and other keys alongside', async () => {
		const lock = new KeyedLock();
		const events: string[] = [];
		let releaseFirst!: () => void;
		const first = lock.run('guild-1', async () => {
			events.push('a start');
			await new Promise<void>((resolve) => (releaseFirst = resolve));
			events.push('a end');
		});
		const second = lock.run('guild-1', async () => void events.push('b'));
		const other = lock.run('guild-2', async () => void events.push('other'));
		await other;
		expect(lock.busy('guild-1')).toBe(true);
		expect(events).toEqual(['a start', 'other']);
		releaseFirst();
		await Promise.all([first, second]);
		expect(events).toEqual(['a start', 'other', 'a end', 'b']);
		expect(lock.size).toBe(0);
	});

	it('keeps going after a task fails', async () => {
		const lock = new KeyedLock();
		await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(lock.run('k', async () => 42)).resolves.toBe(42);
	});
});
