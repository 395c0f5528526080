// The scheduler: one more adapter of the reading service. At each schedule's due time it calls
// `advance` as `/next` does, with the slot as its trigger, so the claim in the store makes each
// release happen once across processes. It also makes the changes `/schedule` asks for. Free of
// discord.js: it posts through the Poster it is given.
import type { Place } from '../reading/place.js';
import { placeKey } from '../reading/place.js';
import { isOver } from '../reading/rules.js';
import type { Outcome, Poster, ReadingService, ReadingStore, StoryParts } from '../reading/service.js';
import type { ReadingRecord } from '../store/records.js';
import { noMentions } from '../render/payload.js';
import type { Story } from '../story/types.js';
import type { Clock } from './clock.js';
import { nextSlot } from './rule.js';
import { isLive, scheduleState, slotsCountAfter } from './slots.js';
import type { ScheduleRecord, ScheduleRule } from './types.js';

/** After a release that failed (Discord refused, the store was down), try again this much later. */
export const RETRY_MS = 60_000;
/**
 * Releases run at most this many at a time per process, so a minute with many due readings is
 * spread out: their requests wait their turn under Discord's global limit (src/rest-pacer.ts), and a
 * handful in flight keeps that pace filled while a reader's /next in the meantime queues behind a
 * handful of requests, not a thousand.
 */
export const RELEASE_CONCURRENCY = 8;

export interface SchedulerLog {
	debug(fields: object, message: string): void;
	info(fields: object, message: string): void;
	warn(fields: object, message: string): void;
}

export interface SchedulerOptions {
	store: Pick<ReadingStore, 'getReading' | 'saveReading'>;
	readings: Pick<ReadingService, 'advance' | 'locks' | 'asStoryNow'>;
	stories: StoryParts;
	clock: Clock;
	/** Posts at a place's channel (the reading's parts, and the one "schedule ended" notice). */
	posterFor(record: ReadingRecord): Poster;
	/** The words of the notice posted once when a schedule ends with its reading. */
	/** The notice posted when a schedule ends with its story, in `language` (the poster's). */
	endedNotice(story: Story, language?: string): string;
	/** The user id scheduled releases are made by (the bot's own). */
	userId(): string;
	log: SchedulerLog;
}

/** What a schedule change did. */
export type ScheduleChange =
	| { kind: 'changed'; record: ReadingRecord; schedule: ScheduleRecord | undefined }
	| { kind: 'noReading' }
	| { kind: 'over'; record: ReadingRecord }
	| { kind: 'noSchedule' }
	| { kind: 'unchanged'; record: ReadingRecord; schedule: ScheduleRecord }
	/** Another process received this same interaction and made the change. */
	| { kind: 'handledElsewhere' };

export class Scheduler {
	readonly #options: SchedulerOptions;
	/** Per place key: the timer waiting for its next slot. */
	readonly #timers = new Map<string, () => void>();
	readonly #queue: Array<() => Promise<void>> = [];
	#running = 0;
	#stopped = false;
	/** Who waits for the queue to empty (cosmetic work: feedback emoji). */
	#idleWaiters: Array<() => void> = [];
	/** Releases started and not yet finished, for shutdown and for tests. */
	readonly inFlight = new Set<Promise<void>>();

	constructor(options: SchedulerOptions) {
		this.#options = options;
	}

	/** True while releases are queued or running. */
	get busy(): boolean {
		return this.#running > 0 || (!this.#stopped && this.#queue.length > 0);
	}

