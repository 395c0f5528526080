import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import type { Place } from '../src/reading/place.js';
import { CLAIM_EXPIRES_MS } from '../src/reading/rules.js';
import { ReadingService, type OutgoingMessage, type Poster, type StoryParts } from '../src/reading/service.js';
import { StoreUnavailableError } from '../src/store.js';
import { loadStories } from '../src/story/load.js';
import type { Story } from '../src/story/types.js';
import { MemoryStore } from './helpers/memory-store.js';

// The reading service with an in-memory store and a recording poster: every outcome, in
// milliseconds, without Discord. The store keeps a version per place and saves with
// compare-and-set, as the real backends do.


/** Records what would be posted; can be told to fail. */
class RecordingPoster implements Poster {
	readonly posted: OutgoingMessage[] = [];
	failNext = false;
	#id = 1_000_000_000_000_000_000n;

	async post(message: OutgoingMessage) {
		if (this.failNext) {
			this.failNext = false;
			throw new Error('Discord refused the post');
		}
		this.posted.push(message);
		// Snowflakes made now, so a command "made before the newest post" can be told apart.
		this.#id = BigInt(Date.now() - 1_420_070_400_000) << 22n;
		this.#id += BigInt(this.posted.length);
		return { id: String(this.#id) };
	}

	labels(): string[] {
		return this.posted.map((message) => message.payload.content ?? '(card)');
	}
}

let stories: StoryLibrary;
let story: Story;
beforeAll(async () => {
	stories = new StoryLibrary(await loadStories(join(import.meta.dirname, 'fixtures/stories/sample')));
	story = stories.preferred!;
});

const channelA: Place = { kind: 'channel', guildId: 'g1', channelId: 'c1' };
const channelB: Place = { kind: 'channel', guildId: 'g1', channelId: 'c2' };
const reader: Place = { kind: 'reader', userId: 'u9' };
const later = () => ({ userId: 'u1', at: Date.now() + 60_000 });
const host = () => ({ ...later(), mayRestart: true });
const guest = () => ({ ...later(), mayRestart: false });

function world(now?: () => Date) {
	const store = new MemoryStore();
	const service = new ReadingService({ store, stories, nextLabel: (_story, position) => `next after ${position}`, ...(now ? { now } : {}) });
	return { store, service, poster: new RecordingPoster() };
}

describe('reading service', () => {
	it('starts with the title card and part 1, then posts each part once and the end card, then says it is over', async () => {
		const { service, poster, store } = world();
		const started = await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		expect(started).toMatchObject({ kind: 'posted', step: { kind: 'start' }, votesIndexed: true });
		expect(poster.labels()).toEqual([expect.stringContaining('by Serenade'), expect.stringContaining('Scene 1 of 4')]);
		expect(poster.posted[1]!.nextButton).toEqual({ customId: `next:${story.id}:1`, label: 'next after 1' });
		expect(poster.posted[1]!.feedbackEmoji).toEqual(story.meta.feedbackEmoji);
		for (const part of [2, 3, 4]) {
			expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'part', part } });
		}
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'end' } });
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'over' });
		expect(poster.posted).toHaveLength(6);
		const record = store.readings.get('channel:c1')!;
		expect(record).toMatchObject({ position: 5, partMessageIds: expect.any(Array) });
		expect(record.claim).toBeUndefined();
		// Every message of every part is indexed for reactions.
		expect([...store.index.values()].map((ref) => ref.part)).toEqual([1, 2, 3, 4]);
	});

	it('renders the next part ahead only once the part is posted, and nothing ahead of the last part', async () => {
		const events: string[] = [];
		const parts: StoryParts = {
			get: (id) => stories.get(id),
			partCount: (s) => stories.partCount(s),
			partKeys: (s) => stories.partKeys(s),
			partMessages: (s, part, language) => {
				events.push(`render ${part}`);
				return stories.partMessages(s, part, language);
			},
			renderAhead: (_s, part) => events.push(`ahead ${part}`),
		};
		const service = new ReadingService({ store: new MemoryStore(), stories: parts, nextLabel: () => 'next' });
		const poster = new RecordingPoster();
		const post = poster.post.bind(poster);
		poster.post = async (message) => {
			const posted = await post(message);
			events.push('posted');
			return posted;
		};
		const tick = () => new Promise((resolve) => setImmediate(resolve));
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		await tick();
		expect(events).toEqual(['posted', 'render 1', 'posted', 'ahead 2']);
		for (let part = 2; part <= 4; part++) {
			await service.advance(channelA, later(), { kind: 'command' }, poster);
			await tick();
		}
		expect(events.slice(4)).toEqual(['render 2', 'posted', 'ahead 3', 'render 3', 'posted', 'ahead 4', 'render 4', 'posted']);
	});

	it('keeps two channels of one server and a private reading apart', async () => {
		const { service, poster } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		await service.start(channelB, story, host(), { poster, channelId: 'c2' });
		await service.start(reader, story, host(), { poster, channelId: undefined });
		await service.advance(channelA, later(), { kind: 'command' }, poster);
		const statuses = await Promise.all([channelA, channelB, reader].map((place) => service.status(place)));
		expect(statuses.map((status) => (status.kind === 'reading' ? status.record.position : status.kind))).toEqual([2, 1, 1]);
		// Private readings get no feedback emoji: nobody can react to an ephemeral message.
		expect(poster.posted.at(-1)!.feedbackEmoji).toEqual(story.meta.feedbackEmoji);
		expect(poster.posted[5]!.feedbackEmoji).toBeUndefined();
	});

	it('answers noReading, underWay, refused(mayNotRestart), and lets anyone start a finished reading again', async () => {
		const { service, poster, store } = world();
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toEqual({ kind: 'noReading' });
		expect(await service.status(channelA)).toEqual({ kind: 'noReading' });
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		expect(await service.start(channelA, story, guest(), { poster, channelId: 'c1' })).toMatchObject({ kind: 'underWay' });
		expect(await service.restart(channelA, story, guest(), { poster, channelId: 'c1' })).toMatchObject({ kind: 'refused', reason: 'mayNotRestart' });
		expect(poster.posted).toHaveLength(2);
		expect(await service.restart(channelA, story, host(), { poster, channelId: 'c1' })).toMatchObject({ kind: 'posted' });
		// Finished: every part posted, then the end card.
		store.readings.set('channel:c1', { ...store.readings.get('channel:c1')!, position: 5, partKeys: [...stories.partKeys(story)], ended: true });
		expect(await service.start(channelA, story, guest(), { poster, channelId: 'c1' })).toMatchObject({ kind: 'posted', record: { position: 1 } });
	});

	it('answers staleButton to an old Next button, alreadyPosted to a /next made before the newest post, and storyGone', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		expect(await service.advance(channelA, later(), { kind: 'button', storyId: story.id, position: 1 }, poster)).toMatchObject({ kind: 'posted' });
		expect(await service.advance(channelA, later(), { kind: 'button', storyId: story.id, position: 1 }, poster)).toMatchObject({ kind: 'staleButton' });
		expect(await service.advance(channelA, { userId: 'u2', at: Date.now() - 60_000 }, { kind: 'command' }, poster)).toMatchObject({ kind: 'alreadyPosted' });
		expect(poster.posted).toHaveLength(3);
		store.readings.set('channel:c1', { ...store.readings.get('channel:c1')!, storyId: 'gone' });
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'storyGone' });
	});

	it('posts once when two services (two processes) on one store advance together: the loser is told', async () => {
		const shared = world();
		const other = new ReadingService({ store: shared.store, stories, nextLabel: () => 'next' });
		await shared.service.start(channelA, story, host(), { poster: shared.poster, channelId: 'c1' });
		const [first, second] = await Promise.all([
			shared.service.advance(channelA, later(), { kind: 'command' }, shared.poster),
			other.advance(channelA, later(), { kind: 'command' }, shared.poster),
		]);
		expect([first.kind, second.kind].sort()).toEqual(['busy', 'posted']);
		expect(shared.poster.labels().filter((label) => label.includes('Scene 2 of 4'))).toHaveLength(1);
	});

	it('two processes that both receive one interaction: the one whose claim wins posts, the other stays silent', async () => {
		const shared = world();
		const other = new ReadingService({ store: shared.store, stories, nextLabel: () => 'next' });
		const read = { ...host(), trigger: 'i1' };
		const [a, b] = await Promise.all([
			shared.service.start(channelA, story, read, { poster: shared.poster, channelId: 'c1' }),
			other.start(channelA, story, read, { poster: shared.poster, channelId: 'c1' }),
		]);
		expect([a.kind, b.kind].sort()).toEqual(['handledElsewhere', 'posted']);
		const next = { ...later(), trigger: 'i2' };
		const [c, d] = await Promise.all([
			shared.service.advance(channelA, next, { kind: 'command' }, shared.poster),
			other.advance(channelA, next, { kind: 'command' }, shared.poster),
		]);
		expect([c.kind, d.kind].sort()).toEqual(['handledElsewhere', 'posted']);
		// Late, after the post was saved: still silent, not "someone just posted".
		expect(await other.advance(channelA, next, { kind: 'command' }, shared.poster)).toEqual({ kind: 'handledElsewhere' });
		expect(shared.poster.labels().filter((label) => /Scene \d of 4/.test(label))).toHaveLength(2);
	});

	it('answers busy while another process holds a live claim, and takes over a claim that expired', async () => {
		let now = Date.now();
		const { service, poster, store } = world(() => new Date(now));
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		const record = store.readings.get('channel:c1')!;
		store.readings.set('channel:c1', { ...record, version: record.version + 1, claim: { position: 2, by: 'u7', at: new Date(now).toISOString() } });
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'busy' });
		now += CLAIM_EXPIRES_MS + 1;
		expect(await service.advance(channelA, { userId: 'u1', at: now }, { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'part', part: 2 } });
	});

	it('a claim that cannot be saved posts nothing', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		store.failWritesAfter = store.writes;
		await expect(service.advance(channelA, later(), { kind: 'command' }, poster)).rejects.toThrow(StoreUnavailableError);
		expect(poster.posted).toHaveLength(2);
	});

	it('a post whose save failed is remembered: one post, then refused(cannotSave) until the store takes writes, then saved and on', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		// The claim is saved, then the disk is full.
		store.failWritesAfter = store.writes + 1;
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'postedUnsaved', step: { kind: 'part', part: 2 } });
		for (let attempt = 0; attempt < 3; attempt++) {
			expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toEqual({ kind: 'refused', reason: 'cannotSave' });
		}
		expect(await service.restart(channelA, story, host(), { poster, channelId: 'c1' })).toEqual({ kind: 'refused', reason: 'cannotSave' });
		expect(poster.labels().filter((label) => label.includes('Scene 2 of 4'))).toHaveLength(1);
		expect(await service.status(channelA)).toMatchObject({ kind: 'reading', record: { position: 2 } });

		store.failWritesAfter = Infinity;
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'part', part: 3 } });
		expect(poster.labels().filter((label) => /Scene \d of 4/.test(label))).toEqual([
			expect.stringContaining('Scene 1 of 4'),
			expect.stringContaining('Scene 2 of 4'),
			expect.stringContaining('Scene 3 of 4'),
		]);
	});

	it('a post Discord refused gives the claim back, so the next /next posts that part', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		poster.failNext = true;
		await expect(service.advance(channelA, later(), { kind: 'command' }, poster)).rejects.toThrow('Discord refused the post');
		expect(store.readings.get('channel:c1')!.claim).toBeUndefined();
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'part', part: 2 } });
	});

	it('a title card Discord refused leaves no reading: the claim is given back and /read starts afresh', async () => {
		const { service, poster, store } = world();
		poster.failNext = true;
		await expect(service.start(channelA, story, guest(), { poster, channelId: 'c1' })).rejects.toThrow('Discord refused the post');
		expect(store.readings.get('channel:c1')!.claim).toBeUndefined();
		expect(await service.status(channelA)).toEqual({ kind: 'noReading' });
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toEqual({ kind: 'noReading' });
		expect(await service.start(channelA, story, guest(), { poster, channelId: 'c1' })).toMatchObject({ kind: 'posted', record: { position: 1 } });
	});

	it('an end card whose tally cannot be read gives the claim back', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		for (let part = 2; part <= 4; part++) await service.advance(channelA, later(), { kind: 'command' }, poster);
		const countVotes = store.countVotes.bind(store);
		store.countVotes = async () => {
			throw new StoreUnavailableError('votes down');
		};
		await expect(service.advance(channelA, later(), { kind: 'command' }, poster)).rejects.toThrow(StoreUnavailableError);
		expect(store.readings.get('channel:c1')!.claim).toBeUndefined();
		store.countVotes = countVotes;
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', step: { kind: 'end' } });
	});

	it('reports votesIndexed: false when the reaction index cannot be written, the reading still saved', async () => {
		const { service, poster, store } = world();
		await service.start(channelA, story, host(), { poster, channelId: 'c1' });
		store.indexPartMessage = async () => {
			throw new StoreUnavailableError('index down');
		};
		expect(await service.advance(channelA, later(), { kind: 'command' }, poster)).toMatchObject({ kind: 'posted', votesIndexed: false, record: { position: 2 } });
	});
});
