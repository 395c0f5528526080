import type { Logger } from './logger.js';
import type { Env } from './env.js';
import type { Store } from './store.js';
import type { RefusedFile } from './story/load.js';
import type { Story } from './story/types.js';
import type { KeyedLock } from './keyed-lock.js';
import type { ReadingService } from './reading/service.js';
import type { Clock } from './schedule/clock.js';
import type { Scheduler } from './schedule/scheduler.js';
import type { TallySync } from './tally-sync.js';
import { cardWordsIn, FALLBACK_LANGUAGE } from './messages/index.js';
import { describePart, partCount, partKeys, renderPart, type MessagePayload } from './render/index.js';
import { matchesTyped } from './story/search.js';

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

/** Rendered parts kept at once (every story, every language); older ones are rendered again when asked for. */
export const PART_CACHE_SIZE = 512;

/**
 * The loaded stories, and everything the reading service needs to know about their parts (what one
 * `/next` posts: a scene of a `# Scene` story, a sitting of a chaptered one). Parts are 1-based.
 * Stories come and go while the bot runs (src/story/watch.ts calls `put` and `removeFile`): a
 * caller holding a Story keeps that version; the next `get` returns the new one.
 */
export class StoryLibrary {
	readonly #byId = new Map<string, Story>();
	/** Every story, sorted by file name (the order of `all`). */
	#all: readonly Story[] = [];
	/**
	 * Rendered parts, most recently used last, by `language\0story id\0part`, at most PART_CACHE_SIZE:
	 * rendering every part of 500 stories at load held about twice their text in memory, while a
	 * part is rendered in well under a millisecond on its first /next (measured by the bench).
	 */
	readonly #parts = new Map<string, readonly MessagePayload[]>();
	/** DEFAULT_STORY, when set. */
	readonly #defaultId: string | undefined;
	/** Files refused at start for a mistake, by the id their readings are stored under, until the file loads or goes. */
	readonly #refused = new Map<string, string>();

