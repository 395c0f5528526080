// What a schedule is, as stored with its reading (ReadingRecord.schedule). No imports: the store's
// records, the scheduler and the command all share it.

/** Days of the week as JavaScript and cron number them: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * When releases fall due, always in an IANA timezone (so 09:00 stays 09:00 across a daylight-saving change):
 * - `weekly`: at `time` on each of `days`;
 * - `interval`: at `time` every `everyDays` days, counted from `anchorDate` (a local date, YYYY-MM-DD);
 * - `cron`: a five- or six-field cron expression, read by croner (https://croner.56k.guru/usage/pattern/).
 */
export type ScheduleRule =
	| { kind: 'weekly'; time: string; days: Weekday[]; timezone: string }
	| { kind: 'interval'; time: string; everyDays: number; anchorDate: string; timezone: string }
	| { kind: 'cron'; pattern: string; timezone: string };

export interface ScheduleRecord {
	rule: ScheduleRule;
	/** Who set it (a user id) and when, ISO 8601. */
	setBy: string;
	setAt: string;
	/** Slots at or before this instant (ISO 8601) never fire: set on `set` and on `resume`, so a pause does not pile up releases. */
	countsFrom: string;
	/** The due time (ISO 8601) of the last slot released, by this process or another: a slot is released once. */
	releasedThrough?: string | undefined;
	paused: boolean;
	/** The notice role: mentioned on the first message of each new part while the schedule lasts (the only mention the bot sends). */
	roleId?: string | undefined;
	/** Set once the reading is over and the channel was told: the schedule does nothing more. */
	endedAt?: string | undefined;
}