	/**
	 * Resolves once no release is queued or running (at once when none is, and on stop). Feedback
	 * emoji wait for it, so a minute when many readings fall due posts every part before any emoji.
	 */
	whenIdle(): Promise<void> {
		if (!this.busy) return Promise.resolve();
		return new Promise((resolve) => this.#idleWaiters.push(resolve));
	}

	#wakeIfIdle(): void {
		if (this.busy || this.#idleWaiters.length === 0) return;
		const waiters = this.#idleWaiters;
		this.#idleWaiters = [];
		for (const wake of waiters) wake();
	}

	/** Places with a timer armed (for tests and logs). */
	get watching(): number {
		return this.#timers.size;
	}

	/** Watches every scheduled reading among `records` (a server's readings, at start or when it is joined). */
	load(records: readonly ReadingRecord[]): void {
		for (const record of records) if (record.schedule) this.#watch(record);
	}

	/** Reads the reading at `place` again and watches its schedule (after a change, here or in another process). */
	async refresh(place: Place): Promise<void> {
		const record = await this.#options.store.getReading(placeKey(place));
		if (record) this.#watch(record);
		else this.#forget(placeKey(place));
	}

	/** Stops every timer; releases under way finish. */
	async stop(): Promise<void> {
		this.#stopped = true;
		for (const cancel of this.#timers.values()) cancel();
		this.#timers.clear();
		this.#queue.length = 0;
		await Promise.allSettled([...this.inFlight]);
		this.#wakeIfIdle();
	}

	/** `/schedule set`: the reading at `place` releases by `rule` from now on (replacing any schedule, unpaused). */
	set(place: Place, rule: ScheduleRule, by: { userId: string; trigger?: string | undefined }, roleId?: string): Promise<ScheduleChange> {
		const now = new Date(this.#options.clock.now()).toISOString();
		return this.#change(place, by.trigger, () => ({ rule, setBy: by.userId, setAt: now, countsFrom: now, paused: false, ...(roleId !== undefined ? { roleId } : {}) }));
	}

	pause(place: Place, by: { trigger?: string | undefined }): Promise<ScheduleChange> {
		return this.#change(place, by.trigger, (schedule) => (schedule && !schedule.paused ? { ...schedule, paused: true } : schedule));
	}

	/** Resumes from now: slots that fell due while paused are not released. */
	resume(place: Place, by: { trigger?: string | undefined }): Promise<ScheduleChange> {
		const now = new Date(this.#options.clock.now()).toISOString();
		return this.#change(place, by.trigger, (schedule) => (schedule?.paused ? { ...schedule, paused: false, countsFrom: now } : schedule));
	}

	clear(place: Place, by: { trigger?: string | undefined }): Promise<ScheduleChange> {
		return this.#change(place, by.trigger, () => undefined);
	}

	/** When the schedule at a record releases next (ms since 1970), or undefined when it is paused, ended or never due again. */
	nextRelease(record: ReadingRecord): number | undefined {
		if (!isLive(record.schedule)) return undefined;
		return nextSlot(record.schedule.rule, Math.max(slotsCountAfter(record.schedule), this.#options.clock.now()));
	}

	/**
	 * Applies `change` to the schedule of the reading at `place` with compare-and-set (again on a
	 * conflict). A change that leaves the schedule as it was answers `unchanged`; a reading that is
	 * over takes no new schedule.
	 */
	async #change(place: Place, trigger: string | undefined, change: (schedule: ScheduleRecord | undefined) => ScheduleRecord | undefined): Promise<ScheduleChange> {
		const key = placeKey(place);
		const result = await this.#options.readings.locks.run(key, async (): Promise<ScheduleChange> => {
			for (let attempt = 0; ; attempt++) {
				const record = await this.#options.readings.asStoryNow(await this.#options.store.getReading(key));
				if (trigger !== undefined && record?.lastTrigger === trigger) return { kind: 'handledElsewhere' };
				if (!record) return { kind: 'noReading' };
				const story = this.#options.stories.get(record.storyId);
				const setting = record.schedule === undefined || record.schedule.endedAt !== undefined;
				if (story && isOver(record, this.#options.stories.partCount(story)) && setting) return { kind: 'over', record };
				const current = record.schedule?.endedAt ? undefined : record.schedule;
				const next = change(current);
				if (next === undefined && current === undefined) return { kind: 'noSchedule' };
				if (next === current) return { kind: 'unchanged', record, schedule: current! };
				const { schedule: _old, ...rest } = record;
				const updated: ReadingRecord = { ...rest, ...(next ? { schedule: next } : {}), ...(trigger !== undefined ? { lastTrigger: trigger } : {}) };
				const saved = await this.#options.store.saveReading(updated, record.version);
				if (saved) return { kind: 'changed', record: saved, schedule: next };
				if (attempt >= 5) throw new Error(`could not change the schedule at ${key}: the reading kept changing`);
			}
		});
		if (result.kind === 'changed') this.#watch(result.record);
		return result;
	}

	#watch(record: ReadingRecord): void {
		if (this.#stopped) return;
		const key = placeKey(record.place);
		this.#forget(key);
		const state = scheduleState(record, this.#options.clock.now());
		if (state.kind === 'idle') return;
		if (state.kind === 'due') {
			this.#enqueue(record.place, state.due);
			return;
		}
		this.#arm(record.place, state.until, () => this.#enqueue(record.place, state.until));
		this.#options.log.debug({ event: 'scheduleArmed', place: key, at: new Date(state.until).toISOString() }, 'waiting for the next scheduled release');
	}

	#arm(place: Place, atMs: number, fire: () => void): void {
		const key = placeKey(place);
		this.#forget(key);
		const cancel = this.#options.clock.at(atMs, () => {
			this.#timers.delete(key);
			fire();
		});
		this.#timers.set(key, cancel);
	}

	#forget(key: string): void {
		this.#timers.get(key)?.();
		this.#timers.delete(key);
	}

	#enqueue(place: Place, due: number): void {
		this.#queue.push(() => this.#release(place, due));
		this.#drain();
	}

	#drain(): void {
		while (!this.#stopped && this.#running < RELEASE_CONCURRENCY && this.#queue.length > 0) {
			const task = this.#queue.shift()!;
			this.#running++;
			const run = task().finally(() => {
				this.#running--;
				this.inFlight.delete(run);
				this.#drain();
				this.#wakeIfIdle();
			});
			this.inFlight.add(run);
		}
	}

