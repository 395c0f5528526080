// Many readings whose schedules fall due in the same minute, on a fake Discord and in a store:
// servers laid out as a bot's are, the readings seeded with a daily schedule, and what the fake
// recorded afterwards. Used by the bench's release part (release.ts) and the e2e test of it.
import { startReading, withPartPosted, withTitlePosted } from '../src/reading/rules.js';
import { partKeys } from '../src/render/index.js';
import { loadStories } from '../src/story/load.js';
import type { ScheduleRecord } from '../src/schedule/types.js';
import { openStore } from '../src/store.js';
import type { ReadingRecord } from '../src/store/records.js';
import type { FakeDiscord } from '../fake-discord/index.js';
import { snowflakeAt } from '../fake-discord/snowflake.js';

/** The due minute every seeded schedule shares (09:00 UTC, daily), and the time the bot starts at. */
export const DUE_AT = '2026-06-01T09:00:00.000Z';
export const BEFORE_DUE = '2026-06-01T08:59:30.000Z';

export interface ScheduledChannel {
	guildId: string;
	channelId: string;
}

/**
 * How many reading channels each server has, for `readings` readings: most servers hold one, some
 * two, a few four (a club with a reading per book), as servers using a bot like this do. 1,000
 * readings: 500 servers with one, 150 with two, 50 with four (700 servers).
 */
export function readingsPerServer(readings: number): number[] {
	const layout: number[] = [];
	let left = readings;
	const pattern = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 4]; // 10 x 1, 3 x 2, 1 x 4 = 20 readings in 14 servers
	for (let i = 0; left > 0; i++) {
		const count = Math.min(left, pattern[i % pattern.length]!);
		layout.push(count);
		left -= count;
	}
	return layout;
}

/** Adds servers to `fake` holding `readings` reading channels (and a general and a voice channel each). */
export function addScheduledServers(fake: FakeDiscord, readings: number): ScheduledChannel[] {
	return readingsPerServer(readings).flatMap((count) => {
		const guild = fake.addGuild({
			channels: [...Array.from({ length: count }, (_, i) => ({ name: `reading-${i + 1}`, type: 0 })), { name: 'general', type: 0 }, { name: 'voice', type: 2 }],
		});
		return guild.channels.slice(0, count).map((channel) => ({ guildId: guild.id, channelId: channel.id }));
	});
}

/** A daily 09:00 UTC schedule, counting from an hour before DUE_AT, so its first release is DUE_AT. */
export function dailyAtNine(setBy: string): ScheduleRecord {
	const from = new Date(Date.parse(DUE_AT) - 3_600_000).toISOString();
	return { rule: { kind: 'weekly', time: '09:00', days: [0, 1, 2, 3, 4, 5, 6], timezone: 'UTC' }, setBy, setAt: from, countsFrom: from, paused: false };
}

/**
 * Writes one reading per channel at scene 1 of `storyId`, with the daily schedule, into the store at
 * `storeUrl` (the store module the bot uses). Message ids are snowflakes from an hour ago.
 */
export async function seedScheduledReadings(storeUrl: string, channels: readonly ScheduledChannel[], storyId: string, storyDir: string): Promise<void> {
	// Filed under the first part's key, as the bot files it.
	const story = (await loadStories(storyDir)).find((candidate) => candidate.id === storyId);
	if (story === undefined) throw new Error(`no story ${storyId} in ${storyDir}`);
	const firstKey = partKeys(story)[0]!;
	const store = await openStore(storeUrl);
	try {
		const readerId = snowflakeAt(Date.now() - 7_200_000);
		const postedAt = Date.now() - 3_600_000;
		const records: ReadingRecord[] = channels.map(({ guildId, channelId }, index) => {
			const at = postedAt - channels.length + index;
			const now = new Date(at);
			const place = { kind: 'channel', guildId, channelId } as const;
			const started = withTitlePosted(startReading({ place, storyId, channelId, userId: readerId, now }), snowflakeAt(at, 0));
			return { ...withPartPosted(started, 1, [snowflakeAt(at, 1)], readerId, now, firstKey), schedule: dailyAtNine(readerId) };
		});
		for (let start = 0; start < records.length; start += 256) await Promise.all(records.slice(start, start + 256).map((record) => store.saveReading(record, 0)));
	} finally {
		await store.close();
	}
}

/** What a fake recorded after the due minute: parts posted per channel, emoji added, 429s. */
export interface ReleaseCount {
	/** Channels that got no new message. */
	missed: number;
	/** Channels that got more than one (a release posted twice). */
	doubled: number;
	/** Feedback emoji the bot added after the due minute. */
	emoji: number;
}

/** Counts, from the fake's own record, what each channel got after the request at index `since`. */
export function countReleases(fake: FakeDiscord, channels: readonly ScheduledChannel[], since: number): ReleaseCount {
	const posts = new Map<string, number>();
	let emoji = 0;
	for (const request of fake.requests.slice(since)) {
		if (request.status >= 300) continue;
		if (request.route === 'POST /channels/:channelId/messages') {
			const channelId = request.path.split('/')[2]!;
			posts.set(channelId, (posts.get(channelId) ?? 0) + 1);
		} else if (request.route === 'PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me') emoji += 1;
	}
	return {
		missed: channels.filter((channel) => (posts.get(channel.channelId) ?? 0) === 0).length,
		doubled: channels.filter((channel) => (posts.get(channel.channelId) ?? 0) > 1).length,
		emoji,
	};
}
