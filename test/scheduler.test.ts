import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import { placeKey, type Place } from '../src/reading/place.js';
import { ReadingService, type OutgoingMessage, type Poster } from '../src/reading/service.js';
import { ManualClock } from '../src/schedule/clock.js';
import { makeRule } from '../src/schedule/rule.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { loadStories } from '../src/story/load.js';
import { MemoryStore } from './helpers/memory-store.js';

// The scheduler in-process, with a manual clock (no real waiting), the real reading service, an
// in-memory compare-and-set store and a poster that records what a channel would show.


/** The channel: every message any process posted there, with the time on the clock when it was posted. */
class Channel {
	readonly posted: Array<{ text: string; at: string }> = [];
	#id = 0n;
	constructor(readonly clock: ManualClock) {}
	poster(): Poster {
		return {
			post: async (message: OutgoingMessage) => {
				this.posted.push({ text: message.payload.content ?? '(card)', at: new Date(this.clock.now()).toISOString() });
				// Snowflakes dated now (real time), as Discord's would be.
				this.#id = (BigInt(Date.now() - 1_420_070_400_000) << 22n) + BigInt(this.posted.length);
				return { id: String(this.#id) };
			},
		};
	}
	labels(): string[] {
		return this.posted.map((p) => /Scene \d+ of \d+/.exec(p.text)?.[0] ?? (p.text.includes('schedule') ? 'ended' : p.text.includes(' by ') ? '(card)' : p.text));
	}
}

let stories: StoryLibrary;
beforeAll(async () => {
	stories = new StoryLibrary(await loadStories(join(import.meta.dirname, 'fixtures/stories/sample')));
});

const place: Place = { kind: 'channel', guildId: 'g1', channelId: 'c1' };

function process(store: MemoryStore, clock: ManualClock, channel: Channel) {
	const readings = new ReadingService({ store, stories, nextLabel: () => 'Next' });
	const scheduler = new Scheduler({
		store,
		readings,
		stories,
		clock,
		posterFor: () => channel.poster(),
		endedNotice: (story) => `The schedule here has ended: ${story.meta.title} is finished.`,
		userId: () => 'bot',
		log: { debug: () => undefined, info: () => undefined, warn: () => undefined },
	});
	return { readings, scheduler };
}

/** Lets every release the clock set off finish (each may arm the next). */
/** The sample story in a library of its own, a reading service on it, a channel, and the scheduler's warnings (collected by the test's log). */
async function sampleAt(now: string) {
	const clock = new ManualClock(at(now));
	const store = new MemoryStore();
	const channel = new Channel(clock);
	const library = new StoryLibrary(await loadStories(join(import.meta.dirname, 'fixtures/stories/sample')));
	const story = library.preferred!;
	const readings = new ReadingService({ store, stories: library, nextLabel: () => 'Next' });
	const warnings: unknown[] = [];
	return { clock, store, channel, library, story, readings, warnings };
}

async function settle(...schedulers: Scheduler[]) {
	for (let round = 0; round < 20; round++) {
		await new Promise((resolve) => setImmediate(resolve));
		const running = schedulers.flatMap((s) => [...s.inFlight]);
		if (running.length === 0) return;
		await Promise.allSettled(running);
	}
}

async function startReading(readings: ReadingService, channel: Channel) {
	const story = stories.preferred!;
	const outcome = await readings.start(place, story, { userId: 'ana', at: Date.now(), mayRestart: true }, { poster: channel.poster(), channelId: 'c1' });
	expect(outcome.kind).toBe('posted');
}

const at = (iso: string) => Date.parse(iso);

describe('a schedule on a reading, with a manual clock', () => {
	it('posts daily at 09:00 Paris time, across the change to summer time (08:00 UTC, then 07:00 UTC)', async () => {
		const clock = new ManualClock(at('2026-03-27T12:00:00Z'));
		const store = new MemoryStore();
		const channel = new Channel(clock);
		const { readings, scheduler } = process(store, clock, channel);
		await startReading(readings, channel);
		const rule = makeRule({ timezone: 'Europe/Paris', time: '09:00', now: clock.now() });
		expect((await scheduler.set(place, rule, { userId: 'host' })).kind).toBe('changed');

		clock.set(at('2026-03-28T07:59:59Z'));
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4']);
		clock.set(at('2026-03-28T08:00:00Z')); // Saturday 09:00 CET
		await settle(scheduler);
		clock.set(at('2026-03-29T06:59:00Z')); // Sunday, clocks went forward at 02:00: not yet 09:00 CEST
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4']);
		clock.set(at('2026-03-29T07:00:00Z')); // Sunday 09:00 CEST
		await settle(scheduler);
		expect(channel.posted.slice(2).map((p) => p.at)).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
	});

	it('passes a release, once and with a warning, while the story is rated Mature and the channel is not age-restricted', async () => {
		const { clock, store, channel, library, story, readings, warnings } = await sampleAt('2026-05-04T06:00:00Z');
		const scheduler = new Scheduler({
			store,
			readings,
			stories: library,
			clock,
			// An ordinary channel of a server: not age-restricted.
			posterFor: () => ({ ...channel.poster(), where: { nsfw: false, private: false } }),
			endedNotice: () => 'ended',
			userId: () => 'bot',
			log: { debug: () => undefined, info: () => undefined, warn: (fields: unknown) => void warnings.push(fields) },
		});
		const started = await readings.start(place, story, { userId: 'ana', at: Date.now(), mayRestart: true }, { poster: channel.poster(), channelId: 'c1' });
		expect(started.kind).toBe('posted');
		await scheduler.set(place, makeRule({ timezone: 'UTC', time: '08:00', now: clock.now() }), { userId: 'host' });

		// The author rates the story Mature (a hot reload puts the new version in the library).
		library.put({ ...story, meta: { ...story.meta, rating: 'Mature' } });
		clock.set(at('2026-05-04T08:00:00Z'));
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4']);
		expect(warnings).toEqual([expect.objectContaining({ event: 'scheduledReleaseRated', storyId: story.id, rating: 'Mature' })]);

		// Rated as before: the next release posts the next part.
		library.put(story);
		clock.set(at('2026-05-05T08:00:00Z'));
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4']);
		await scheduler.stop();
	});

	it('passes a release, once and with a warning, while its story is not loaded (removed, or its file refused), and posts at the next one once it is back', async () => {
		const { clock, store, channel, library, story, readings, warnings } = await sampleAt('2026-05-04T06:00:00Z');
		let releases = 0;
		const scheduler = new Scheduler({
			// A release found due again and again would never let the test go on: stopped after 50 reads.
			store: {
				getReading: async (key) => {
					if (++releases > 50) throw new Error('the same release, again and again');
					return store.getReading(key);
				},
				saveReading: (record, expected) => store.saveReading(record, expected),
			},
			readings,
			stories: library,
			clock,
			posterFor: () => channel.poster(),
			endedNotice: () => 'ended',
			userId: () => 'bot',
			log: { debug: () => undefined, info: () => undefined, warn: (fields: unknown) => void warnings.push(fields) },
		});
		try {
			const started = await readings.start(place, story, { userId: 'ana', at: Date.now(), mayRestart: true }, { poster: channel.poster(), channelId: 'c1' });
			expect(started.kind).toBe('posted');
			await scheduler.set(place, makeRule({ timezone: 'UTC', time: '08:00', now: clock.now() }), { userId: 'host' });

			// The story's file is removed (a hot reload takes it out of the library).
			library.removeFile(story.file);
			releases = 0;
			clock.set(at('2026-05-04T08:00:00Z'));
			await settle(scheduler);
			expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4']);
			expect(warnings).toEqual([expect.objectContaining({ event: 'scheduledReleaseNoStory', storyId: story.id })]);
			// Passed once: not found due again and again.
			expect(releases).toBeLessThanOrEqual(3);
			expect(scheduler.nextRelease((await store.getReading(placeKey(place)))!)).toBe(at('2026-05-05T08:00:00Z'));

			// Back: the next release posts the next part.
			library.put(story);
			clock.set(at('2026-05-05T08:00:00Z'));
			await settle(scheduler);
			expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4']);
		} finally {
			await scheduler.stop();
		}
	});

	it('after a stop through three slots, posts once (not once per missed slot), then keeps the rhythm', async () => {
		const clock = new ManualClock(at('2026-05-04T06:00:00Z'));
		const store = new MemoryStore();
		const channel = new Channel(clock);
		const first = process(store, clock, channel);
		await startReading(first.readings, channel);
		await first.scheduler.set(place, makeRule({ timezone: 'UTC', time: '08:00', now: clock.now() }), { userId: 'host' });
		await first.scheduler.stop(); // the process goes down before 08:00

		clock.set(at('2026-05-06T12:00:00Z')); // three slots passed while it was down
		const second = process(store, clock, channel);
		second.scheduler.load([...store.readings.values()]);
		await settle(second.scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4']);
		// Started again on the same store: the slot is marked released, nothing more.
		const third = process(store, clock, channel);
		third.scheduler.load([...store.readings.values()]);
		await settle(second.scheduler, third.scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4']);
		clock.set(at('2026-05-07T08:00:00Z'));
		await settle(second.scheduler, third.scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
	});

	it('two processes sharing a store post each release once', async () => {
		const clock = new ManualClock(at('2026-05-04T05:00:00Z'));
		const store = new MemoryStore();
		const channel = new Channel(clock);
		const a = process(store, clock, channel);
		const b = process(store, clock, channel);
		await startReading(a.readings, channel);
		await a.scheduler.set(place, makeRule({ timezone: 'UTC', cron: '0 */6 * * *', now: clock.now() }), { userId: 'host' });
		await b.scheduler.refresh(place);
		for (const hour of ['06', '12', '18']) {
			clock.set(at(`2026-05-04T${hour}:00:00Z`));
			await settle(a.scheduler, b.scheduler);
		}
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4', 'Scene 4 of 4']);
	});

	it('pause holds releases, resume starts again from the next slot, and /next between releases does not shift them', async () => {
		const clock = new ManualClock(at('2026-05-04T06:00:00Z'));
		const store = new MemoryStore();
		const channel = new Channel(clock);
		const { readings, scheduler } = process(store, clock, channel);
		await startReading(readings, channel);
		await scheduler.set(place, makeRule({ timezone: 'UTC', time: '08:00', days: 'weekdays', now: clock.now() }), { userId: 'host' });
		expect((await scheduler.pause(place, {})).kind).toBe('changed');
		expect((await scheduler.pause(place, {})).kind).toBe('unchanged');
		clock.set(at('2026-05-05T09:00:00Z')); // Monday's and Tuesday's slots pass while paused
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4']);
		expect((await scheduler.resume(place, {})).kind).toBe('changed');
		await settle(scheduler);
		expect(channel.labels()).toEqual(['(card)', 'Scene 1 of 4']);

		// "More now": a reader's /next at 10:00 posts scene 2; Wednesday 08:00 still posts scene 3.
		expect((await readings.advance(place, { userId: 'ana', at: Date.now() + 1_000 }, { kind: 'command' }, channel.poster())).kind).toBe('posted');
		clock.set(at('2026-05-06T08:00:00Z'));
		await settle(scheduler);
		expect(channel.posted.map((p) => [/Scene \d/.exec(p.text)?.[0], p.at]).slice(1)).toEqual([
			['Scene 1', '2026-05-04T06:00:00.000Z'],
			['Scene 2', '2026-05-05T09:00:00.000Z'],
			['Scene 3', '2026-05-06T08:00:00.000Z'],
		]);
		// Cleared: Thursday's slot posts nothing.
		expect((await scheduler.clear(place, {})).kind).toBe('changed');
		expect((await scheduler.clear(place, {})).kind).toBe('noSchedule');
		clock.set(at('2026-05-07T08:00:00Z'));
		await settle(scheduler);
		expect(channel.labels().at(-1)).toBe('Scene 3 of 4');
	});

	it('a finished reading stops its schedule and says so once', async () => {
		const clock = new ManualClock(at('2026-05-04T06:00:00Z'));
		const store = new MemoryStore();
		const channel = new Channel(clock);
		const a = process(store, clock, channel);
		const b = process(store, clock, channel);
		await startReading(a.readings, channel);
		await a.scheduler.set(place, makeRule({ timezone: 'UTC', time: '08:00', now: clock.now() }), { userId: 'host' });
		await b.scheduler.refresh(place);
		for (let day = 4; day <= 10; day++) {
			clock.set(at(`2026-05-${String(day).padStart(2, '0')}T08:00:00Z`));
			await settle(a.scheduler, b.scheduler);
		}
		const labels = channel.labels();
		expect(labels.filter((l) => l === 'ended')).toHaveLength(1);
		expect(labels.filter((l) => /^Scene/.test(l))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4', 'Scene 4 of 4']);
		expect(labels.at(-1)).toBe('ended');
		expect(store.readings.get(placeKey(place))?.schedule?.endedAt).toBeDefined();
		expect(a.scheduler.watching + b.scheduler.watching).toBe(0);
	});
});
