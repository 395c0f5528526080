// What the reading service takes and gives: its ports (store, stories, poster) and its outcomes.
import type { MessagePayload } from '../render/index.js';
import type { ReadingRecord } from '../store/records.js';
import type { Store } from '../store.js';
import type { ReadingPlace } from '../story/rating.js';
import type { Story } from '../story/types.js';
import type { NextStep } from './rules.js';

/** What the service needs of the store (src/store.ts implements it; tests use an in-memory one). */
export type ReadingStore = Pick<Store, 'getReading' | 'saveReading' | 'indexPartMessage' | 'countVotes' | 'legacyPartKeys'>;

/** What the service knows of stories: parts only through these (src/context.ts's StoryLibrary has them). */
export interface StoryParts {
	get(id: string): Story | undefined;
	/** How many parts one `/next` after another walks through. */
	partCount(story: Story): number;
	/** Every part's stable key (src/story/keys.ts), in reading order: index = part - 1. */
	partKeys(story: Story): readonly string[];
	/** The messages of part `part` (1-based), their labels in `language` (a shipped language code; default English). */
	partMessages(story: Story, part: number, language?: string): readonly MessagePayload[];
	/** Optional: prepares part `part`'s messages for a later partMessages (a no-op for a part the story does not have). */
	renderAhead?(story: Story, part: number, language?: string): void;
	/** Optional: the file of story `id` when it is not loaded because that file has a mistake (StoryLibrary.refusedFile). */
	refusedFile?(id: string): string | undefined;
}

/** The Next button to put under a message: its id carries the story and the position it was posted at. */
export interface NextButton {
	customId: string;
	label: string;
}

export interface OutgoingMessage {
	payload: MessagePayload;
	/** Under the last message of a part (or the title card when nothing follows it at once). */
	nextButton?: NextButton | undefined;
	/** A role to mention with this message (a schedule's notice role, on the first message of a new part): the only ping the bot sends. */
	pingRoleId?: string | undefined;
	/** Start a public thread under this message (the first of a new part) for talk about that part. */
	discussion?: { name: string; autoArchiveMinutes: number } | undefined;
	/** A "Notify me" button for this role (on the title card of a reading with a notice role). */
	notifyRoleId?: string | undefined;
	/** Offered as reactions under the last message of a part, for readers to vote with one click. */
	feedbackEmoji?: readonly string[] | undefined;
	/** On every message of a part after its first: the first's id, for a link back to the part's start. */
	partStartId?: string | undefined;
}

/** Posts at the place an action came from: a channel, a DM, or private answers to one reader. */
export interface Poster {
	/**
	 * The language of the bot's own words in what it posts (a shipped language code, see
	 * src/messages languageFor): the server's preferred locale for a channel, the reader's for a
	 * private reading. Default English. The story's own text is never translated.
	 */
	readonly language?: string | undefined;
	/**
	 * Where the parts go, for the rating rule (src/story/rating.ts mayReadIn): a Mature or Explicit
	 * story is posted only where it may be read, even if its rating changed since the reading started
	 * (an edit, a hot reload). Undefined: not checked.
	 */
	readonly where?: ReadingPlace | undefined;
	/** Posts one message and returns its id. Throws what the platform threw; nothing is retried. */
	post(message: OutgoingMessage): Promise<{ id: string }>;
}

export interface Actor {
	userId: string;
	/**
	 * The action's own id (the interaction id). Two processes on one token both receive it: the one
	 * whose claim wins answers, and the other is told `handledElsewhere` and stays silent.
	 */
	trigger?: string | undefined;
	/** When the reader acted, by Discord's clock (the interaction's snowflake time), ms since 1970. */
	at: number;
}

/**
 * What asked for the next part: a command, a Next button (the position it was posted under), or a
 * schedule's slot (its due time, ms since 1970): a slot is released once, whichever process gets to it.
 */
export type Trigger =
	| { kind: 'command' }
	/** `position`: how many parts the reading had posted under the button (see nextButtonId). */
	| { kind: 'button'; storyId: string; position: number }
	| { kind: 'schedule'; due: number };

export type Step = NextStep | { kind: 'start' };

/** Why an action was refused without posting anything. */
export type RefusalReason =
	/** A reading is under way here and the actor may not start it over. */
	| 'mayNotRestart'
	/** A post here is waiting to be saved, and the store still refuses writes. */
	| 'cannotSave';

export type Outcome =
	/** Posted and saved. `votesIndexed` is false when the index for reactions could not be written. */
	| { kind: 'posted'; step: Step; record: ReadingRecord; story: Story; votesIndexed: boolean }
	/** Posted, but the reading could not be saved; the next action here saves it before anything else. */
	| { kind: 'postedUnsaved'; step: Step; record: ReadingRecord; story: Story }
	/** Someone else's action moved the reading on after this one was made. */
	| { kind: 'alreadyPosted'; record: ReadingRecord; story: Story }
	/** A part is being posted here right now (maybe by another process). */
	| { kind: 'busy'; record: ReadingRecord; story: Story }
	/** The pressed Next button is from an earlier position. */
	| { kind: 'staleButton'; record: ReadingRecord; story: Story }
	/** The story is still being written and its newest part is posted: nothing more yet (the reading stays where it is). */
	| { kind: 'waiting'; record: ReadingRecord; story: Story }
	/** The story's rating (Mature, Explicit) is not read where its parts would go (Poster.where): nothing posted. */
	| { kind: 'ratedElsewhere'; record: ReadingRecord; story: Story }
	/** Everything, the ending included, is posted. */
	| { kind: 'over'; record: ReadingRecord; story: Story }
	/** A reading is under way here (for a start without restart). */
	| { kind: 'underWay'; record: ReadingRecord; story: Story }
	| { kind: 'noReading' }
	/** A schedule's slot that is no longer to be released: the schedule was paused, cleared or ended, or the slot was released already. */
	| { kind: 'notDue'; record: ReadingRecord }
	/** Another process received this same action and is answering it: say nothing. */
	| { kind: 'handledElsewhere' }
	/** The reading is of a story that is no longer loaded; `refusedFile`: its file is there but has a mistake (it goes on once fixed). */
	| { kind: 'storyGone'; record: ReadingRecord; refusedFile?: string }
	| { kind: 'refused'; reason: RefusalReason; record?: ReadingRecord | undefined; story?: Story | undefined };

export type Status = { kind: 'reading'; record: ReadingRecord; story: Story } | { kind: 'noReading' } | { kind: 'storyGone'; record: ReadingRecord; refusedFile?: string };
