// Schedule rules: parsing what a host typed, and the due times ("slots") a rule gives. Pure: no
// discord.js, no store, no timers; time comes in as milliseconds since 1970.
import { Cron } from 'croner';
import type { ScheduleRule, Weekday } from './types.js';

/** Why a rule could not be made; src/messages/schedule.ts words each one. */
export type RuleProblem =
	| { kind: 'badTimezone'; timezone: string }
	| { kind: 'badTime'; time: string }
	| { kind: 'badDays'; days: string }
	| { kind: 'badCron'; pattern: string; reason: string }
	| { kind: 'needsTime' }
	| { kind: 'cronAndTime' }
	| { kind: 'daysAndInterval' }
	| { kind: 'badInterval'; everyDays: number }
	| { kind: 'neverDue' }
	/** Two slots less than MIN_SLOT_GAP_MS apart (ms since 1970): a cron such as `* 9 * * *` (every minute of 09:00-09:59). */
	| { kind: 'tooOften'; pattern: string; first: number; second: number };

export class RuleError extends Error {
	override name = 'RuleError';
	constructor(readonly problem: RuleProblem) {
		super(problem.kind);
	}
}

const DAY_NAMES: Record<string, Weekday> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/**
 * The least time between two releases of a cron rule: one hour. `* 9 * * *` (meant as "at 9") falls due
 * every minute from 09:00 to 09:59, and croner's optional seconds field (`* * * * * *`) every second:
 * each would post the story a part at a time, as fast as the rate limits allow.
 */
export const MIN_SLOT_GAP_MS = 3_600_000;
/** How many upcoming slots of a cron rule are checked for MIN_SLOT_GAP_MS. */
const GAP_CHECKED_SLOTS = 24;

/** The most days `every` may take: a monthly rhythm and beyond is a cron expression's job. */
export const MAX_EVERY_DAYS = 28;

/** True for an IANA timezone name this Node knows ("Europe/Paris", "UTC"). */
export function isTimezone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name });
		return name.trim() !== '';
	} catch {
		return false;
	}
}

