// The four measurements, each against a world from world.ts.
import { readFile } from 'node:fs/promises';
import { openStore } from '../src/store.js';
import type { LogLine } from '../test/e2e/harness.js';
import type { FakeDiscord, FakeUser, RecordedRequest } from '../test/fake-discord/index.js';
import { median, percentile, seededRandom } from './stats.js';
import type { BenchServer, BenchWorld } from './world.js';

const SERVED = /^interaction (served|refused|failed)$/;

/** Resolves once `count` REST requests matching `match` have reached the fake (from now on). */
function waitForRequests(fake: FakeDiscord, match: (request: RecordedRequest) => boolean, count: number, timeoutMs: number): Promise<RecordedRequest[]> {
	if (count === 0) return Promise.resolve([]);
	const seen: RecordedRequest[] = [];
	return new Promise((resolve, reject) => {
		const listener = (request: RecordedRequest) => {
			if (!match(request)) return;
			seen.push(request);
			if (seen.length < count) return;
			clearTimeout(timer);
			fake.off('request', listener);
			resolve(seen);
		};
		const timer = setTimeout(() => {
			fake.off('request', listener);
			reject(new Error(`only ${seen.length} of ${count} expected REST requests within ${timeoutMs} ms`));
		}, timeoutMs);
		fake.on('request', listener);
	});
}

/** Resolves once the fake has had no REST request for `quietMs`. */
function waitForQuiet(fake: FakeDiscord, quietMs: number): Promise<void> {
	return new Promise((resolve) => {
		let timer = setTimeout(done, quietMs);
		const listener = () => {
			clearTimeout(timer);
			timer = setTimeout(done, quietMs);
		};
		function done() {
			fake.off('request', listener);
			resolve();
		}
		fake.on('request', listener);
	});
}

function isReactionPut(channelId: string) {
	const prefix = `/channels/${channelId}/messages/`;
	return (request: RecordedRequest) => request.method === 'PUT' && request.path.startsWith(prefix) && request.path.includes('/reactions/');
}

/** Promises nobody may await (the run failed earlier) must not end the process as unhandled. */
function handled<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}

export interface NextResult {
	/** Dispatch of INTERACTION_CREATE to the first callback request reaching the fake. */
	latencyMs: number;
	/** What the bot logs as its own handling time (`ms` of `interaction served`). */
	handlerMs: number;
	/** The message the bot put its feedback emoji under (undefined when it adds none). */
	reactedMessageId: string | undefined;
}

/**
 * One /next, start to finish: the callback, the `interaction served` line and, for our bot, the
 * feedback emoji PUTs under the scene. Waiting for all of them keeps each sample alone on the bot.
 */
export async function runNext(world: BenchWorld, server: BenchServer, user: FakeUser, emojiCount: number): Promise<NextResult> {
	const { fake, bot } = world;
	const reactions = handled(waitForRequests(fake, isReactionPut(server.channelId), emojiCount, 10_000));
	const dispatched = performance.now();
	const interaction = fake.runCommand({ guildId: server.guildId, channelId: server.channelId, user, name: 'next' });
	const served = handled(bot.waitForLog((line) => line.interactionId === interaction.id && SERVED.test(line.msg), 10_000));
	await interaction.acknowledged;
	const line = await served;
	if (line.msg !== 'interaction served') {
		throw new Error(`/next in ${server.guildId} was not served: ${line.msg} ${JSON.stringify(line.answer ?? line.err ?? '')}`);
	}
	const puts = await reactions;
	const arrived = world.callbackArrivals.get(interaction.id);
	if (arrived === undefined) throw new Error(`no callback arrival recorded for interaction ${interaction.id}`);
	const reactedMessageId = puts[0]?.path.split('/')[4];
	return { latencyMs: arrived - dispatched, handlerMs: Number(line.ms), reactedMessageId };
}

export interface LatencyFigures {
	samples: number;
	warmups: number;
	p50Ms: number;
	p99Ms: number;
	minMs: number;
	maxMs: number;
	handlerP50Ms: number;
}

/** Sequential /next over servers picked at random (seeded), after warm-ups that are not counted. */
export async function measureNextLatency(world: BenchWorld, options: { samples: number; warmups: number; emojiCount: number }): Promise<LatencyFigures> {
	const random = seededRandom(world.servers.length);
	const reader = world.fake.user('bench-reader');
	const latencies: number[] = [];
	const handler: number[] = [];
	for (let index = 0; index < options.warmups + options.samples; index += 1) {
		const server = world.servers[Math.floor(random() * world.servers.length)]!;
		const result = await runNext(world, server, reader, options.emojiCount);
		if (index < options.warmups) continue;
		latencies.push(result.latencyMs);
		handler.push(result.handlerMs);
	}
	return {
		samples: options.samples,
		warmups: options.warmups,
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99),
		minMs: Math.min(...latencies),
		maxMs: Math.max(...latencies),
		handlerP50Ms: median(handler),
	};
}

