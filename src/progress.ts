import type { ProgressRecord } from './store.js';

// Pure rules of a reading. No discord.js here: these are tested with plain objects.

export type NextStep =
	| { kind: 'scene'; scene: number }
	| { kind: 'end' }
	| { kind: 'over' };

/** What `/next` posts for this reading of a story with `sceneCount` scenes. */
export function nextStep(record: ProgressRecord, sceneCount: number): NextStep {
	if (record.position < sceneCount) return { kind: 'scene', scene: record.position + 1 };
	if (record.position === sceneCount) return { kind: 'end' };
	return { kind: 'over' };
}

export function isOver(record: ProgressRecord, sceneCount: number): boolean {
	return record.position > sceneCount;
}

/** When a /next was made and when it reached the bot, and when the reading's newest message was posted. */
export interface PressTimes {
	/** The interaction's creation, by Discord's clock (its snowflake). */
	createdAt: number;
	/** When the interaction reached the bot, by the bot's clock. */
	receivedAt: number;
	/** The newest message's creation, by Discord's clock (its snowflake). */
	newestPostedAt: number;
	/** The bot's clock as the rule is applied. */
	now: number;
}

/**
 * True when the reading moved on after this /next was sent, so it must not post another scene: two
 * readers sent /next at once and the other one was served first. Each clock is compared only with
 * itself. Discord's: the newest message is younger than the press. The bot's: the press arrived
 * before `advancedAt`, i.e. while it waited its turn behind that post. That catches a scene posted
 * as the edit of a "thinking…" placeholder, whose message id is older than a press made while
 * the placeholder showed (`advancedAt` is then when the edit returned). A stamp from the bot's
 * future (its clock was set back, or the record came from a host whose clock runs ahead) proves
 * nothing and is not used, so such a clock cannot hold the reading up.
 */
export function movedOnSince(record: ProgressRecord, press: PressTimes): boolean {
	const advancedAt = Date.parse(record.advancedAt);
	return press.createdAt < press.newestPostedAt || (advancedAt <= press.now && press.receivedAt < advancedAt);
}

/** The newest message of the reading, for "jump to" links. */
export function newestMessageId(record: ProgressRecord): string {
	return record.endCardMessageId ?? record.sceneMessageIds.at(-1) ?? record.titleCardMessageId;
}

/** "scene 2 of 4", "the ending" or "finished", as a reader would say it. */
export function describePosition(record: ProgressRecord, sceneCount: number): string {
	if (record.position === 0) return `the title card (scene 1 of ${sceneCount} is next)`;
	if (record.position <= sceneCount) return `scene ${record.position} of ${sceneCount}`;
	return `the end (all ${sceneCount} scenes posted)`;
}

export interface ReadingStart {
	storyId: string;
	channelId: string;
	titleCardMessageId: string;
	userId: string;
	now: Date;
}

export function startReading(start: ReadingStart): ProgressRecord {
	const at = start.now.toISOString();
	return {
		schema: 1,
		storyId: start.storyId,
		channelId: start.channelId,
		position: 0,
		titleCardMessageId: start.titleCardMessageId,
		sceneMessageIds: [],
		startedBy: start.userId,
		startedAt: at,
		advancedBy: start.userId,
		advancedAt: at,
	};
}

export function withScenePosted(record: ProgressRecord, scene: number, messageId: string, userId: string, now: Date): ProgressRecord {
	if (scene !== record.position + 1) throw new RangeError(`scene ${scene} cannot follow position ${record.position}`);
	return {
		...record,
		position: scene,
		sceneMessageIds: [...record.sceneMessageIds, messageId],
		advancedBy: userId,
		advancedAt: now.toISOString(),
	};
}

export function withEndPosted(record: ProgressRecord, sceneCount: number, messageId: string, userId: string, now: Date): ProgressRecord {
	if (record.position !== sceneCount) throw new RangeError(`the end cannot follow position ${record.position} of ${sceneCount}`);
	return { ...record, position: sceneCount + 1, endCardMessageId: messageId, advancedBy: userId, advancedAt: now.toISOString() };
}
