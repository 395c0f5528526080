import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEFORE_DUE, dailyAtNine, DUE_AT } from '../bench/scheduled-world.js';
import { StoryLibrary } from '../src/context.js';
import type { Place } from '../src/reading/place.js';
import { startReading, withPartPosted, withTitlePosted } from '../src/reading/rules.js';
import { ReadingService, type OutgoingMessage } from '../src/reading/service.js';
import { partKeys } from '../src/render/index.js';
import { ManualClock } from '../src/schedule/clock.js';
import { RELEASE_CONCURRENCY, Scheduler } from '../src/schedule/scheduler.js';
import type { ReadingRecord } from '../src/store.js';
import { loadStories } from '../src/story/load.js';
import { tempDir } from './e2e/harness.js';
import { MemoryStore } from './helpers/memory-store.js';

// Scheduler.whenIdle, which the feedback emoji wait for: it resolves only once every due release
// is posted. In-process, with a manual clock and posts the test lets through.


const STORY = '---\ntitle: Idle Test\nauthor: Test\n---\n\n# Scene: One\n\nFirst.\n\n# Scene: Two\n\nSecond.\n\n# Scene: Three\n\nThird.\n';

describe('Scheduler.whenIdle', () => {
	it('resolves at once with nothing due, and otherwise only after every due release is posted', async () => {
		const dir = await tempDir('sfb-idle-');
		try {
			await mkdir(join(dir.path, 'stories'));
			await writeFile(join(dir.path, 'stories', 'idle-test.md'), STORY);
			const stories = new StoryLibrary(await loadStories(join(dir.path, 'stories')));
			const store = new MemoryStore();
			const clock = new ManualClock(Date.parse(BEFORE_DUE));
			const count = RELEASE_CONCURRENCY * 2 + 1;
			const records: ReadingRecord[] = [];
			for (let i = 0; i < count; i++) {
				const place: Place = { kind: 'channel', guildId: 'g', channelId: `c${i}` };
				const now = new Date(Date.parse(BEFORE_DUE) - 3_600_000);
				const started = withTitlePosted(startReading({ place, storyId: 'idle-test', channelId: place.channelId, userId: 'ana', now }), `${1000 + i}`);
				const record = (await store.saveReading({ ...withPartPosted(started, 1, [`${2000 + i}`], 'ana', now, partKeys(stories.get('idle-test')!)[0]!), schedule: dailyAtNine('ana') }, 0))!;
				records.push(record);
			}
			// Each post waits until the test lets it through.
			const held: Array<() => void> = [];
			let posted = 0;
			const scheduler = new Scheduler({
				store,
				readings: new ReadingService({ store, stories, nextLabel: () => 'Next' }),
				stories,
				clock,
				posterFor: () => ({
					post: (_message: OutgoingMessage) =>
						new Promise((resolve) =>
							held.push(() => {
								posted += 1;
								resolve({ id: String(BigInt(Date.now() - 1_420_070_400_000) << 22n) + String(posted).padStart(4, '0') });
							}),
						),
				}),
				endedNotice: () => 'ended',
				userId: () => 'bot',
				log: { debug: () => undefined, info: () => undefined, warn: () => undefined },
			});
			scheduler.load(records);
			expect(scheduler.busy).toBe(false);
			let idle = false;
			await scheduler.whenIdle().then(() => (idle = true));
			expect(idle).toBe(true);

			clock.set(Date.parse(DUE_AT));
			idle = false;
			const whenIdle = scheduler.whenIdle().then(() => (idle = true));
			while (posted < count) {
				await new Promise((resolve) => setImmediate(resolve));
				expect(idle).toBe(false);
				held.splice(0).forEach((release) => release());
			}
			await whenIdle;
			expect(posted).toBe(count);
			expect(scheduler.busy).toBe(false);
			await scheduler.stop();
		} finally {
			await dir.remove();
		}
	});
});
