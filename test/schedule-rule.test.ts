import { describe, expect, it } from 'vitest';
import { latestSlot, makeRule, nextSlot, parseDays, parseTime, RuleError } from '../src/schedule/rule.js';

// Schedule rules, pure: what /schedule set accepts and refuses, and the due times a rule gives.

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const problem = (fn: () => unknown) => {
	try {
		fn();
	} catch (error) {
		if (error instanceof RuleError) return error.problem.kind;
		throw error;
	}
	return 'accepted';
};

describe('schedule rules', () => {
	const now = at('2026-05-04T06:00:00Z'); // a Monday

	it('reads times and days as people type them', () => {
		expect(parseTime('9:05')).toBe('09:05');
		expect(parseTime('24:00')).toBeUndefined();
		expect(parseTime('9h')).toBeUndefined();
		expect(parseDays('Mon, wed FRI')).toEqual([1, 3, 5]);
		expect(parseDays('weekends')).toEqual([0, 6]);
		expect(parseDays('monday tuesday')).toEqual([1, 2]);
		expect(parseDays('someday')).toBeUndefined();
	});

	it('refuses what it cannot schedule, naming the problem', () => {
		expect(problem(() => makeRule({ timezone: 'Mars/Olympus', time: '09:00', now }))).toBe('badTimezone');
		expect(problem(() => makeRule({ timezone: 'UTC', now }))).toBe('needsTime');
		expect(problem(() => makeRule({ timezone: 'UTC', time: '25:00', now }))).toBe('badTime');
		expect(problem(() => makeRule({ timezone: 'UTC', time: '09:00', days: 'mon', everyDays: 2, now }))).toBe('daysAndInterval');
		expect(problem(() => makeRule({ timezone: 'UTC', time: '09:00', everyDays: 0, now }))).toBe('badInterval');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: 'every day at nine', now }))).toBe('badCron');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '0 9 * * *', time: '09:00', now }))).toBe('cronAndTime');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '0 9 30 2 *', now }))).toBe('neverDue');
	});

	it('refuses a cron rule that falls due more than once an hour, and accepts one that falls due hourly', () => {
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '* 9 * * *', now }))).toBe('tooOften');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '* * * * * *', now }))).toBe('tooOften');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '0,30 20 * * *', now }))).toBe('tooOften');
		expect(problem(() => makeRule({ timezone: 'UTC', cron: '0 * * * *', now }))).toBe('accepted');
		expect(problem(() => makeRule({ timezone: 'Europe/Paris', cron: '0 9 * * 1-5', now }))).toBe('accepted');
		try {
			makeRule({ timezone: 'UTC', cron: '* 9 * * *', now });
		} catch (error) {
			expect((error as RuleError).problem).toEqual({ kind: 'tooOften', pattern: '* 9 * * *', first: at('2026-05-04T09:00:00Z'), second: at('2026-05-04T09:01:00Z') });
		}
	});

	it('gives the weekdays at a time, skipping the weekend', () => {
		const rule = makeRule({ timezone: 'UTC', time: '08:00', days: 'weekdays', now });
		expect(iso(nextSlot(rule, at('2026-05-08T09:00:00Z')))).toBe('2026-05-11T08:00:00.000Z');
		expect(iso(latestSlot(rule, at('2026-05-08T09:00:00Z'), at('2026-05-10T23:00:00Z')))).toBeUndefined();
	});

	it('keeps local time across daylight-saving changes, both ways', () => {
		const york = makeRule({ timezone: 'America/New_York', time: '21:30', now: at('2026-03-07T12:00:00Z') });
		expect(iso(nextSlot(york, at('2026-03-07T12:00:00Z')))).toBe('2026-03-08T02:30:00.000Z'); // EST
		expect(iso(nextSlot(york, at('2026-03-08T03:00:00Z')))).toBe('2026-03-09T01:30:00.000Z'); // EDT
		const paris = makeRule({ timezone: 'Europe/Paris', time: '09:00', now: at('2026-10-24T12:00:00Z') });
		expect(iso(nextSlot(paris, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T08:00:00.000Z'); // CET again
	});

	it('counts an interval in local days from the day it was set', () => {
		const rule = makeRule({ timezone: 'Europe/Paris', time: '09:00', everyDays: 3, now: at('2026-03-27T12:00:00Z') });
		const slots: string[] = [];
		for (let t = at('2026-03-27T12:00:00Z'), i = 0; i < 3; i++) slots.push(iso((t = nextSlot(rule, t)!))!);
		expect(slots).toEqual(['2026-03-30T07:00:00.000Z', '2026-04-02T07:00:00.000Z', '2026-04-05T07:00:00.000Z']);
	});

	it('releases once for a run of missed slots: the latest of them', () => {
		const rule = makeRule({ timezone: 'UTC', cron: '0 * * * *', now });
		expect(iso(latestSlot(rule, at('2026-05-04T06:00:00Z'), at('2026-05-04T09:07:00Z')))).toBe('2026-05-04T09:00:00.000Z');
		expect(latestSlot(rule, at('2026-05-04T09:00:00Z'), at('2026-05-04T09:07:00Z'))).toBeUndefined();
	});
});
