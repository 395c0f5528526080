// Issue 13's "at scale" figure: many readings whose schedules fall due in the same minute, released
// by the bot against a fake Discord that enforces Discord's rate limits (50 requests/s per bot,
// 5 messages per 5 s and 1 reaction per 0.25 s per channel). The bot runs on a test clock
// (SFB_TEST_CLOCK_FILE), so "the due minute" is the moment the bench moves that clock.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReading, withPartPosted, withTitlePosted } from '../src/reading/rules.js';
import { partKeys } from '../src/render/index.js';
import { loadStories } from '../src/story/load.js';
import type { ScheduleRecord } from '../src/schedule/types.js';
import { openStore } from '../src/store.js';
import type { ReadingRecord } from '../src/store/records.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { snowflakeAt } from '../fake-discord/snowflake.js';
import { checkRequest, checkResponse, operationFor } from '../fake-discord/spec.js';
import { nodeFlagsOf, tempDir, type BotProcess } from '../test/e2e/harness.js';
import { BOT_ENTRY, startProcess, stopNow, type StoreKind } from './world.js';

/** Discord's global limit, the yardstick: the least time N requests can take is N / 50 s. */
export const GLOBAL_PER_SECOND = 50;

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

export interface ReleaseFigures {
	readings: number;
	servers: number;
	store: StoreKind;
	/** From moving the clock to the due minute until the last part was posted (ms). */
	partsMs: number;
	/** REST requests with the bot's token the fake received in that time. */
	partsRequests: number;
	/** partsMs / (partsRequests / 50 per second): 1 is the global limit's minimum. */
	partsRatio: number;
	/** From the due minute until the last feedback emoji was added (ms), and the requests until then. */
	allMs: number;
	allRequests: number;
	allRatio: number;
	emojiAdded: number;
	emojiExpected: number;
	/** 429s the fake sent, by scope, over the whole run (parts and emoji). */
	tooMany: { global: number; user: number };
	missed: number;
	doubled: number;
	/** The bot's `scheduledRelease` log lines by outcome. */
	outcomes: Record<string, number>;
	/** The requests until the last part was posted, by route. */
	partsByRoute: Record<string, number>;
	/** Each 429 the fake sent after the due minute: route and ms after it. */
	refused: string[];
	/** From the due minute until the first part was posted (ms), and when each was (ms after the due minute). */
	firstPartMs: number;
	/** When the bot logged that its clock moved (ms after the bench moved it). */
	clockSetMs: number;
	partTimes: number[];
}

export interface ReleaseSpec {
	readings: number;
	storyDir: string;
	storyId: string;
	emojiPerPart: number;
	store: StoreKind;
	storeUrl: string | undefined;
	nodeArgs: string[];
	progress(text: string): void;
}

/**
 * Starts a rate-limited fake with `readings` scheduled readings and the bot on a test clock before
 * the due minute, moves the clock to it and times the releases: every part posted, then every
 * feedback emoji added. Throws when the bot does not finish within a generous multiple of the minimum.
 */