export interface RestCallFigures {
	sceneChars: number;
	total: number;
	/** Calls that carry the scene: the interaction callback, follow-ups, channel posts. */
	sceneCalls: number;
	reactionPuts: number;
	other: number;
	routes: string[];
}

/** Every REST request the bot makes for one /next (counted until the fake has been quiet for 300 ms). */
export async function measureRestCalls(world: BenchWorld, server: BenchServer, user: FakeUser, sceneChars: number, emojiCount: number): Promise<{ figures: RestCallFigures; result: NextResult }> {
	const { fake } = world;
	await waitForQuiet(fake, 100);
	const from = fake.requests.length;
	const result = await runNext(world, server, user, emojiCount);
	await waitForQuiet(fake, 300);
	const calls = fake.requests.slice(from);
	const isScene = (request: RecordedRequest) =>
		request.method === 'POST' && (/\/callback$/.test(request.path) || request.path.startsWith('/webhooks/') || /^\/channels\/\d+\/messages$/.test(request.path));
	const sceneCalls = calls.filter(isScene).length;
	const reactionPuts = calls.filter(isReactionPut(server.channelId)).length;
	return {
		figures: {
			sceneChars,
			total: calls.length,
			sceneCalls,
			reactionPuts,
			other: calls.length - sceneCalls - reactionPuts,
			routes: calls.map((request) => `${request.route ?? `${request.method} ${request.path}`} -> ${request.status}`),
		},
		result,
	};
}

export interface ReactionFigures {
	events: number;
	/** First dispatch until the fake had written the last event to the bot's socket. */
	dispatchMs: number;
	/** First dispatch until the bot's log line for the last event. */
	totalMs: number;
	eventsPerSecond: number;
	recorded: number;
	ignored: number;
	failed: number;
	/** Votes in the store afterwards, per emoji and in total. */
	stored: number;
	storedPerEmoji: number[];
	exact: boolean;
}

/**
 * `events` reactions from as many distinct readers on one scene message, dispatched as fast as the
 * fake can write them; the bot logs one debug line per event (LOG_LEVEL=debug), and the store is
 * read back afterwards to check the counts are exact.
 */
export async function measureReactions(
	world: BenchWorld,
	target: { server: BenchServer; messageId: string; storyId: string; scene: number },
	emojis: readonly string[],
	events: number,
): Promise<ReactionFigures> {
	const { fake, bot } = world;
	const readers = Array.from({ length: events }, (_, index) => fake.user(`reader-${index}`));
	const botUserId = fake.botUser.id;
	let recorded = 0;
	let ignored = 0;
	let failed = 0;
	const settled = handled(
		bot.waitForLog(
			(line: LogLine) => {
				if (line.msg === 'could not record a feedback reaction') failed += 1;
				else if (line.messageId !== target.messageId || line.userId === botUserId) return false;
				else if (line.msg === 'feedback recorded') recorded += 1;
				else if (line.msg === 'reaction ignored') ignored += 1;
				else return false;
				return recorded + ignored + failed >= events;
			},
			120_000,
			false,
		),
	);
	const started = performance.now();
	const writes = readers.map((user, index) =>
		fake.react({ channelId: target.server.channelId, messageId: target.messageId, user, emoji: emojis[index % emojis.length]! }),
	);
	await Promise.all(writes);
	const dispatchMs = performance.now() - started;
	await settled;
	const totalMs = performance.now() - started;

	const store = await openStore(world.storeUrl);
	let storedPerEmoji: number[];
	try {
		const counts = await store.countVotes(target.server.guildId, target.storyId, target.scene, emojis);
		storedPerEmoji = counts[target.scene - 1] ?? [];
	} finally {
		await store.close();
	}
	const stored = storedPerEmoji.reduce((sum, count) => sum + count, 0);
	return {
		events,
		dispatchMs,
		totalMs,
		eventsPerSecond: events / (totalMs / 1000),
		recorded,
		ignored,
		failed,
		stored,
		storedPerEmoji,
		exact: recorded === events && stored === events,
	};
}

export interface MemoryFigures {
	readingsMb: number[];
	medianMb: number;
}

/** VmRSS of the process (MB = 10^6 bytes), `count` readings `intervalMs` apart starting after one interval. */
export async function measureRss(pid: number, count = 3, intervalMs = 1_000): Promise<MemoryFigures> {
	const readingsMb: number[] = [];
	for (let index = 0; index < count; index += 1) {
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
		const status = await readFile(`/proc/${pid}/status`, 'utf8');
		const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
		if (kilobytes === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
		readingsMb.push((Number(kilobytes) * 1024) / 1e6);
	}
	return { readingsMb, medianMb: median(readingsMb) };
}
