import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import { parseNextButton, ReadingService, type OutgoingMessage, type Poster } from '../src/reading/service.js';
import { openStore, type Store } from '../src/store.js';
import { loadStories } from '../src/story/load.js';

// The reading service (discord-free, in-process) on a story still being written: what /next, the
// Next button and a schedule's slot do at its newest part. Real SQLite store, fixture stories.

class RecordingPoster implements Poster {
	readonly posted: OutgoingMessage[] = [];
	async post(message: OutgoingMessage) {
		this.posted.push(message);
		return { id: String((BigInt(Date.now() - 1_420_070_400_000) << 22n) + BigInt(this.posted.length)) };
	}
}

const place = { kind: 'channel', guildId: 'g1', channelId: 'c1' } as const;
const actor = () => ({ userId: 'u1', at: Date.now() + 1_000 });
let store: Store;
let stories: StoryLibrary;
const dir = mkdtempSync(join(tmpdir(), 'sfb-growing-'));
beforeAll(async () => {
	store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
	stories = new StoryLibrary(await loadStories(join(import.meta.dirname, 'fixtures/growing/in-progress')));
});
afterAll(async () => {
	await store?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('a story still being written, in the reading service', () => {
	it('follows the newest part with "to be continued" carrying the Next button, then waits without moving', async () => {
		const story = stories.get('lantern')!;
		const service = new ReadingService({ store, stories, nextLabel: (_story, position) => `next after ${position}` });
		const poster = new RecordingPoster();
		expect(await service.start(place, story, { ...actor(), mayRestart: true }, { poster, channelId: 'c1' })).toMatchObject({ kind: 'posted' });
		const posted = await service.advance(place, actor(), { kind: 'command' }, poster);
		expect(posted).toMatchObject({ kind: 'posted', record: { position: 2 } });
		const [, chapter1, chapter2, card] = poster.posted;
		expect(chapter1?.nextButton).toBeDefined();
		expect(chapter2?.payload.content).toContain('The Ferry');
		expect(chapter2?.nextButton).toBeUndefined();
		expect(chapter2?.feedbackEmoji).toEqual(story.meta.feedbackEmoji);
		expect(card?.payload.content).toBe('**The Lantern Road** · To be continued…');
		expect(parseNextButton(card!.nextButton!.customId)).toEqual({ storyId: 'lantern', position: 2 });

		const count = poster.posted.length;
		expect(await service.advance(place, actor(), { kind: 'command' }, poster)).toMatchObject({ kind: 'waiting', record: { position: 2 } });
		expect(await service.advance(place, actor(), { kind: 'button', storyId: 'lantern', position: 2 }, poster)).toMatchObject({ kind: 'waiting' });
		expect(poster.posted).toHaveLength(count);
		expect((await store.getReading('channel:c1'))?.position).toBe(2);
	});

	it('lets a schedule slot that falls due while it waits pass: nothing posted, the slot marked released', async () => {
		const story = stories.get('lantern')!;
		const service = new ReadingService({ store, stories, nextLabel: () => 'Next' });
		const waitingPlace = { kind: 'channel', guildId: 'g2', channelId: 'c2' } as const;
		const poster = new RecordingPoster();
		await service.start(waitingPlace, story, { ...actor(), mayRestart: true }, { poster, channelId: 'c2' });
		await service.advance(waitingPlace, actor(), { kind: 'command' }, poster);
		const record = (await store.getReading('channel:c2'))!;
		const schedule = { rule: { kind: 'cron', pattern: '0 9 * * *', timezone: 'UTC' }, setBy: 'u1', setAt: '2026-05-01T00:00:00.000Z', countsFrom: '2026-05-01T00:00:00.000Z', paused: false } as const;
		await store.saveReading({ ...record, schedule: { ...schedule, rule: { ...schedule.rule } } }, record.version);
		const count = poster.posted.length;
		const due = Date.parse('2026-05-02T09:00:00.000Z');
		const outcome = await service.advance(waitingPlace, { userId: 'bot', at: due, trigger: `schedule:${due}` }, { kind: 'schedule', due }, poster);
		expect(outcome).toMatchObject({ kind: 'waiting', record: { position: 2, schedule: { releasedThrough: '2026-05-02T09:00:00.000Z' } } });
		expect(poster.posted).toHaveLength(count);
		// The same slot again (another process): not due any more.
		expect(await service.advance(waitingPlace, { userId: 'bot', at: due, trigger: `schedule:${due}:again` }, { kind: 'schedule', due }, poster)).toMatchObject({ kind: 'notDue' });
	});
});
