import type { ReadingRecord } from '../store/records.js';
import { partNumberOf } from '../story/keys.js';
import type { Story } from '../story/types.js';
import type { Place } from './place.js';

// Pure rules of a reading. No discord.js and no store here: these are tested with plain objects.

export type NextStep = { kind: 'part'; part: number } | { kind: 'end' } | { kind: 'waiting' } | { kind: 'over' };

/**
 * What `/next` posts for this reading of a story with `partCount` parts: the next part, else the end
 * card, or, for a story still being written (`status: in-progress`), nothing yet (`waiting`: its next
 * part is not out, and the reading stays where it is).
 */
export function nextStep(record: Pick<ReadingRecord, 'position'>, partCount: number, stillWritten = false): NextStep {
	if (record.position < partCount) return { kind: 'part', part: record.position + 1 };
	if (record.position === partCount) return stillWritten ? { kind: 'waiting' } : { kind: 'end' };
	return { kind: 'over' };
}

/** A story its author is still writing (`status: in-progress`, or `chapters: 3/?`): its newest part is followed by "to be continued", not the end card. */
export function stillWritten(story: Pick<Story, 'meta'>): boolean {
	return story.meta.status === 'in-progress';
}

/**
 * How many parts a schema-2 record (no `partKeys`) posted: one message id per part, so a position
 * past its message ids is one that got its end card (`ended` did not exist then either).
 */
export function legacyPartsPosted(record: Pick<ReadingRecord, 'position' | 'partMessageIds' | 'endCardMessageId'>): number {
	const ended = record.endCardMessageId !== undefined || (record.position > 0 && record.position > record.partMessageIds.length);
	return ended ? record.position - 1 : record.position;
}

/** A reading whose newest part's key is gone from the story: it was placed by its stored part number instead. */
export interface PositionFallback {
	key: string;
	/** The part number it was placed at (1-based). */
	part: number;
}

/**
 * The reading as it stands against its story now, whose parts have the keys `current` (reading
 * order). Pure. The newest posted part is found by its key (src/story/keys.ts partNumberOf), so a
 * chapter inserted before it, or a chapter split into more sittings, does not move the reading; a key
 * that is gone falls back to the stored part number, and says so (`fallback`, for the log).
 *
 * A schema-2 record (no `partKeys`) first gets the keys of the parts it posted: the `legacy` keys
 * (what part numbers meant when the store moved to schema 3; see the store's legacyPartKeys), else
 * `current`'s. A reading that got its end card, of a story that has grown since, goes on from its last
 * posted part: the next `/next` posts the first new part, not the end card again.
 */
export function resolveReading(record: ReadingRecord, current: readonly string[], legacy?: readonly string[]): { record: ReadingRecord; fallback?: PositionFallback } {
	let resolved = record;
	if (resolved.partKeys === undefined) {
		const posted = legacyPartsPosted(resolved);
		const keys = Array.from({ length: posted }, (_, index) => legacy?.[index] ?? current[index] ?? `#${index + 1}`);
		resolved = { ...resolved, partKeys: keys, legacyParts: posted, ...(posted < resolved.position ? { ended: true } : {}) };
	}
	const newest = resolved.partKeys!.at(-1);
	if (newest === undefined) return { record: resolved };
	let part = partNumberOf(newest, current);
	let fallback: PositionFallback | undefined;
	if (part === 0) {
		part = Math.max(1, Math.min(resolved.ended ? resolved.position - 1 : resolved.position, current.length));
		fallback = { key: newest, part };
	}
	let position = part;
	if (resolved.ended) {
		if (part >= current.length) position = current.length + 1;
		else {
			const { ended: _ended, endCardMessageId: _endCard, ...rest } = resolved;
			resolved = rest;
		}
	}
	return { record: { ...resolved, position }, ...(fallback ? { fallback } : {}) };
}

/**
 * How many parts the reading has posted (its newest part's ordinal). Unlike `position` (a part number
 * in the story as it is now), inserting a chapter before the reading's place does not change it, so a
 * Next button carries it (see nextButtonId). A schema-2 record not yet resolved has no `partKeys`: its position.
 */
export function partsPosted(record: Pick<ReadingRecord, 'partKeys' | 'position'>): number {
	return record.partKeys?.length ?? record.position;
}

/** False for a reading whose start was claimed but whose title card never got posted: there is nothing to continue. */
export function hasStarted(record: Pick<ReadingRecord, 'position' | 'titleCardMessageId'>): boolean {
	return record.position > 0 || record.titleCardMessageId !== undefined;
}

export function isOver(record: Pick<ReadingRecord, 'position'>, partCount: number): boolean {
	return record.position > partCount;
}

/** Every message of the reading's `part`th posted part (its ordinal, 1-based), for reconciling its reactions. */
export function messagesOfPart(record: ReadingRecord, part: number): string[] {
	const all = record.partAllMessageIds?.[String(part)];
	if (all) return [...all];
	const last = record.partMessageIds[part - 1];
	return last === undefined ? [] : [last];
}

