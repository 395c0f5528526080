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
