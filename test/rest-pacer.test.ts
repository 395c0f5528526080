import { describe, expect, it } from 'vitest';
import { pacedMakeRequest } from '../src/discord/rest-pacing.js';
import { RequestPacer, type PacerTime } from '../src/rest-pacer.js';

// The pacer's turns on a clock the test moves: no real waiting.
function manualTime(): PacerTime & { set(ms: number): void; nextAt(): number | undefined } {
	let now = 0;
	let timers: Array<{ at: number; fire: () => void }> = [];
	return {
		now: () => now,
		after(ms, fire) {
			const timer = { at: now + ms, fire };
			timers.push(timer);
			return () => {
				timers = timers.filter((t) => t !== timer);
			};
		},
		set(ms) {
			now = ms;
			for (;;) {
				const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
				if (!due) return;
				timers = timers.filter((t) => t !== due);
				due.fire();
			}
		},
		nextAt: () => (timers.length === 0 ? undefined : Math.min(...timers.map((t) => t.at))),
	};
}

/** Asks `count` turns at once and moves the clock to each timer's time, late by `lateMs`, until all are given; returns when each went. */
async function sendTimes(pacer: RequestPacer, time: ReturnType<typeof manualTime>, count: number, lateMs: number): Promise<number[]> {
	const went: number[] = [];
	const turns = Array.from({ length: count }, () => pacer.turn().then(() => went.push(time.now())));
	await Promise.resolve();
	while (went.length < count) {
		time.set(time.nextAt()! + lateMs);
		await Promise.resolve();
		await Promise.resolve();
	}
	await Promise.all(turns);
	return went;
}

function mostInOneSecond(times: number[]): number {
	return Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + 1000 - 1e-6).length));
}

describe('RequestPacer', () => {
	it('spaces 100 requests asked at once evenly: never more than 45 in any second, and no slower than that', async () => {
		const time = manualTime();
		const went = await sendTimes(new RequestPacer(45, time), time, 100, 0);
		expect(mostInOneSecond(went)).toBeLessThanOrEqual(45);
		expect(Math.max(...went)).toBeCloseTo((99 * 1000) / 45, 6);
	});

	it('keeps its pace when every timer fires a few ms late', async () => {
		const time = manualTime();
		const went = await sendTimes(new RequestPacer(45, time), time, 100, 3);
		expect(mostInOneSecond(went)).toBeLessThanOrEqual(46);
		expect(Math.max(...went)).toBeLessThanOrEqual((99 * 1000) / 45 + 3);
	});

	it('does not burst to catch up after the process was busy: a long stall costs turns instead', async () => {
		const time = manualTime();
		const pacer = new RequestPacer(45, time);
		const went: number[] = [];
		const turns = Array.from({ length: 60 }, () => pacer.turn().then(() => went.push(time.now())));
		await Promise.resolve();
		time.set(500); // the event loop was blocked for half a second
		await Promise.resolve();
		await Promise.resolve();
		while (went.length < 60) {
			time.set(time.nextAt()!);
			await Promise.resolve();
			await Promise.resolve();
		}
		await Promise.all(turns);
		expect(went.filter((at) => at === 500)).toHaveLength(1);
		expect(mostInOneSecond(went)).toBeLessThanOrEqual(46);
	});

	it('gives an aborted request\'s turn to the next one', async () => {
		const time = manualTime();
		const pacer = new RequestPacer(45, time);
		await pacer.turn();
		const stop = new AbortController();
		const dropped = pacer.turn(stop.signal);
		const next = pacer.turn();
		stop.abort(new Error('shutting down'));
		await expect(dropped).rejects.toThrow('shutting down');
		time.set(1000 / 45);
		await next;
		expect(pacer.waiting).toBe(0);
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