/** The newest message of the reading, for "jump to" links (undefined when its messages were private). */
export function newestMessageId(record: ReadingRecord): string | undefined {
	return record.endCardMessageId ?? record.partMessageIds.at(-1) ?? record.titleCardMessageId;
}

/** Discord's epoch (2015-01-01) in ms; a snowflake's top 42 bits are ms since then (https://discord.com/developers/docs/reference#snowflakes). */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When Discord created the object with this snowflake id, in ms since 1970. */
export function snowflakeTime(id: string): number {
	return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** A claim older than this is taken to be from a process that died while posting, and may be taken over. */
export const CLAIM_EXPIRES_MS = 60_000;

export function claimIsLive(record: ReadingRecord, now: Date): boolean {
	return record.claim !== undefined && now.getTime() - Date.parse(record.claim.at) < CLAIM_EXPIRES_MS;
}

export interface ReadingStart {
	place: Place;
	storyId: string;
	channelId: string | undefined;
	userId: string;
	now: Date;
	/** The action's id (an interaction id), when it has one. */
	trigger?: string | undefined;
}

/** A new reading at the title card. Its version is set when saved. */
export function startReading(start: ReadingStart): ReadingRecord {
	const at = start.now.toISOString();
	return {
		schema: 3,
		version: 0,
		place: start.place,
		storyId: start.storyId,
		...(start.channelId !== undefined ? { channelId: start.channelId } : {}),
		position: 0,
		partMessageIds: [],
		partKeys: [],
		startedBy: start.userId,
		startedAt: at,
		advancedBy: start.userId,
		advancedAt: at,
		claim: { position: 0, by: start.userId, at, ...(start.trigger !== undefined ? { trigger: start.trigger } : {}) },
	};
}

/** The reading with `position` claimed by `userId` (see ReadingRecord.claim). */
export function withClaim(record: ReadingRecord, position: number, userId: string, now: Date, trigger?: string): ReadingRecord {
	return { ...record, claim: { position, by: userId, at: now.toISOString(), ...(trigger !== undefined ? { trigger } : {}) } };
}

/**
 * True when `trigger` is the action the reading's claim or last post came from: another process
 * got the same interaction (two gateway sessions on one token) and is answering it.
 */
export function handledElsewhere(record: ReadingRecord, trigger: string | undefined): boolean {
	return trigger !== undefined && (record.claim?.trigger === trigger || record.lastTrigger === trigger);
}

/** The title card is posted; the start's claim holds until part 1 is posted too. */
export function withTitlePosted(record: ReadingRecord, messageId: string | undefined): ReadingRecord {
	return { ...record, ...(messageId !== undefined ? { titleCardMessageId: messageId } : {}) };
}

/**
 * The reading with part `part` (its number in the story now) posted as `messageIds` (in order; the
 * last one carries the Next button), `key` being the part's stable key. Message ids are filed by the
 * part's ordinal in the reading (see ReadingRecord.partMessageIds).
 */
export function withPartPosted(record: ReadingRecord, part: number, messageIds: readonly string[], userId: string, now: Date, key: string): ReadingRecord {
	if (part !== record.position + 1) throw new RangeError(`part ${part} cannot follow position ${record.position}`);
	const { claim, ended: _ended, endCardMessageId: _endCard, ...rest } = record;
	const last = messageIds.at(-1);
	const ordinal = record.partMessageIds.length + 1;
	return {
		...rest,
		position: part,
		partMessageIds: last !== undefined ? [...record.partMessageIds, last] : record.partMessageIds,
		partKeys: [...(record.partKeys ?? []), key],
		...(messageIds.length > 1 ? { partAllMessageIds: { ...record.partAllMessageIds, [String(ordinal)]: [...messageIds] } } : {}),
		lastTrigger: claim?.trigger,
		advancedBy: userId,
		advancedAt: now.toISOString(),
	};
}

/**
 * The ref that votes on the reading's `ordinal`th posted part are filed under: by its key, or, for a
 * part posted by schema 2 (see ReadingRecord.legacyParts), by its number then.
 */
export function postedPartRef(record: ReadingRecord, ordinal: number): { part: number; key?: string } {
	const key = record.partKeys?.[ordinal - 1];
	return ordinal <= (record.legacyParts ?? 0) || key === undefined ? { part: ordinal } : { part: ordinal, key };
}

export function withEndPosted(record: ReadingRecord, partCount: number, messageId: string | undefined, userId: string, now: Date): ReadingRecord {
	if (record.position !== partCount) throw new RangeError(`the end cannot follow position ${record.position} of ${partCount}`);
	const { claim, ...rest } = record;
	return { ...rest, lastTrigger: claim?.trigger, position: partCount + 1, ended: true, ...(messageId !== undefined ? { endCardMessageId: messageId } : {}), advancedBy: userId, advancedAt: now.toISOString() };
}

/**
 * Who may start a reading over where one is under way: Manage Server or the host role. A finished
 * reading (or none) may be started by anyone.
 */
export function mayRestart(actor: { managesServer: boolean; roles: readonly string[] }, hostRoleId: string | undefined): boolean {
	return actor.managesServer || (hostRoleId !== undefined && actor.roles.includes(hostRoleId));
}
