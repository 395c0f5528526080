// The reading service: start, advance, restart and status of the reading at a place, whatever
// asked for it (a slash command, the Next button, later a schedule). Free of discord.js: it posts
// through a Poster and answers with an outcome, which the caller turns into words.
import { KeyedLock } from '../keyed-lock.js';
import { cardWordsIn } from '../messages/cards.js';
import { renderEndCard, renderTitleCard, renderToBeContinued } from '../render/index.js';
import type { ReadingRecord } from '../store/records.js';
import { partRef } from '../store/records.js';
import { mayReadIn } from '../story/rating.js';
import type { Story } from '../story/types.js';
import { placeKey, type Place } from './place.js';
import type { PositionFallback } from './rules.js';
import {
	claimIsLive,
	handledElsewhere,
	hasStarted,
	isOver,
	newestMessageId,
	nextStep,
	partsPosted,
	snowflakeTime,
	startReading,
	withClaim,
	withEndPosted,
	withPartPosted,
	resolveReading,
	stillWritten,
	withTitlePosted,
} from './rules.js';
import { slotIsDue, withSlotReleased } from '../schedule/slots.js';
import type { Actor, Outcome, Poster, ReadingStore, Status, Step, StoryParts, Trigger } from './types.js';

export { stillWritten } from './rules.js';
export type { Actor, NextButton, Outcome, OutgoingMessage, Poster, ReadingStore, RefusalReason, Status, Step, StoryParts, Trigger } from './types.js';

const NEXT_PREFIX = 'next';

/** How long an action waits for another process's claim on the same place to be saved before answering `busy`. */
export const CLAIM_WAIT_MS = 1_500;

/**
 * The custom id of the Next button under a reading's `posted`th part (see partsPosted): `next:<story>:<posted>`.
 * Not the part's number, which moves when a chapter is inserted before it: the newest part's button
 * would then answer "an earlier scene". Buttons posted before this was so carry the part's number,
 * which is the same count for a reading that has seen no such insertion.
 */
export function nextButtonId(storyId: string, posted: number): string {
	return `${NEXT_PREFIX}:${storyId}:${posted}`;
}

/** A Next button's story and count of parts posted under it (`position`), or undefined for another custom id. */
export function parseNextButton(customId: string): { storyId: string; position: number } | undefined {
	const [prefix, storyId, position] = customId.split(':');
	if (prefix !== NEXT_PREFIX || !storyId || !position || !/^\d+$/.test(position)) return undefined;
	return { storyId, position: Number(position) };
}

/** The notice role of a channel's reading (its schedule's, while the schedule lasts). */
function noticeRole(place: Place, record: ReadingRecord): string | undefined {
	return place.kind === 'channel' && record.schedule && !record.schedule.endedAt ? record.schedule.roleId : undefined;
}

export interface ReadingServiceOptions {
	store: ReadingStore;
	stories: StoryParts;
	/** Serialises actions on one place within this process; the store's compare-and-set covers other processes. */
	locks?: KeyedLock;
	/** Words for the Next button (from src/messages), in `language` (the poster's; undefined: English). */
	nextLabel: (story: Story, position: number, language?: string) => string;
	/** The name of part `part`'s discussion thread (from src/messages); default "<title> · part <n>". */
	threadName?: (story: Story, part: number, language?: string) => string;
	/**
	 * Brings the stored votes of a reading up to date with the platform before a tally is drawn
	 * (the end card), so votes cast while the bot was offline count. Optional: tests without a
	 * platform leave it out.
	 */
	beforeTally?: (record: ReadingRecord, story: Story) => Promise<void>;
	now?: () => Date;
	/** A reading whose newest part's key is gone from its story was placed by its stored part number (for a warning in the log). */
	onPositionFallback?: (record: ReadingRecord, fallback: PositionFallback) => void;
	/** The "to be continued" card after a saved part could not be posted (for the log). */
	onToBeContinuedFailed?: (story: Story, error: unknown) => void;
}

