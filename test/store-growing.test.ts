// Schema 2 to 3 on every available backend: a store the schema-2 release filled (a reading by part
// number, its messages' index entries and votes by number) keeps its reading on the same text and its
// votes on the same parts after the author inserts a chapter before them.
import { afterAll, describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import { placeKey } from '../src/reading/place.js';
import { ReadingService, type OutgoingMessage, type Poster } from '../src/reading/service.js';
import { openStore, type Store } from '../src/store.js';
import type { Backend } from '../src/store/backend.js';
import { keys } from '../src/store/keys.js';
import { openBackend, parseStoreUrl } from '../src/store/registry.js';
import { parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';
import { backends, cleanupRun, uniqueId } from './helpers/stores.js';

afterAll(cleanupRun);

const FRONT = '---\ntitle: Keys\nauthor: A\n---\n\n';
const chapter = (title: string, text: string) => `# Chapter: ${title}\n\n${text}\n\n`;
const GATE = chapter('The Gate', 'The gate had not been opened in years.');
const FERRY = chapter('The Ferry', 'The ferryman counted her coins twice.');
const BANK = chapter('The Far Bank', 'A second lantern was already lit.');
const PROLOGUE = chapter('Prologue', 'Before any of it, there was the road.');

function storyOf(id: string, text: string): Story {
	const result = parseStory(text, `${id}.md`);
	if (!('story' in result)) throw new Error(JSON.stringify(result.errors));
	return { ...result.story, id };
}

/** Posts nothing anywhere: gives each message a snowflake id and keeps it. */
class RecordingPoster implements Poster {
	readonly posted: OutgoingMessage[] = [];
	async post(message: OutgoingMessage) {
		this.posted.push(message);
		return { id: String((BigInt(Date.now() - 1_420_070_400_000) << 22n) + BigInt(this.posted.length)) };
	}
}

/** Fills a store as the schema-2 release did, through the same backend calls: a reading at part 2 of 3, its index entries, votes by number. */
async function fillAsSchema2(url: string, place: { kind: 'channel'; guildId: string; channelId: string }, storyId: string, messageIds: string[]): Promise<void> {
	const { kind, target } = parseStoreUrl(url);
	const backend: Backend = await openBackend(kind, target, {});
	try {
		await backend.prepare();
		// A store that has not been through schema 3's migration (on a server other runs used too).
		await backend.records.delete(keys.schema3);
		const reading = {
			schema: 2,
			place,
			storyId,
			channelId: place.channelId,
			position: 2,
			titleCardMessageId: uniqueId('title'),
			partMessageIds: messageIds,
			startedBy: 'u1',
			startedAt: '2026-11-01T12:00:00.000Z',
			advancedBy: 'u2',
			advancedAt: '2026-11-01T12:05:00.000Z',
		};
		expect(await backend.casReading(placeKey(place), place.guildId, 0, JSON.stringify(reading))).toBe(true);
		for (const [index, messageId] of messageIds.entries()) {
			await backend.records.set(keys.partMessage(messageId), { schema: 2, placeKey: placeKey(place), guildId: place.guildId, storyId, part: index + 1 });
		}
		const byNumber = (part: number) => ({ placeKey: placeKey(place), guildId: place.guildId, storyId, part });
		await backend.applyVotes([
			{ change: 'add', ref: byNumber(1), emoji: '❤️', userId: 'ann' },
			{ change: 'add', ref: byNumber(1), emoji: '❤️', userId: 'bob' },
			{ change: 'add', ref: byNumber(2), emoji: '🔥', userId: 'ann' },
		]);
	} finally {
		await backend.close();
	}
}

async function withStore<T>(url: string, partKeys: Map<string, readonly string[]> | undefined, body: (store: Store) => Promise<T>): Promise<T> {
	const store = await openStore(url, partKeys ? { partKeys: () => partKeys } : {});
	try {
		return await body(store);
	} finally {
		await store.close();
	}
}

for (const backend of backends) {
	describe.skipIf(backend.skipReason !== undefined)(`${backend.name}: schema 2 to 3`, () => {
		it('keeps a schema-2 reading on its text and its votes on their parts after a chapter is inserted before them', async () => {
			const url = backend.url();
			const storyId = uniqueId('story');
			const place = { kind: 'channel', guildId: uniqueId('guild'), channelId: uniqueId('channel') } as const;
			// Message ids are snowflakes from an hour ago, as Discord's were (a /next compares its time with the newest).
			const hourAgo = BigInt(Date.now() - 3_600_000 - 1_420_070_400_000) << 22n;
			const messages = [String(hourAgo + BigInt(Math.floor(Math.random() * 1_000_000))), String(hourAgo + 2_000_000n + BigInt(Math.floor(Math.random() * 1_000_000)))];
			await fillAsSchema2(url, place, storyId, messages);

			// The first start of this build, with the story as those numbers were posted from.
			const before = new StoryLibrary([storyOf(storyId, FRONT + GATE + FERRY + BANK)]);
			const oldKeys = before.partKeys(before.get(storyId)!);
			await withStore(url, new Map([[storyId, oldKeys]]), async (store) => {
				const stored = await store.getReading(placeKey(place));
				expect(stored).toMatchObject({ schema: 3, position: 2 });
				expect(stored?.partKeys).toBeUndefined();
				expect(await store.legacyPartKeys(storyId)).toEqual(oldKeys);
				expect(await store.countVotes([placeKey(place)], storyId, oldKeys, ['❤️', '🔥'])).toEqual([[2, 0], [0, 1], [0, 0]]);
			});

			// The author inserts a prologue; the bot starts again (the migration does not run twice).
			const after = new StoryLibrary([storyOf(storyId, FRONT + PROLOGUE + GATE + FERRY + BANK)]);
			const grown = after.get(storyId)!;
			const newKeys = after.partKeys(grown);
			await withStore(url, new Map([[storyId, newKeys]]), async (store) => {
				expect(await store.legacyPartKeys(storyId)).toEqual(oldKeys);
				const service = new ReadingService({ store, stories: after, nextLabel: () => 'Next' });
				const status = await service.status(place);
				expect(status.kind === 'reading' && status.record.position).toBe(3);
				expect(status.kind === 'reading' && after.describePart(grown, status.record.position)).toBe('Chapter 3 of 4');

				// Votes stay on The Gate and The Ferry (now chapters 2 and 3), not on the prologue.
				const emojis = ['❤️', '🔥'];
				expect(await store.countVotes([placeKey(place)], storyId, newKeys, emojis)).toEqual([[0, 0], [2, 0], [0, 1], [0, 0]]);
				// A reaction on a message posted by schema 2 still counts for its part.
				const filed = await store.partForMessage(messages[0]!);
				expect(filed).toMatchObject({ part: 1 });
				expect(filed?.key).toBeUndefined();
				await store.addVote(filed!, '❤️', 'cy');

				// /next posts what followed The Ferry, and files it by key.
				const poster = new RecordingPoster();
				const outcome = await service.advance(place, { userId: 'u3', at: Date.now() }, { kind: 'command' }, poster);
				expect(outcome).toMatchObject({ kind: 'posted', record: { position: 4, partKeys: [...oldKeys.slice(0, 2), '~the-far-bank/1'], legacyParts: 2 } });
				expect(poster.posted[0]?.payload.content).toContain('The Far Bank');
				const bankRef = await store.partForMessage(outcome.kind === 'posted' ? outcome.record.partMessageIds.at(-1)! : '');
				expect(bankRef).toMatchObject({ part: 3, key: '~the-far-bank/1' });
				await store.addVote(bankRef!, '🔥', 'dee');
				expect(await store.countVotes([placeKey(place)], storyId, newKeys, emojis)).toEqual([[0, 0], [3, 0], [0, 1], [0, 1]]);
			});
		});
	});
}
