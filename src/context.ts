import type { Logger } from './logger.js';
import type { Env } from './env.js';
import type { Store } from './store.js';
import type { Story } from './story/types.js';
import type { KeyedLock } from './keyed-lock.js';
import type { ReadingService } from './reading/service.js';
import type { Clock } from './schedule/clock.js';
import type { Scheduler } from './schedule/scheduler.js';
import type { TallySync } from './tally-sync.js';
import { cardWordsIn, FALLBACK_LANGUAGE } from './messages/index.js';
import { describePart, partCount, partKeys, renderPart, type MessagePayload } from './render/index.js';

/** What every handler gets besides its interaction or event. Built once in bot.ts. */
export interface BotContext {
	env: Env;
	logger: Logger;
	store: Store;
	stories: StoryLibrary;
	/** Start, advance and status of the reading at a place: every trigger goes through it. */
	readings: ReadingService;
	/** Serialises reading changes per place within this process (the store's compare-and-set covers other processes). */
	readingLocks: KeyedLock;
	/** Releases at set times (`/schedule`), through `readings` like a /next. */
	schedules: Scheduler;
	/** The scheduler's time: the real clock, or in end-to-end tests one they move (SFB_TEST_CLOCK_FILE). */
	clock: Clock;
	/** Work started by a handler that must finish before shutdown (vote writes); cosmetic work (feedback emoji) is not added. */
	background: Set<Promise<unknown>>;
	/** Which scenes' tallies agree with Discord in this process, so a tally reconciles only the others. */
	tallySync: TallySync;
	/** Aborted when the bot starts shutting down. */
	shutdown: AbortSignal;
}

/**
 * The loaded stories, and everything the reading service needs to know about their parts (what one
 * `/next` posts: a scene of a `# Scene` story, a sitting of a chaptered one). Parts are 1-based.
 */
export class StoryLibrary {
	readonly #byId: ReadonlyMap<string, Story>;
	/** Rendered parts by language, then story id: English at load, another language on its first use. */
	readonly #parts = new Map<string, ReadonlyMap<string, readonly (readonly MessagePayload[])[]>>();

	constructor(readonly all: readonly Story[]) {
		if (all.length === 0) throw new Error('no stories loaded');
		this.#byId = new Map(all.map((story) => [story.id, story]));
		// Stories do not change once loaded, so every part is rendered here, once: splitting a
		// 3,000-character scene took about 0.25 ms of a reader's /next (measured by the bench).
		this.#parts.set(FALLBACK_LANGUAGE, this.#render(FALLBACK_LANGUAGE));
	}

	/** Every part of every story, labelled in `language`. */
	#render(language: string): ReadonlyMap<string, readonly (readonly MessagePayload[])[]> {
		const words = cardWordsIn(language);
		return new Map(this.all.map((story) => [story.id, Array.from({ length: partCount(story) }, (_, index) => renderPart(story, index + 1, words))]));
	}

	get(id: string): Story | undefined {
		return this.#byId.get(id);
	}

	/** Every part's stable key (src/story/keys.ts), in reading order: index = part - 1. */
	partKeys(story: Story): readonly string[] {
		return partKeys(story);
	}

	/** How many parts one `/next` at a time posts: at least 1. */
	partCount(story: Story): number {
		return partCount(story);
	}

	/**
	 * The messages that post part `part` (1-based), label included, in posting order. Every message
	 * after the first should link back to the first: post it as `linkToPartStart(payload, first.url)`.
	 * The bot's words in them are in `language` (a shipped language code; default English).
	 * @throws RangeError when the story has no such part.
	 */
	partMessages(story: Story, part: number, language: string = FALLBACK_LANGUAGE): readonly MessagePayload[] {
		let rendered = this.#parts.get(language);
		if (rendered === undefined) {
			rendered = this.#render(language);
			this.#parts.set(language, rendered);
		}
		const payloads = rendered.get(story.id)?.[part - 1];
		if (!payloads) throw new RangeError(`${story.id} has no part ${part}`);
		return payloads;
	}

	/** Part `part` in words: "scene 2 of 4", or "Chapter 3 of 12 · sitting 2 of 3", in `language` (default English). @throws RangeError */
	describePart(story: Story, part: number, language?: string): string {
		return describePart(story, part, cardWordsIn(language));
	}

	/** The same as `partMessages`, under the name it had when every part was a scene. */
	sceneMessages(story: Story, sceneNumber: number): readonly MessagePayload[] {
		return this.partMessages(story, sceneNumber);
	}

	/** The story `/read` serves when none is named: the first by file name. */
	get default(): Story {
		return this.all[0]!;
	}

	/** Stories whose title or id contains the typed text, for autocomplete. */
	search(text: string): Story[] {
		const needle = text.trim().toLowerCase();
		return this.all.filter((story) => story.id.includes(needle) || story.meta.title.toLowerCase().includes(needle));
	}
}
