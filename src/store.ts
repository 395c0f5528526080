// CONTRACT (implementation pending): the one storage module. Commands and handlers call these
// named functions; nothing else in the bot imports keyv or an adapter.

/** One reading per server. Stored as plain JSON; `schema` lets later versions migrate it. */
export interface ProgressRecord {
	schema: 1;
	storyId: string;
	/** Channel the reading is posted in. */
	channelId: string;
	/** Scenes posted so far: 0 = title card only, n = scene n is the newest, scenes + 1 = end card posted. */
	position: number;
	titleCardMessageId: string;
	/** Last message id of each posted scene, index = scene number - 1. */
	sceneMessageIds: string[];
	endCardMessageId?: string;
	startedBy: string;
	startedAt: string; // ISO 8601
	advancedBy: string;
	advancedAt: string; // ISO 8601
}

/** Which scene of which reading a posted message belongs to (for reactions). */
export interface SceneRef {
	guildId: string;
	storyId: string;
	scene: number;
}

/** Thrown (never returned as "empty") when the backing store cannot be reached. */
export class StoreUnavailableError extends Error {
	override name = 'StoreUnavailableError';
}

export interface Store {
	readonly kind: 'sqlite' | 'redis' | 'postgres';
	getProgress(guildId: string): Promise<ProgressRecord | undefined>;
	saveProgress(guildId: string, record: ProgressRecord): Promise<void>;
	/** Remember that `messageId` is the (last) message of a scene, so reactions on it count. */
	indexSceneMessage(messageId: string, ref: SceneRef): Promise<void>;
	sceneForMessage(messageId: string): Promise<SceneRef | undefined>;
	/** One vote per user per emoji; adding twice counts once, removing an absent vote is a no-op. */
	addVote(ref: SceneRef, emoji: string, userId: string): Promise<void>;
	removeVote(ref: SceneRef, emoji: string, userId: string): Promise<void>;
	/** Remove every vote on a scene for the given emoji (REMOVE_EMOJI), or all of `emojis` (REMOVE_ALL). */
	clearVotes(ref: SceneRef, emojis: readonly string[]): Promise<void>;
	/** Make the stored voters of (scene, emoji) exactly `userIds` (reconciliation from Discord). */
	replaceVotes(ref: SceneRef, emoji: string, userIds: readonly string[]): Promise<void>;
	/** Exact counts: result[sceneIndex][emojiIndex] for scenes 1..sceneCount. */
	countVotes(guildId: string, storyId: string, sceneCount: number, emojis: readonly string[]): Promise<number[][]>;
	close(): Promise<void>;
}

export declare function openStore(url: string | undefined): Promise<Store>;