/**
 * One reading service per process. Exactly once: before posting, the next position is claimed in
 * the store with compare-and-set, so of two processes (or two presses) one posts and the other is
 * told; a claim that cannot be saved posts nothing; a post whose save failed is remembered here and
 * saved before anything else happens at that place.
 */
export class ReadingService {
	readonly #store: ReadingStore;
	readonly #stories: StoryParts;
	readonly #now: () => Date;
	readonly #nextLabel: ReadingServiceOptions['nextLabel'];
	readonly #threadName: NonNullable<ReadingServiceOptions['threadName']>;
	readonly #beforeTally: ReadingServiceOptions['beforeTally'];
	readonly #onFallback: ReadingServiceOptions['onPositionFallback'];
	readonly #onCardFailed: ReadingServiceOptions['onToBeContinuedFailed'];
	readonly locks: KeyedLock;
	/** Posted but not saved, by place key: the record to save and the version it must replace. */
	readonly #unsaved = new Map<string, { record: ReadingRecord; expected: number }>();

	constructor(options: ReadingServiceOptions) {
		this.#store = options.store;
		this.#stories = options.stories;
		this.locks = options.locks ?? new KeyedLock();
		this.#now = options.now ?? (() => new Date());
		this.#nextLabel = options.nextLabel;
		this.#threadName = options.threadName ?? ((story, part) => `${story.meta.title} · part ${part}`);
		this.#beforeTally = options.beforeTally;
		this.#onFallback = options.onPositionFallback;
		this.#onCardFailed = options.onToBeContinuedFailed;
	}

	/** Where the reading at `place` stands. Throws StoreUnavailableError when the store is down. */
	async status(place: Place): Promise<Status> {
		return this.locks.run(placeKey(place), async () => {
			const record = await this.#current(place);
			if (!record || !hasStarted(record)) return { kind: 'noReading' };
			const story = this.#stories.get(record.storyId);
			return story ? { kind: 'reading', record, story } : this.#gone(record);
		});
	}