	/** Releases the slot `due` at `place`, then watches for the next one. */
	async #release(place: Place, due: number): Promise<void> {
		const { readings, store, log } = this.#options;
		const key = placeKey(place);
		let outcome: Outcome;
		try {
			const record = await store.getReading(key);
			if (!record) return;
			outcome = await readings.advance(place, { userId: this.#options.userId(), at: due, trigger: `schedule:${due}` }, { kind: 'schedule', due }, this.#options.posterFor(record));
		} catch (error) {
			log.warn({ err: error, place: key, due: new Date(due).toISOString() }, 'scheduled release failed; trying again later');
			this.#arm(place, this.#options.clock.now() + RETRY_MS, () => this.#enqueue(place, due));
			return;
		}
		if (outcome.kind === 'waiting') {
			// Nothing is posted and nothing said in the channel: the story's next part is not written yet.
			log.info({ event: 'scheduledReleaseWaits', place: key, due: new Date(due).toISOString(), storyId: outcome.story.id }, "scheduled release passed: the story's next part is not out yet");
		} else if (outcome.kind === 'ratedElsewhere') {
			log.warn(
				{ event: 'scheduledReleaseRated', place: key, due: new Date(due).toISOString(), storyId: outcome.story.id, rating: outcome.story.meta.rating },
				`scheduled release not posted: ${outcome.story.id} is now rated ${outcome.story.meta.rating ?? ''}, and its channel is not age-restricted (mark it Age-Restricted, or change the story's rating back)`,
			);
		} else if (outcome.kind === 'storyGone') {
			// The slot has passed (see ReadingService.advance); the schedule posts again at its next slot once the story is back.
			const storyId = outcome.record.storyId;
			log.warn(
				{ event: 'scheduledReleaseNoStory', place: key, due: new Date(due).toISOString(), storyId, ...(outcome.refusedFile === undefined ? {} : { file: outcome.refusedFile }) },
				outcome.refusedFile === undefined
					? `scheduled release not posted: no story has the id "${storyId}" any more (its file was removed or its id changed)`
					: `scheduled release not posted: ${outcome.refusedFile} (story "${storyId}") has a mistake and did not load; the schedule posts again at its next release once the file is fixed`,
			);
		} else log.info({ event: 'scheduledRelease', place: key, due: new Date(due).toISOString(), outcome: outcome.kind }, 'scheduled release');
		if (outcome.kind === 'refused' || outcome.kind === 'postedUnsaved' || outcome.kind === 'busy') {
			this.#arm(place, this.#options.clock.now() + RETRY_MS, () => this.#enqueue(place, due));
			return;
		}
		if ((outcome.kind === 'posted' && isOver(outcome.record, this.#options.stories.partCount(outcome.story))) || outcome.kind === 'over') {
			await this.#end(place).catch((error: unknown) => log.warn({ err: error, place: key }, 'could not end a finished schedule'));
		}
		await this.refresh(place).catch((error: unknown) => {
			log.warn({ err: error, place: key }, 'could not read a schedule back; trying again later');
			this.#arm(place, this.#options.clock.now() + RETRY_MS, () => void this.refresh(place).catch(() => undefined));
		});
	}

	/** The reading is over: marks its schedule ended (compare-and-set, so once) and says so in the channel. */
	async #end(place: Place): Promise<void> {
		const record = await this.#options.readings.asStoryNow(await this.#options.store.getReading(placeKey(place)));
		if (!record?.schedule || record.schedule.endedAt) return;
		const story = this.#options.stories.get(record.storyId);
		if (!story || !isOver(record, this.#options.stories.partCount(story))) return;
		const ended = { ...record, schedule: { ...record.schedule, endedAt: new Date(this.#options.clock.now()).toISOString() } };
		const saved = await this.#options.store.saveReading(ended, record.version);
		if (!saved) return; // another process ended it (and says so), or the reading moved on
		const poster = this.#options.posterFor(saved);
		await poster.post({ payload: { content: this.#options.endedNotice(story, poster.language), embeds: [], allowedMentions: noMentions() } });
	}
}
