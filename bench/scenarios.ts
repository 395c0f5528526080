// The four measurements, each against a world from world.ts.
import { readFile } from 'node:fs/promises';
import { openStore } from '../src/store.js';
import { placeKey } from '../src/reading/place.js';
import type { FakeDiscord, FakeUser, RecordedRequest } from '../fake-discord/index.js';
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
 * One /next: the callback and the `interaction served` line (the bot has answered and saved the
 * reading). With `emojiCount` > 0 it also waits for the feedback emoji PUTs under the scene, which
 * the bot sends in the background after it has served the interaction.
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
	/** Feedback emoji PUTs the samples asked for, and how many had not reached the fake when the last sample was served. */
	reactionPuts: { expected: number; queuedAtEnd: number };
	p50Ms: number;
	p99Ms: number;
	minMs: number;
	maxMs: number;
	handlerP50Ms: number;
}

/** A bot to sample, and how many feedback emoji it adds under each scene (0 for the bare bot). */
export interface LatencySubject {
	world: BenchWorld;
	emojiCount: number;
}

/**
 * Sequential /next over servers picked at random (seeded), after warm-ups that are not counted,
 * interleaved across the subjects: each round sends one /next to each of them in turn, the order
 * rotating between rounds, so the bare bots and ours are sampled under the same conditions. (On
 * this shared 2-core VM the p50 of runs made a minute apart moves by up to ±30%, more than the
 * difference being measured.) The next sample starts once the bot has logged `interaction served`
 * for the last one. The feedback emoji PUTs are left to run in the background as in production:
 * discord.js sends at most 50 REST requests a second, so waiting for 5 PUTs per sample would pace
 * the samples at ~8 a second; they queue instead, and the figures say how many were still queued at
 * the end. Interaction callbacks are exempt from that global limit, so the queue does not hold up
 * the measured callback.
 */
export async function measureNextLatency(subjects: readonly LatencySubject[], options: { samples: number; warmups: number }): Promise<LatencyFigures[]> {
	const random = seededRandom(subjects[0]?.world.servers.length ?? 1);
	const states = subjects.map((subject) => ({
		...subject,
		reader: subject.world.fake.user('bench-reader'),
		latencies: [] as number[],
		handler: [] as number[],
		putsSeen: 0,
		countPut: (_request: RecordedRequest): void => undefined,
	}));
	for (const state of states) {
		state.countPut = (request) => {
			if (request.method === 'PUT' && request.path.includes('/reactions/')) state.putsSeen += 1;
		};
		state.world.fake.on('request', state.countPut);
	}
	const total = options.warmups + options.samples;
	try {
		for (let round = 0; round < total; round += 1) {
			const pick = random();
			// Each bot takes each place in the round equally often: whoever goes right after another bot's sample starts colder.
			const shift = round % states.length;
			for (const state of [...states.slice(shift), ...states.slice(0, shift)]) {
				const server = state.world.servers[Math.floor(pick * state.world.servers.length)]!;
				const result = await runNext(state.world, server, state.reader, 0);
				if (round < options.warmups) continue;
				state.latencies.push(result.latencyMs);
				state.handler.push(result.handlerMs);
			}
		}
	} finally {
		for (const { world, countPut } of states) world.fake.off('request', countPut);
	}
	return states.map((state) => {
		const expectedPuts = total * state.emojiCount;
		return {
			samples: options.samples,
			warmups: options.warmups,
			reactionPuts: { expected: expectedPuts, queuedAtEnd: expectedPuts - state.putsSeen },
			p50Ms: percentile(state.latencies, 50),
			p99Ms: percentile(state.latencies, 99),
			minMs: Math.min(...state.latencies),
			maxMs: Math.max(...state.latencies),
			handlerP50Ms: median(state.handler),
		};
	});
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
	/** First dispatch until a poll of the store first saw every vote. */
	totalMs: number;
	eventsPerSecond: number;
	/** How often the store was polled while waiting (the end time is known to within one poll). */
	polls: number;
	/** `could not record a feedback reaction` lines the bot logged meanwhile. */
	failed: number;
	/** Votes in the store at the end, per emoji and in total. */
	stored: number;
	storedPerEmoji: number[];
	exact: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `events` reactions from as many distinct readers on one scene message, dispatched as fast as the
 * fake can write them. The end is when the store holds them all, seen by polling countVotes from
 * the bench process: a debug line per event would be cheaper to wait on, but the bot's synchronous
 * logger then stalls on the pipe to the bench (most of its time went to pino's sleep-and-retry), so
 * the bot runs at LOG_LEVEL=info as deployed. The count is read again a moment later and must be
 * exactly `events`; if it stops growing short of that, the discrepancy is reported.
 */
export async function measureReactions(
	world: BenchWorld,
	target: { server: BenchServer; messageId: string; storyId: string; scene: number },
	emojis: readonly string[],
	events: number,
	options: { pollMs?: number; stallMs?: number } = {},
): Promise<ReactionFigures> {
	const { fake, bot } = world;
	const pollMs = options.pollMs ?? 5;
	const stallMs = options.stallMs ?? 5_000;
	const readers = Array.from({ length: events }, (_, index) => fake.user(`reader-${index}`));
	const logsBefore = bot.logs.length;
	const store = await openStore(world.storeUrl);
	try {
		// The part's key, as the bot filed the message it posted.
		const filed = await store.partForMessage(target.messageId);
		const partKey = filed?.key;
		if (partKey === undefined) throw new Error(`the bot did not file message ${target.messageId} under a part key`);
		const count = async () => {
			const counts = await store.countVotes([placeKey({ kind: 'channel', guildId: target.server.guildId, channelId: target.server.channelId })], target.storyId, [partKey], emojis);
			return counts[0] ?? [];
		};
		const sum = (perEmoji: number[]) => perEmoji.reduce((total, votes) => total + votes, 0);
		if (sum(await count()) !== 0) throw new Error('the scene already has votes before the burst');

		const started = performance.now();
		const writes = readers.map((user, index) =>
			fake.react({ channelId: target.server.channelId, messageId: target.messageId, user, emoji: emojis[index % emojis.length]! }),
		);
		const dispatched = Promise.all(writes).then(() => performance.now() - started);
		let polls = 0;
		let seen = 0;
		let lastGrowth = performance.now();
		for (;;) {
			const stored = sum(await count());
			polls += 1;
			if (stored > seen) lastGrowth = performance.now();
			seen = stored;
			if (seen >= events || performance.now() - lastGrowth > stallMs) break;
			await sleep(pollMs);
		}
		const totalMs = performance.now() - started;
		const dispatchMs = await dispatched;
		// Anything still in flight would show up now; a set never counts a reader twice, so more is a bug too.
		await sleep(250);
		const storedPerEmoji = await count();
		const stored = sum(storedPerEmoji);
		const failed = bot.logs.slice(logsBefore).filter((line) => line.msg === 'could not record a feedback reaction').length;
		return {
			events,
			dispatchMs,
			totalMs,
			eventsPerSecond: stored >= events ? events / (totalMs / 1000) : Number.NaN,
			polls,
			failed,
			stored,
			storedPerEmoji,
			exact: stored === events && failed === 0,
		};
	} finally {
		await store.close();
	}
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
