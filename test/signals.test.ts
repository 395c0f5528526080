import { describe, expect, it } from 'vitest';
import { SAME_REQUEST_MS, stopSignals } from '../src/signals.js';

describe('stop signals: a copy of the same signal is one request', () => {
	it('the same signal again within the window is an echo; later, or a different one, is "again"', () => {
		let now = 1_000;
		const classify = stopSignals(() => now);
		expect(classify('SIGINT')).toBe('first');
		now += 5;
		expect(classify('SIGINT')).toBe('echo');
		expect(classify('SIGTERM')).toBe('again');
		now += SAME_REQUEST_MS;
		expect(classify('SIGINT')).toBe('again');
	});
});
