// Issue 13's "at scale" figure: many readings whose schedules fall due in the same minute, released
// by the bot against a fake Discord that enforces Discord's rate limits (50 requests/s per bot,
// 5 messages per 5 s and 1 reaction per 0.25 s per channel). The bot runs on a test clock
// (SFB_TEST_CLOCK_FILE), so "the due minute" is the moment the bench moves that clock.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { checkRequest, checkResponse, operationFor } from '../fake-discord/spec.js';
import { nodeFlagsOf, tempDir, type BotProcess } from '../test/e2e/harness.js';
import { addScheduledServers, BEFORE_DUE, countReleases, DUE_AT, seedScheduledReadings } from './scheduled-world.js';
import { BOT_ENTRY, startProcess, stopNow, type StoreKind } from './world.js';

/** Discord's global limit, the yardstick: the least time N requests can take is N / 50 s. */
export const GLOBAL_PER_SECOND = 50;

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