/** "9:00", "09:00", "21:30" → "09:00"; undefined when not a 24-hour time. */
export function parseTime(text: string): string | undefined {
	const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
	if (!match) return undefined;
	const hours = Number(match[1]);
	const minutes = Number(match[2]);
	if (hours > 23 || minutes > 59) return undefined;
	return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

/** "mon,wed,fri", "Mon Wed", "weekdays", "weekends", "daily" → sorted weekdays; undefined when a word is unknown. */
export function parseDays(text: string): Weekday[] | undefined {
	const words = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
	if (words.length === 0) return undefined;
	const days = new Set<Weekday>();
	for (const word of words) {
		if (word === 'daily' || word === 'every' || word === 'all') [0, 1, 2, 3, 4, 5, 6].forEach((day) => days.add(day as Weekday));
		else if (word === 'weekdays') [1, 2, 3, 4, 5].forEach((day) => days.add(day as Weekday));
		else if (word === 'weekends') [0, 6].forEach((day) => days.add(day as Weekday));
		else {
			const day = DAY_NAMES[word.slice(0, 3)];
			if (day === undefined || !Object.keys(DAY_NAMES).some((name) => word.startsWith(name))) return undefined;
			days.add(day);
		}
	}
	return [...days].sort((a, b) => a - b);
}

export interface RuleInput {
	timezone: string;
	time?: string | null | undefined;
	days?: string | null | undefined;
	everyDays?: number | null | undefined;
	cron?: string | null | undefined;
	/** When the rule is made, ms since 1970: an interval counts its days from this local date. */
	now: number;
}

/**
 * The rule for what `/schedule set` was given: a cron expression alone, or a time with days of the
 * week (default: every day) or with an interval in days. Throws RuleError naming what is wrong,
 * including a cron rule whose next GAP_CHECKED_SLOTS slots come less than MIN_SLOT_GAP_MS apart.
 */
export function makeRule(input: RuleInput): ScheduleRule {
	const timezone = input.timezone.trim();
	if (!isTimezone(timezone)) throw new RuleError({ kind: 'badTimezone', timezone });
	let rule: ScheduleRule;
	if (input.cron) {
		if (input.time || input.days || input.everyDays) throw new RuleError({ kind: 'cronAndTime' });
		const pattern = input.cron.trim();
		try {
			new Cron(pattern, { timezone, paused: true });
		} catch (error) {
			throw new RuleError({ kind: 'badCron', pattern, reason: error instanceof Error ? error.message : String(error) });
		}
		rule = { kind: 'cron', pattern, timezone };
	} else {
		if (!input.time) throw new RuleError({ kind: 'needsTime' });
		const time = parseTime(input.time);
		if (!time) throw new RuleError({ kind: 'badTime', time: input.time });
		if (input.days && input.everyDays) throw new RuleError({ kind: 'daysAndInterval' });
		if (input.everyDays !== undefined && input.everyDays !== null) {
			if (!Number.isInteger(input.everyDays) || input.everyDays < 1 || input.everyDays > MAX_EVERY_DAYS) throw new RuleError({ kind: 'badInterval', everyDays: input.everyDays });
			rule = { kind: 'interval', time, everyDays: input.everyDays, anchorDate: localDate(input.now, timezone), timezone };
		} else {
			const days = input.days ? parseDays(input.days) : ([0, 1, 2, 3, 4, 5, 6] as Weekday[]);
			if (!days) throw new RuleError({ kind: 'badDays', days: input.days ?? '' });
			rule = { kind: 'weekly', time, days, timezone };
		}
	}
	let slot = nextSlot(rule, input.now);
	if (slot === undefined) throw new RuleError({ kind: 'neverDue' });
	if (rule.kind === 'cron') {
		for (let i = 1; i < GAP_CHECKED_SLOTS; i++) {
			const following = nextSlot(rule, slot);
			if (following === undefined) break;
			if (following - slot < MIN_SLOT_GAP_MS) throw new RuleError({ kind: 'tooOften', pattern: rule.pattern, first: slot, second: following });
			slot = following;
		}
	}
	return rule;
}

/** The croner pattern a rule's candidate slots come from (an interval keeps every `everyDays`-th day of them). */
export function cronPattern(rule: ScheduleRule): string {
	if (rule.kind === 'cron') return rule.pattern;
	const [hours, minutes] = rule.time.split(':').map(Number) as [number, number];
	const days = rule.kind === 'weekly' && rule.days.length < 7 ? rule.days.join(',') : '*';
	return `${minutes} ${hours} * * ${days}`;
}

const crons = new Map<string, Cron>();
function cronOf(rule: ScheduleRule): Cron {
	const key = `${rule.timezone} ${cronPattern(rule)}`;
	let cron = crons.get(key);
	if (!cron) {
		cron = new Cron(cronPattern(rule), { timezone: rule.timezone, paused: true });
		crons.set(key, cron);
	}
	return cron;
}

/** The local calendar date (YYYY-MM-DD) of an instant in a timezone. */
export function localDate(ms: number, timezone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

function keeps(rule: ScheduleRule, slot: number): boolean {
	if (rule.kind !== 'interval') return true;
	const days = Math.round((Date.parse(`${localDate(slot, rule.timezone)}T00:00:00Z`) - Date.parse(`${rule.anchorDate}T00:00:00Z`)) / 86_400_000);
	return days % rule.everyDays === 0 && days >= 0;
}

/** A rule that matches nothing in this many candidates (a cron for 30 February) is taken to be never due. */
const MAX_CANDIDATES = 400;

/** The first slot strictly after `afterMs` (ms since 1970), or undefined if the rule never falls due again. */
export function nextSlot(rule: ScheduleRule, afterMs: number): number | undefined {
	const cron = cronOf(rule);
	let from = new Date(afterMs);
	for (let i = 0; i < MAX_CANDIDATES; i++) {
		const next = cron.nextRun(from);
		if (!next) return undefined;
		if (keeps(rule, next.getTime())) return next.getTime();
		from = next;
	}
	return undefined;
}

/**
 * The latest slot in (`afterMs`, `atOrBeforeMs`], or undefined when none fell due in between. A
 * bot that was down through several slots releases once, for the latest of them.
 */
export function latestSlot(rule: ScheduleRule, afterMs: number, atOrBeforeMs: number): number | undefined {
	if (atOrBeforeMs <= afterMs) return undefined;
	const cron = cronOf(rule);
	// previousRuns includes a run earlier in the reference's own second, so look from just after it.
	let reference = new Date(atOrBeforeMs + 1);
	for (let i = 0; i < MAX_CANDIDATES; i++) {
		const [previous] = cron.previousRuns(1, reference);
		if (!previous || previous.getTime() <= afterMs) return undefined;
		if (previous.getTime() <= atOrBeforeMs && keeps(rule, previous.getTime())) return previous.getTime();
		reference = previous;
	}
	return undefined;
}
