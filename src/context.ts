import type { Logger } from './logger.js';
import type { Env } from './env.js';
import type { Store } from './store.js';
import type { Story } from './story/types.js';
import type { KeyedLock } from './keyed-lock.js';

/** What every handler gets besides its interaction or event. Built once in bot.ts. */
export interface BotContext {
	env: Env;
	logger: Logger;
	store: Store;
	stories: StoryLibrary;
	/** Serialises reading changes per server so two Next presses advance once. */
	readingLocks: KeyedLock;
	/** Work started by a handler that must finish before shutdown (reactions under a scene). */
	background: Set<Promise<unknown>>;
	/** Aborted when the bot starts shutting down. */
	shutdown: AbortSignal;
}

export class StoryLibrary {
	readonly #byId: ReadonlyMap<string, Story>;

	constructor(readonly all: readonly Story[]) {
		if (all.length === 0) throw new Error('no stories loaded');
		this.#byId = new Map(all.map((story) => [story.id, story]));
	}

	get(id: string): Story | undefined {
		return this.#byId.get(id);
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