	/**
	 * Starts `story` at `place`: the title card and part 1. Where a reading is under way, answers
	 * `underWay` unless `restart` is asked, which needs `mayRestart`.
	 */
	async start(place: Place, story: Story, actor: Actor & { mayRestart: boolean }, options: { poster: Poster; channelId: string | undefined; restart?: boolean }): Promise<Outcome> {
		return this.locks.run(placeKey(place), async () => {
			if ((await this.#saveUnsaved(place)) === 'cannotSave') return { kind: 'refused', reason: 'cannotSave' };
			const record = await this.#settled(place, actor);
			if (record && handledElsewhere(record, actor.trigger)) return { kind: 'handledElsewhere' };
			const current = record && this.#stories.get(record.storyId);
			if (record && current && claimIsLive(record, this.#now())) return { kind: 'busy', record, story: current };
			const underWay = record !== undefined && current !== undefined && hasStarted(record) && !isOver(record, this.#stories.partCount(current));
			if (underWay && !options.restart) return { kind: 'underWay', record, story: current };
			if (underWay && !actor.mayRestart) return { kind: 'refused', reason: 'mayNotRestart', record, story: current };

			const started = startReading({ place, storyId: story.id, channelId: options.channelId, userId: actor.userId, now: this.#now(), trigger: actor.trigger });
			// A restart keeps the place's schedule (a finished reading's has ended, and goes with it).
			const fresh = record?.schedule && !record.schedule.endedAt ? { ...started, schedule: record.schedule } : started;
			const claimed = await this.#store.saveReading(fresh, record?.version ?? 0);
			if (!claimed) return this.#lostRace(place, actor);
			const title = await this.#postOrRelease(claimed, undefined, () => options.poster.post({ payload: renderTitleCard(story, cardWordsIn(options.poster.language)), notifyRoleId: noticeRole(place, claimed) }));
			const afterTitle = withTitlePosted(claimed, title.id);
			return this.#postPart(place, story, afterTitle, claimed.version, 1, actor, options.poster, { kind: 'start' }, undefined);
		});
	}

	/** Starts `story` over at `place` (needs `mayRestart` when a reading is under way). */
	restart(place: Place, story: Story, actor: Actor & { mayRestart: boolean }, options: { poster: Poster; channelId: string | undefined }): Promise<Outcome> {
		return this.start(place, story, actor, { ...options, restart: true });
	}

	/** `/next` or the Next button: posts the next part, or the end card after the last one. */
	async advance(place: Place, actor: Actor, trigger: Trigger, poster: Poster): Promise<Outcome> {
		return this.locks.run(placeKey(place), async () => {
			if ((await this.#saveUnsaved(place)) === 'cannotSave') return { kind: 'refused', reason: 'cannotSave' };
			const record = await this.#settled(place, actor);
			if (!record || (!hasStarted(record) && !claimIsLive(record, this.#now()))) return { kind: 'noReading' };
			if (handledElsewhere(record, actor.trigger)) return { kind: 'handledElsewhere' };
			const story = this.#stories.get(record.storyId);
			if (trigger.kind === 'schedule' && !slotIsDue(record, trigger.due)) return { kind: 'notDue', record };
			if (!story) {
				if (trigger.kind !== 'schedule') return this.#gone(record);
				// The slot passes (as for `ratedElsewhere`), or the scheduler would find it due again at once.
				const passed = await this.#store.saveReading(withSlotReleased(record, trigger.due), record.version);
				return passed ? this.#gone(passed) : this.#lostRace(place, actor);
			}
			if (trigger.kind === 'button' && (trigger.storyId !== record.storyId || trigger.position !== partsPosted(record))) {
				return { kind: 'staleButton', record, story };
			}
			if (claimIsLive(record, this.#now())) return { kind: 'busy', record, story };
			// Someone else's /next was served while this one waited: it must not post a second part.
			// Both times are Discord's, and every post is a new message, so its id says when readers could see it.
			const newest = newestMessageId(record);
			if (trigger.kind === 'command' && newest !== undefined && actor.at < snowflakeTime(newest)) return { kind: 'alreadyPosted', record, story };
			// The rating was checked when the reading started; an edit may have changed it since.
			if (poster.where !== undefined && !mayReadIn(story.meta, poster.where).ok) {
				if (trigger.kind !== 'schedule') return { kind: 'ratedElsewhere', record, story };
				// A schedule's slot passes (as for `waiting`), or the scheduler would find it due again at once.
				const passed = await this.#store.saveReading(withSlotReleased(record, trigger.due), record.version);
				return passed ? { kind: 'ratedElsewhere', record: passed, story } : this.#lostRace(place, actor);
			}
			const partCount = this.#stories.partCount(story);
			const step = nextStep(record, partCount, stillWritten(story));
			if (step.kind === 'over') return { kind: 'over', record, story };
			if (step.kind === 'waiting') {
				if (trigger.kind !== 'schedule') return { kind: 'waiting', record, story };
				// A slot that falls due while the story waits for its next part passes without a word;
				// the schedule releases again at its next slot, which posts the part if it is out by then.
				const passed = await this.#store.saveReading(withSlotReleased(record, trigger.due), record.version);
				return passed ? { kind: 'waiting', record: passed, story } : this.#lostRace(place, actor);
			}

			// A schedule's slot is marked released in the same compare-and-set as the claim: of two
			// processes due at once one posts, and a slot is never posted twice (see slotIsDue).
			const claim = withClaim(record, record.position + 1, actor.userId, this.#now(), actor.trigger);
			const claimed = await this.#store.saveReading(trigger.kind === 'schedule' ? withSlotReleased(claim, trigger.due) : claim, record.version);
			if (!claimed) return this.#lostRace(place, actor);
			if (step.kind === 'part') return this.#postPart(place, story, claimed, claimed.version, step.part, actor, poster, step, record);

			const end = await this.#postOrRelease(claimed, record, async () => {
				await this.#beforeTally?.(claimed, story);
				const counts = await this.#store.countVotes([placeKey(place)], story.id, this.#stories.partKeys(story), story.meta.feedbackEmoji);
				return poster.post({ payload: renderEndCard(story, { emojis: [...story.meta.feedbackEmoji], counts }, cardWordsIn(poster.language)) });
			});
			return this.#savePosted(place, story, withEndPosted(claimed, partCount, end.id, actor.userId, this.#now()), claimed.version, step, []);
		});
	}

	/** Posts part `part` (every message; the button and the emoji under the last) and saves it. */
	async #postPart(place: Place, story: Story, claimed: ReadingRecord, expected: number, part: number, actor: Actor, poster: Poster, step: Step, before: ReadingRecord | undefined): Promise<Outcome> {
		const payloads = this.#stories.partMessages(story, part, poster.language);
		const ids: string[] = [];
		const ping = noticeRole(place, claimed);
		const discussion = place.kind === 'channel' && claimed.discussion ? { name: this.#threadName(story, part, poster.language), autoArchiveMinutes: claimed.discussion.autoArchiveMinutes } : undefined;
		const nextButton = { customId: nextButtonId(story.id, partsPosted(claimed) + 1), label: this.#nextLabel(story, part, poster.language) };
		// The newest part of a story still being written ends its sitting with "to be continued",
		// which carries the Next button (it posts the next part once the author has added it).
		const toBeContinued = stillWritten(story) && part === this.#stories.partCount(story);
		await this.#postOrRelease(claimed, before, async () => {
			for (const [index, payload] of payloads.entries()) {
				const last = index === payloads.length - 1;
				const posted = await poster.post({
					payload,
					...(index === 0 && ping !== undefined ? { pingRoleId: ping } : {}),
					...(index === 0 && discussion !== undefined ? { discussion } : {}),
					...(last
						? {
								...(toBeContinued ? {} : { nextButton }),
								feedbackEmoji: place.kind === 'channel' ? story.meta.feedbackEmoji : undefined,
								partStartId: ids[0],
							}
						: { partStartId: ids[0] }),
				});
				ids.push(posted.id);
			}
			return { id: ids.at(-1)! };
		});
		// The part a reading will ask for next, rendered once this part is out (never before its reply has left).
		if (part < this.#stories.partCount(story)) setImmediate(() => this.#stories.renderAhead?.(story, part + 1, poster.language));
		const outcome = await this.#savePosted(place, story, withPartPosted(claimed, part, ids, actor.userId, this.#now(), this.#stories.partKeys(story)[part - 1]!), expected, step, ids);
		// Posted once the part is saved, so a card Discord refuses never has the part posted again;
		// without it the reader still has `/next`, which says the same in words.
		if (toBeContinued) await poster.post({ payload: renderToBeContinued(story, cardWordsIn(poster.language)), nextButton }).catch((error: unknown) => this.#onCardFailed?.(story, error));
		return outcome;
	}

	/**
	 * Runs a post under a claim. If nothing could be posted, the claim is given back (best effort:
	 * if the store is down too, it expires after CLAIM_EXPIRES_MS) and the error goes on up. A start
	 * whose title card failed is left unstarted (see hasStarted), so the next /read starts afresh.
	 * `before` (the record the claim was made from) gives back a schedule's slot marked with the claim.
	 */
	async #postOrRelease<T>(claimed: ReadingRecord, before: ReadingRecord | undefined, post: () => Promise<T>): Promise<T> {
		try {
			return await post();
		} catch (error) {
			const { claim: _claim, ...rest } = claimed;
			const released = before ? { ...rest, schedule: before.schedule } : rest;
			await this.#store.saveReading(released, claimed.version).catch(() => undefined);
			throw error;
		}
	}

	async #savePosted(place: Place, story: Story, record: ReadingRecord, expected: number, step: Step, messageIds: readonly string[]): Promise<Outcome> {
		let saved: ReadingRecord | undefined;
		try {
			saved = await this.#store.saveReading(record, expected);
		} catch {
			this.#unsaved.set(placeKey(place), { record, expected });
			return { kind: 'postedUnsaved', step, record, story };
		}
		// Only a claim taken over after it expired can beat us here; what we posted is posted, so say so.
		const final = saved ?? record;
		let votesIndexed = true;
		if (place.kind === 'channel' && step.kind !== 'end') {
			// Filed by the part's ordinal in the reading and its key (see ReadingRecord.partKeys).
			const ordinal = record.partKeys?.length ?? record.position;
			const key = record.partKeys?.at(-1);
			try {
				// Every message of the part: a reaction on any of them counts.
				for (const id of messageIds) await this.#store.indexPartMessage(id, partRef(place, story.id, ordinal, key));
			} catch {
				votesIndexed = false;
			}
		}
		return { kind: 'posted', step, record: final, story, votesIndexed };
	}

	/** Saves a post remembered as unsaved at `place`, if any. */
	async #saveUnsaved(place: Place): Promise<'none' | 'saved' | 'cannotSave'> {
		const pending = this.#unsaved.get(placeKey(place));
		if (!pending) return 'none';
		try {
			await this.#store.saveReading(pending.record, pending.expected);
		} catch {
			return 'cannotSave';
		}
		// Saved, or the version moved on (an expired claim taken over): either way it is settled.
		this.#unsaved.delete(placeKey(place));
		return 'saved';
	}

	/** A reading whose story is not loaded: gone, or (`refusedFile`) in a file with a mistake. */
	#gone(record: ReadingRecord): { kind: 'storyGone'; record: ReadingRecord; refusedFile?: string } {
		const refusedFile = this.#stories.refusedFile?.(record.storyId);
		return refusedFile === undefined ? { kind: 'storyGone', record } : { kind: 'storyGone', record, refusedFile };
	}

	/** Another process saved the reading between our read and our claim: tell what it did. */
	async #lostRace(place: Place, actor: Actor): Promise<Outcome> {
		const record = await this.asStoryNow(await this.#store.getReading(placeKey(place)));
		if (record && handledElsewhere(record, actor.trigger)) return { kind: 'handledElsewhere' };
		const story = record && this.#stories.get(record.storyId);
		if (!record) return { kind: 'noReading' };
		if (!story) return this.#gone(record);
		return record.claim ? { kind: 'busy', record, story } : { kind: 'alreadyPosted', record, story };
	}

	/**
	 * The reading at `place` once no other process is posting there: a claim held by another
	 * process lasts as long as one post (milliseconds to a few seconds), and a reader who pressed
	 * the Next button of the part being saved should get the next part, not "that button is old".
	 * Gives up after CLAIM_WAIT_MS and returns the reading as it is (still claimed: `busy`).
	 */
	async #settled(place: Place, actor: Actor): Promise<ReadingRecord | undefined> {
		const giveUpAt = Date.now() + CLAIM_WAIT_MS;
		for (let pauseMs = 5; ; pauseMs = Math.min(pauseMs * 2, 100)) {
			const record = await this.asStoryNow(await this.#store.getReading(placeKey(place)));
			if (!record || !claimIsLive(record, this.#now()) || handledElsewhere(record, actor.trigger) || Date.now() >= giveUpAt) return record;
			await new Promise((resolve) => setTimeout(resolve, pauseMs));
		}
	}

	async #current(place: Place): Promise<ReadingRecord | undefined> {
		const pending = this.#unsaved.get(placeKey(place));
		return this.asStoryNow(pending?.record ?? (await this.#store.getReading(placeKey(place))));
	}

	/**
	 * A stored reading as it stands against its story as loaded now (see resolveReading: its newest
	 * part found by key, a story grown after its end card going on): every record the service acts on
	 * goes through here. Records of stories not loaded are returned as they are.
	 * Throws StoreUnavailableError when a schema-2 record's legacy keys cannot be read.
	 */
	async asStoryNow(record: ReadingRecord | undefined): Promise<ReadingRecord | undefined> {
		const story = record && this.#stories.get(record.storyId);
		if (!record || !story) return record;
		const legacy = record.partKeys === undefined ? await this.#store.legacyPartKeys(story.id) : undefined;
		const { record: resolved, fallback } = resolveReading(record, this.#stories.partKeys(story), legacy);
		if (fallback) this.#onFallback?.(resolved, fallback);
		return resolved;
	}
}