export async function measureRelease(spec: ReleaseSpec): Promise<ReleaseFigures> {
	const fake = await startFakeDiscord({ maxGuildsPerShard: 0, recommendedShards: 1, rateLimits: true });
	const dir = await tempDir('sfb-bench-release-');
	let bot: BotProcess | undefined;
	try {
		const channels = addScheduledServers(fake, spec.readings);
		const servers = new Set(channels.map((channel) => channel.guildId)).size;
		const storeUrl = spec.storeUrl ?? `sqlite://${join(dir.path, 'store.sqlite')}`;
		await seedScheduledReadings(storeUrl, channels, spec.storyId, spec.storyDir);
		const clockFile = join(dir.path, 'now');
		await writeFile(clockFile, BEFORE_DUE);
		bot = startProcess(BOT_ENTRY, fake, dir.path, [...nodeFlagsOf('start', BOT_ENTRY), ...spec.nodeArgs], {
			KEYV_URL: storeUrl,
			STORY_DIR: spec.storyDir,
			LOG_FORMAT: 'json',
			LOG_LEVEL: 'info',
			SFB_TEST_CLOCK_FILE: clockFile,
		});
		await bot.waitForLog((line) => line.event === 'ready', 60_000);
		await bot.waitForLog((line) => line.event === 'schedulesLoaded', 60_000);
		await bot.waitForLog((line) => /^(slash commands (registered|up to date)|could not register slash commands)$/.test(line.msg), 15_000);
		// The fake compiles a route's spec schemas on its first use (about a second for Create Message
		// on this machine): done now, so the fake's warm-up is not timed as the bot's.
		for (const [method, pattern] of [
			['POST', '/channels/:channelId/messages'],
			['PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me'],
		] as const) {
			const operation = operationFor(method, pattern);
			if (operation) {
				checkRequest(operation, {});
				checkResponse(operation, 200, {});
				checkResponse(operation, 204, undefined);
			}
		}
		// Start-up's own requests (the scan for leftover server copies of the commands) end first.
		await quiet(fake, 1_000);
		spec.progress(`${spec.store}: ${spec.readings.toLocaleString('en-US')} readings in ${servers} servers scheduled for ${DUE_AT}; moving the clock there`);

		const since = fake.requests.length;
		const readingChannels = new Set(channels.map((channel) => channel.channelId));
		const minimumMs = (spec.readings / GLOBAL_PER_SECOND) * 1000;
		const partsDone = waitFor(fake, () => countPosted(fake, readingChannels, since) >= spec.readings, minimumMs * 5 + 30_000, 'every part posted');
		await writeFile(clockFile, DUE_AT);
		const dueWall = Date.now();
		bot.child.kill('SIGUSR2');
		await partsDone;
		const partsWall = lastAt(fake, since, 'POST /channels/:channelId/messages');
		spec.progress(`${spec.store}: every part posted in ${((partsWall - dueWall) / 1000).toFixed(1)} s; waiting for the feedback emoji`);
		const emojiExpected = spec.readings * spec.emojiPerPart;
		await waitFor(fake, () => countReleases(fake, channels, since).emoji >= emojiExpected, ((spec.readings * (1 + spec.emojiPerPart)) / GLOBAL_PER_SECOND) * 1000 * 5 + 30_000, 'every feedback emoji added').catch((error: unknown) => {
			const problems = bot!.logs.filter((line) => Number(line.level) >= 40).slice(0, 3).map((line) => JSON.stringify(line));
			throw new Error(`${String(error)}: ${countReleases(fake, channels, since).emoji} of ${emojiExpected} added; the bot's first warnings: ${problems.join('\n') || 'none'}`);
		});
		const allWall = Math.max(partsWall, lastAt(fake, since, 'PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me'));
		// Anything still to come (a release posted twice) would follow within moments: wait for quiet.
		await quiet(fake, 500);

		const botRequests = (until: number) => fake.requests.slice(since).filter((request) => request.route !== null && !isInteractionRoute(request.route) && request.at <= until).length;
		const partsRequests = botRequests(partsWall);
		const allRequests = botRequests(allWall);
		const count = countReleases(fake, channels, since);
		const partsByRoute: Record<string, number> = {};
		for (const request of fake.requests.slice(since)) if (request.route !== null && request.at <= partsWall) partsByRoute[request.route] = (partsByRoute[request.route] ?? 0) + 1;
		const partTimes = fake.requests.slice(since).filter((request) => request.route === 'POST /channels/:channelId/messages' && request.status < 300).map((request) => request.at - dueWall);
		const refused = fake.requests.slice(since).filter((request) => request.status === 429).map((request) => `${request.route} +${request.at - dueWall} ms`);
		const outcomes: Record<string, number> = {};
		for (const line of bot.logs) if (line.event === 'scheduledRelease') outcomes[String(line.outcome)] = (outcomes[String(line.outcome)] ?? 0) + 1;
		const ratio = (ms: number, requests: number) => ms / ((requests / GLOBAL_PER_SECOND) * 1000);
		return {
			readings: spec.readings,
			servers,
			store: spec.store,
			partsMs: partsWall - dueWall,
			partsRequests,
			partsRatio: ratio(partsWall - dueWall, partsRequests),
			allMs: allWall - dueWall,
			allRequests,
			allRatio: ratio(allWall - dueWall, allRequests),
			emojiAdded: count.emoji,
			emojiExpected,
			tooMany: fake.rateLimitHits,
			missed: count.missed,
			doubled: count.doubled,
			outcomes,
			partsByRoute,
			refused,
			firstPartMs: partTimes[0] ?? NaN,
			clockSetMs: Number(bot.logs.find((line) => line.event === 'clockSet')?.time) - dueWall,
			partTimes,
		};
	} finally {
		if (bot) await stopNow(bot).catch(() => undefined);
		await fake.close().catch(() => undefined);
		await dir.remove().catch(() => undefined);
	}
}

/** When the fake answered the last successful request on `route` after index `since` (ms since 1970). */
function lastAt(fake: FakeDiscord, since: number, route: string): number {
	let at = 0;
	for (const request of fake.requests.slice(since)) if (request.route === route && request.status < 300) at = Math.max(at, request.at);
	return at;
}

function isInteractionRoute(route: string): boolean {
	return route.includes('/interactions/') || route.includes('/webhooks/');
}

/** Reading channels that got at least one message after request `since`. */
function countPosted(fake: FakeDiscord, readingChannels: ReadonlySet<string>, since: number): number {
	const posted = new Set<string>();
	for (const request of fake.requests.slice(since)) {
		if (request.route !== 'POST /channels/:channelId/messages' || request.status >= 300) continue;
		const channelId = request.path.split('/')[2]!;
		if (readingChannels.has(channelId)) posted.add(channelId);
	}
	return posted.size;
}

/** Resolves when `done()` holds, checked on each request the fake records; rejects after `timeoutMs`. */
function waitFor(fake: FakeDiscord, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
	if (done()) return Promise.resolve();
	return new Promise((resolve, reject) => {
		// Checking the whole record on every request would be quadratic: check at most every 20 ms.
		let last = 0;
		const check = () => {
			const now = Date.now();
			if (now - last < 20) return;
			last = now;
			if (!done()) return;
			fake.off('request', check);
			clearInterval(poll);
			clearTimeout(timer);
			resolve();
		};
		const poll = setInterval(() => {
			last = 0;
			check();
		}, 20);
		const timer = setTimeout(() => {
			fake.off('request', check);
			clearInterval(poll);
			reject(new Error(`bench: not ${what} within ${Math.round(timeoutMs / 1000)} s`));
		}, timeoutMs);
		fake.on('request', check);
	});
}

/** Resolves once the fake has received no request for `ms`. */
function quiet(fake: FakeDiscord, ms: number): Promise<void> {
	return new Promise((resolve) => {
		let timer = setTimeout(done, ms);
		function restart() {
			clearTimeout(timer);
			timer = setTimeout(done, ms);
		}
		function done() {
			fake.off('request', restart);
			resolve();
		}
		fake.on('request', restart);
	});
}
