import { describe, expect, it } from 'vitest';
import { isOver, mayRestart, messagesOfPart, newestMessageId, nextStep, snowflakeTime, startReading, withEndPosted, withPartPosted, withTitlePosted } from '../src/reading/rules.js';

const now = new Date('2026-11-25T10:00:00Z');
const place = { kind: 'channel', guildId: 'g1', channelId: 'c1' } as const;
const fresh = () => withTitlePosted(startReading({ place, storyId: 'after-the-end', channelId: 'c1', userId: 'u1', now }), 'm0');

describe('reading rules', () => {
	it('walks a four-part story from the title card to the end and then says it is over', () => {
		let record = fresh();
		expect(record.claim).toMatchObject({ position: 0, by: 'u1' });
		expect(nextStep(record, 4)).toEqual({ kind: 'part', part: 1 });
		for (let part = 1; part <= 4; part++) {
			record = withPartPosted(record, part, [`m${part}`], 'u2', now, `~s${part}`);
			expect(record.position).toBe(part);
		}
		expect(nextStep(record, 4)).toEqual({ kind: 'end' });
		expect(isOver(record, 4)).toBe(false);
		record = withEndPosted(record, 4, 'end', 'u3', now);
		expect(nextStep(record, 4)).toEqual({ kind: 'over' });
		expect(isOver(record, 4)).toBe(true);
		expect(newestMessageId(record)).toBe('end');
		expect(record.partMessageIds).toEqual(['m1', 'm2', 'm3', 'm4']);
		expect(record.advancedBy).toBe('u3');
		expect(record.claim).toBeUndefined();
	});

	it('refuses to skip a part or post the end early', () => {
		const record = fresh();
		expect(() => withPartPosted(record, 2, ['m2'], 'u1', now, '~s2')).toThrow(RangeError);
		expect(() => withEndPosted(record, 4, 'end', 'u1', now)).toThrow(RangeError);
	});

	it('keeps every message of a part of several messages, the last one for links', () => {
		const record = withPartPosted(fresh(), 1, ['m1a', 'm1b'], 'u1', now, '~s1');
		expect(record.partMessageIds).toEqual(['m1b']);
		expect(messagesOfPart(record, 1)).toEqual(['m1a', 'm1b']);
		const next = withPartPosted(record, 2, ['m2'], 'u1', now, '~s2');
		expect(messagesOfPart(next, 2)).toEqual(['m2']);
		expect(messagesOfPart(next, 1)).toEqual(['m1a', 'm1b']);
	});

	it('keeps the record plain JSON with a schema version, and a new reading claimed by its starter', () => {
		const started = startReading({ place, storyId: 's', channelId: 'c1', userId: 'u1', now });
		expect(started.claim).toEqual({ position: 0, by: 'u1', at: now.toISOString() });
		const record = withPartPosted(fresh(), 1, ['m1'], 'u1', now, '~s1');
		expect(JSON.parse(JSON.stringify(record))).toEqual(record);
		expect(record.schema).toBe(3);
		expect(newestMessageId(fresh())).toBe('m0');
	});

	it('reads the time out of a snowflake (Discord epoch 2015)', () => {
		// https://discord.com/developers/docs/reference#snowflakes: 175928847299117063 is 2016-04-30T11:18:25.796Z
		expect(new Date(snowflakeTime('175928847299117063')).toISOString()).toBe('2016-04-30T11:18:25.796Z');
	});

	it('lets Manage Server or the host role restart', () => {
		expect(mayRestart({ managesServer: true, roles: [] }, undefined)).toBe(true);
		expect(mayRestart({ managesServer: false, roles: ['r1'] }, 'r1')).toBe(true);
		expect(mayRestart({ managesServer: false, roles: ['r1'] }, undefined)).toBe(false);
	});
});
