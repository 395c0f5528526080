import type { Logger } from './logger.js';
import type { Env } from './env.js';
import type { Store } from './store.js';
import type { Story } from './story/types.js';
import type { KeyedLock } from './keyed-lock.js';
import type { ReadingService } from './reading/service.js';
import type { TallySync } from './tally-sync.js';
import { cardWordsIn, FALLBACK_LANGUAGE, readingMessagesIn } from './messages/index.js';
import { renderScene, type MessagePayload } from './render/index.js';

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
	/** Work started by a handler that must finish before shutdown (vote writes); cosmetic work (feedback emoji) is not added. */
	background: Set<Promise<unknown>>;
	/** Which scenes' tallies agree with Discord in this process, so a tally reconciles only the others. */
	tallySync: TallySync;
	/** Aborted when the bot starts shutting down. */
	shutdown: AbortSignal;
}

export class StoryLibrary {
	readonly #byId: ReadonlyMap<string, Story>;
	/** Rendered scenes by language, then story id: English at load, another language on first use. */
	readonly #scenes = new Map<string, Map<string, readonly (readonly MessagePayload[])[]>>();

	constructor(readonly all: readonly Story[]) {
		if (all.length === 0) throw new Error('no stories loaded');
		this.#byId = new Map(all.map((story) => [story.id, story]));
		// Stories do not change once loaded, so every scene is rendered here, once: splitting a
		// 3,000-character scene took about 0.25 ms of a reader's /next (measured by the bench).
		this.#scenes.set(FALLBACK_LANGUAGE, this.#render(FALLBACK_LANGUAGE));
	}

	get(id: string): Story | undefined {
		return this.#byId.get(id);
	}

	#render(language: string): Map<string, readonly (readonly MessagePayload[])[]> {
		const words = cardWordsIn(language);
		return new Map(this.all.map((story) => [story.id, story.scenes.map((_, index) => renderScene(story, index + 1, words))]));
	}

	/** The messages that post scene `sceneNumber` (1-based) of a loaded story, labelled in `language` (default English). */
	sceneMessages(story: Story, sceneNumber: number, language: string = FALLBACK_LANGUAGE): readonly MessagePayload[] {
		let rendered = this.#scenes.get(language);
		if (rendered === undefined) {
			rendered = this.#render(language);
			this.#scenes.set(language, rendered);
		}
		const payloads = rendered.get(story.id)?.[sceneNumber - 1];
		if (!payloads) throw new RangeError(`${story.id} has no scene ${sceneNumber}`);
		return payloads;
	}

	/** How many parts one `/next` after another walks through (today: one per scene). */
	partCount(story: Story): number {
		return story.scenes.length;
	}

	/** The messages that post part `part` (1-based) of a loaded story; RangeError past the end. */
	partMessages(story: Story, part: number, language?: string): readonly MessagePayload[] {
		return this.sceneMessages(story, part, language);
	}

	/** A part as a reader would name it: "scene 2 of 4", in `language` (default English). */
	describePart(story: Story, part: number, language?: string): string {
		return readingMessagesIn(language).part(part, this.partCount(story));
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
