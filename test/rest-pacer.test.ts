import { describe, expect, it } from 'vitest';
import { pacedMakeRequest } from '../src/discord/rest-pacing.js';
import { RequestPacer, type PacerTime } from '../src/rest-pacer.js';

// The pacer's turns, on a clock the test moves: no real waiting.
function manualTime(): PacerTime & { waits: number[]; advance(ms: number): void } {
	let now = 0;
	const waits: number[] = [];
	return {
		waits,
		now: () => now,
		wait: async (ms) => {
			waits.push(ms);
		},
		advance: (ms) => {
			now += ms;
		},
	};
}

describe('RequestPacer', () => {
	it('spaces 100 requests asked at once evenly: never more than 45 in any second', async () => {
		const time = manualTime();
		const pacer = new RequestPacer(45, time);
		await Promise.all(Array.from({ length: 100 }, () => pacer.turn()));
		// Each request goes at its wait after the moment they were all asked (time 0).
		const sendTimes = [0, ...time.waits];
		expect(sendTimes).toHaveLength(100);
		for (const start of sendTimes) expect(sendTimes.filter((at) => at >= start && at < start + 1000 - 1e-6).length).toBeLessThanOrEqual(45);
		expect(Math.max(...sendTimes)).toBeCloseTo((99 * 1000) / 45, 6);
	});

	it('lets a request go at once when the last one was long enough ago', async () => {
		const time = manualTime();
		const pacer = new RequestPacer(45, time);
		await pacer.turn();
		time.advance(500);
		await pacer.turn();
		expect(time.waits).toEqual([]);
	});
});

describe('pacedMakeRequest', () => {
	it('holds requests with the bot token for their turn and lets interaction callbacks (no token) straight through', async () => {
		const turns: string[] = [];
		const pacer = { turn: async () => void turns.push('turn') } as unknown as RequestPacer;
		const sent: string[] = [];
		const send = async (url: string) => {
			sent.push(url);
			return new Response(null, { status: 204 }) as never;
		};
		const makeRequest = pacedMakeRequest(pacer, send);
		await makeRequest('http://x/channels/1/messages', { method: 'POST', headers: { Authorization: 'Bot t' } });
		await makeRequest('http://x/interactions/1/tok/callback', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
		expect(turns).toEqual(['turn']);
		expect(sent).toEqual(['http://x/channels/1/messages', 'http://x/interactions/1/tok/callback']);
	});
});