	/**
	 * @param stories at least one (loadLibrary refuses a folder without a good story)
	 * @param options.defaultId DEFAULT_STORY; @throws DefaultStoryError when no story has that id (nor a refused file: it may be fixed)
	 * @param options.refused files refused at start (loadLibrary): their readings answer that the file has a mistake
	 */
	constructor(stories: readonly Story[], options: { defaultId?: string | undefined; refused?: readonly RefusedFile[] } = {}) {
		if (stories.length === 0) throw new Error('no stories loaded');
		for (const story of stories) this.#byId.set(story.id, story);
		for (const { id, file } of options.refused ?? []) if (id !== undefined && !this.#byId.has(id)) this.#refused.set(id, file);
		this.#sort();
		if (options.defaultId !== undefined && !this.#byId.has(options.defaultId) && !this.#refused.has(options.defaultId)) throw new DefaultStoryError(options.defaultId, this.#all.map((story) => story.id));
		this.#defaultId = options.defaultId;
	}

	/** Every story, sorted by file name. A new array after each change: safe to hold while stories reload. */
	get all(): readonly Story[] {
		return this.#all;
	}

	get(id: string): Story | undefined {
		return this.#byId.get(id);
	}

	/** The file (as Story.file spells it) of story `id` when it is not loaded because that file was refused for a mistake. */
	refusedFile(id: string): string | undefined {
		return this.#byId.has(id) ? undefined : this.#refused.get(id);
	}

	/** Every part's stable key (src/story/keys.ts), in reading order: index = part - 1. */
	partKeys(story: Story): readonly string[] {
		return partKeys(story);
	}

	/** The story loaded from `file` (as Story.file spells it), if any. */
	byFile(file: string): Story | undefined {
		return this.#all.find((story) => story.file === file);
	}

	/**
	 * Adds `story`, or replaces the version with the same id (and the one loaded from the same file,
	 * when the file's `id:` changed). Its parts are rendered anew on their next use; parts already
	 * posted are not touched.
	 */
	put(story: Story): void {
		const before = this.byFile(story.file);
		if (before !== undefined) this.#drop(before.id);
		this.#forgetRefused(story.file);
		this.#drop(story.id);
		this.#byId.set(story.id, story);
		this.#sort();
	}

	/** Removes the story loaded from `file` (or forgets it was refused); its readings answer `storyGone`. Returns the removed story. */
	removeFile(file: string): Story | undefined {
		this.#forgetRefused(file);
		const story = this.byFile(file);
		if (story === undefined) return undefined;
		this.#drop(story.id);
		this.#sort();
		return story;
	}

	/**
	 * The story `/read` starts when none is named: DEFAULT_STORY's (while it is loaded), else the only
	 * story; undefined when there are several and none is the default, so `/read` asks rather than guesses.
	 */
	get preferred(): Story | undefined {
		const chosen = this.#defaultId === undefined ? undefined : this.#byId.get(this.#defaultId);
		if (chosen !== undefined) return chosen;
		return this.#all.length === 1 ? this.#all[0] : undefined;
	}

	/** How many parts one `/next` at a time posts: at least 1. */
	partCount(story: Story): number {
		return partCount(story);
	}

	/**
	 * The messages that post part `part` (1-based), label included, in posting order. Every message
	 * after the first should link back to the first: post it as `linkToPartStart(payload, first.url)`.
	 * The bot's words in them are in `language` (a shipped language code; default English).
	 * Rendered on first use (or ahead, see renderAhead) and kept among the
	 * PART_CACHE_SIZE most recently used.
	 * @throws RangeError when the story has no such part.
	 */
	partMessages(story: Story, part: number, language: string = FALLBACK_LANGUAGE): readonly MessagePayload[] {
		if (!Number.isInteger(part) || part < 1 || part > partCount(story)) throw new RangeError(`${story.id} has no part ${part}`);
		// A caller holding an older version of a reloaded story renders it without caching it.
		if (this.#byId.get(story.id) !== story) return renderPart(story, part, cardWordsIn(language));
		const key = `${language}\0${story.id}\0${part}`;
		let payloads = this.#parts.get(key);
		if (payloads === undefined) {
			payloads = this.#remember(key, renderPart(story, part, cardWordsIn(language)));
		} else {
			this.#parts.delete(key);
			this.#parts.set(key, payloads);
		}
		return payloads;
	}

	/**
	 * Renders part `part` (1-based) into the cache ahead of its use, so the /next that asks for it
	 * finds it ready. The reading service calls it once a part's messages are posted: rendering
	 * ahead from inside partMessages (on setImmediate) could run before the reply had left and
	 * added a render (a 3,000-character scene: 0.25 ms and more) to every /next (measured by the bench).
	 * Nothing happens for a part the story does not have, one already cached, or an older version of a reloaded story.
	 */
	renderAhead(story: Story, part: number, language: string = FALLBACK_LANGUAGE): void {
		if (!Number.isInteger(part) || part < 1 || part > partCount(story)) return;
		const key = `${language}\0${story.id}\0${part}`;
		if (this.#byId.get(story.id) !== story || this.#parts.has(key)) return;
		this.#remember(key, renderPart(story, part, cardWordsIn(language)));
	}

	#remember(key: string, payloads: readonly MessagePayload[]): readonly MessagePayload[] {
		if (this.#parts.size >= PART_CACHE_SIZE) this.#parts.delete(this.#parts.keys().next().value!);
		this.#parts.set(key, payloads);
		return payloads;
	}

	/** How many rendered parts are kept now (at most PART_CACHE_SIZE), for tests and the bench. */
	get renderedParts(): number {
		return this.#parts.size;
	}

	/** Part `part` in words: "scene 2 of 4", or "Chapter 3 of 12 · sitting 2 of 3", in `language` (default English). @throws RangeError */
	describePart(story: Story, part: number, language?: string): string {
		return describePart(story, part, cardWordsIn(language));
	}

	/** The same as `partMessages`, under the name it had when every part was a scene. */
	sceneMessages(story: Story, sceneNumber: number): readonly MessagePayload[] {
		return this.partMessages(story, sceneNumber);
	}

	/**
	 * Stories with a word of their title, author or id starting with each word typed, case and
	 * accents aside ("doyle", "SCAN", "bohème" find "A Scandal in Bohemia" by Arthur Conan Doyle),
	 * in library order; every story for empty text. See matchesTyped.
	 */
	search(text: string): Story[] {
		return this.#all.filter((story) => matchesTyped(story, text));
	}

	#drop(id: string): void {
		if (!this.#byId.delete(id)) return;
		const prefix = `\0${id}\0`;
		for (const key of [...this.#parts.keys()]) if (key.includes(prefix)) this.#parts.delete(key);
	}

	#forgetRefused(file: string): void {
		for (const [id, refused] of this.#refused) if (refused === file) this.#refused.delete(id);
	}

	#sort(): void {
		this.#all = [...this.#byId.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
	}
}

/** DEFAULT_STORY names no loaded story: one line for the person running the bot (see startup-errors.ts). */
export class DefaultStoryError extends Error {
	override name = 'DefaultStoryError';
	constructor(
		readonly id: string,
		readonly available: readonly string[],
	) {
		super(`DEFAULT_STORY is "${id}", but no story has that id. Stories loaded: ${available.join(', ')}. Set DEFAULT_STORY to one of them, or leave it empty.`);
	}
}
