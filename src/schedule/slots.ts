// A schedule's slots on its reading record: which slot is due, and marking one released. Pure.
import type { ReadingRecord } from '../store/records.js';
import { latestSlot, nextSlot } from './rule.js';
import type { ScheduleRecord } from './types.js';

/** Slots count after this instant (ms): the later of when counting began and the last slot released. */
export function slotsCountAfter(schedule: ScheduleRecord): number {
	return Math.max(Date.parse(schedule.countsFrom), schedule.releasedThrough ? Date.parse(schedule.releasedThrough) : -Infinity);
}

/** Whether a schedule releases anything: set, not paused, not ended. */
export function isLive(schedule: ScheduleRecord | undefined): schedule is ScheduleRecord {
	return schedule !== undefined && !schedule.paused && schedule.endedAt === undefined;
}

/** True when the slot `dueMs` of the reading's schedule is live and not yet released. */
export function slotIsDue(record: ReadingRecord, dueMs: number): boolean {
	return isLive(record.schedule) && dueMs > slotsCountAfter(record.schedule);
}

/** The record with the slot `dueMs` marked released (with the claim that posts it, in one compare-and-set). */
export function withSlotReleased(record: ReadingRecord, dueMs: number): ReadingRecord {
	if (!record.schedule) return record;
	return { ...record, schedule: { ...record.schedule, releasedThrough: new Date(dueMs).toISOString() } };
}

/**
 * What the scheduler should do for a reading at `nowMs`: release the latest slot that fell due and
 * is not released (once, however many were missed), else wait for the next one; nothing when the
 * schedule is paused, ended or gone, or never falls due again.
 */
export function scheduleState(record: ReadingRecord, nowMs: number): { kind: 'due'; due: number } | { kind: 'wait'; until: number } | { kind: 'idle' } {
	const schedule = record.schedule;
	if (!isLive(schedule)) return { kind: 'idle' };
	const after = slotsCountAfter(schedule);
	const due = latestSlot(schedule.rule, after, nowMs);
	if (due !== undefined) return { kind: 'due', due };
	const until = nextSlot(schedule.rule, Math.max(after, nowMs));
	return until === undefined ? { kind: 'idle' } : { kind: 'wait', until };
}
