// `npm run bench`: latency of /next against a bare discord.js bot, reaction throughput, memory
// with 10,000 servers and REST calls per scene, all against the loopback fake Discord. Prints a
// table and writes the same figures to bench/results/latest.json. See bench/README.md.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, platform, arch, release, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_FEEDBACK_EMOJI } from '../src/story/types.js';
import { tempDir } from '../test/e2e/harness.js';
import { evaluateTargets, formatResults, type FeedbackRow, type LatencyRow, type Machine, type MemoryRow, type Results } from './report.js';
import { measureLibrary, type LibraryFigures } from './library.js';
import { measureRelease, type ReleaseFigures } from './release.js';
import { measureNextLatency, measureReactions, measureRestCalls, measureRss, type LatencyFigures, type RestCallFigures } from './scenarios.js';
import { writeBenchStories, type BenchStories } from './stories.js';
import { BOT_ENTRY, contenderName, startWorld, type BenchWorld, type Contender, type StoreKind } from './world.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const RESULTS_FILE = join(projectRoot, 'bench/results/latest.json');

const { values: args } = parseArgs({
	options: {
		servers: { type: 'string', default: '1,100,10000' },
		samples: { type: 'string', default: '200' },
		warmups: { type: 'string', default: '20' },
		reactions: { type: 'string', default: '5000' },
		stores: { type: 'string', default: 'sqlite,redis,postgres' },
		// For profiling one part on its own: latency (with memory), feedback (reactions, REST calls),
		// release (scheduled releases due at one minute, under Discord's rate limits; SQLite), library (500 stories).
		parts: { type: 'string', default: 'latency,feedback,release,library' },
		readings: { type: 'string', default: '1000' },
		'library-stories': { type: 'string', default: '500' },
		'library-mb': { type: 'string', default: '100' },
		'library-changes': { type: 'string', default: '10' },
	},
});

function positiveInteger(name: string, text: string): number {
	const value = Number(text);
	if (!Number.isInteger(value) || value < (name === 'warmups' ? 0 : 1)) throw new Error(`--${name} must be a whole number, not ${JSON.stringify(text)}`);
	return value;
}

const settings = {
	servers: args.servers.split(',').map((text) => positiveInteger('servers', text.trim())),
	samples: positiveInteger('samples', args.samples),
	warmups: positiveInteger('warmups', args.warmups),
	reactions: positiveInteger('reactions', args.reactions),
	readings: positiveInteger('readings', args.readings),
	emojiCount: DEFAULT_FEEDBACK_EMOJI.length,
	library: {
		stories: positiveInteger('library-stories', args['library-stories']),
		totalMb: positiveInteger('library-mb', args['library-mb']),
		changes: positiveInteger('library-changes', args['library-changes']),
	},
};
const parts = new Set(args.parts.split(',').map((text) => text.trim()));
const storeKinds = args.stores.split(',').map((text) => text.trim()) as StoreKind[];
const emojis = [...DEFAULT_FEEDBACK_EMOJI];
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

const benchStarted = performance.now();

function progress(text: string): void {
	process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);
}

function machine(): Machine {
	const cores = cpus();
	return {
		cpu: cores[0]?.model.trim() ?? 'unknown cpu',
		cores: cores.length,
		node: process.version,
		platform: `${platform()} ${release()} ${arch()}`,
		memoryGb: Math.round(totalmem() / 1e9),
	};
}

function commandLine(): string {
	const extra = process.argv.slice(2).join(' ');
	if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${extra ? ` -- ${extra}` : ''}`;
	return `node dist/bench/run.js${extra ? ` ${extra}` : ''}`;
}

/** The stores to measure: SQLite always; Redis and PostgreSQL when their URL is in the environment. */
function storeContenders(skipped: string[]): Contender[] {
	const contenders: Contender[] = [];
	const sources: Record<StoreKind, string | null> = { sqlite: null, redis: 'REDIS_URL', postgres: 'DATABASE_URL' };
	for (const store of storeKinds) {
		if (!(store in sources)) throw new Error(`--stores: unknown store ${JSON.stringify(store)} (sqlite, redis, postgres)`);
		const variable = sources[store];
		if (variable === null) {
			contenders.push({ kind: 'bot', store, storeUrl: undefined });
			continue;
		}
		const url = process.env[variable];
		if (url) contenders.push({ kind: 'bot', store, storeUrl: url });
		else {
			skipped.push(`${store}: ${variable} not set`);
			progress(`${store} skipped: ${variable} not set`);
		}
	}
	return contenders;
}

/** Anything that went wrong without failing the run: errors the bot logged, requests the fake did not know. */
const warnings: string[] = [];

function noteProblems(world: BenchWorld, label: string): void {
	const errors = world.bot.errors();
	if (errors.length > 0) warnings.push(`${label}: the bot logged ${errors.length} error(s), first: ${errors[0]!.msg}`);
	const unknown = world.fake.unknownRequests();
	if (unknown.length > 0) warnings.push(`${label}: ${unknown.length} request(s) to routes the fake does not know, first: ${unknown[0]!.method} ${unknown[0]!.path}`);
	if (world.fake.internalErrors.length > 0) warnings.push(`${label}: the fake failed internally ${world.fake.internalErrors.length} time(s)`);
}

/** Starts one bot (or the bare one) on `servers` servers, measuring its memory at the largest count when `memory` is given. */
async function startLatencyWorld(contender: Contender, servers: number, storyDir: string, stories: BenchStories, memory: MemoryRow[] | undefined): Promise<BenchWorld> {
	const name = contenderName(contender);
	progress(`${name}, ${servers.toLocaleString('en-US')} servers: starting`);
	const world = await startWorld({
		contender,
		serverCount: servers,
		storyDir,
		readings: (all) => all.map((server) => ({ server, storyId: stories.serial.id })),
		logLevel: 'info',
		nodeArgs,
		readyTimeoutMs: 120_000,
	});
	try {
		const pid = world.bot.child.pid;
		if (memory && servers === Math.max(...settings.servers) && pid !== undefined) memory.push({ contender: name, servers, figures: await measureRss(pid) });
		progress(`${name}, ${servers.toLocaleString('en-US')} servers: ready in ${(world.startup.readyMs / 1000).toFixed(1)} s (seeded in ${(world.startup.seedMs / 1000).toFixed(1)} s)`);
		return world;
	} catch (error) {
		await world.close({ kill: true });
		throw error;
	}
}

async function stopLatencyWorld(world: BenchWorld, label: string): Promise<void> {
	noteProblems(world, label);
	await world.close({ kill: true });
	progress(`${label}: stopped`);
}

/**
 * For each server count: two bare bots and each store's bot, sampled in turns (see
 * measureNextLatency). The floor is the mean of the two bare bots' p50; how far apart they are is
 * the method's own noise, measured in the same rounds as ours.
 */
async function latencyRuns(stores: Contender[], storyDir: string, stories: BenchStories, latency: LatencyRow[], memory: MemoryRow[]): Promise<void> {
	for (const servers of settings.servers) {
		const bareA = await startLatencyWorld({ kind: 'bare' }, servers, storyDir, stories, memory);
		try {
			const bareB = await startLatencyWorld({ kind: 'bare' }, servers, storyDir, stories, undefined);
			try {
				for (const contender of stores) {
					const name = contenderName(contender);
					const world = await startLatencyWorld(contender, servers, storyDir, stories, memory);
					try {
						progress(`${name}, ${servers.toLocaleString('en-US')} servers: sampling /next, in turns with two bare bots`);
						const [first, second, figures] = (await measureNextLatency(
							[
								{ world: bareA, emojiCount: 0 },
								{ world: bareB, emojiCount: 0 },
								{ world, emojiCount: settings.emojiCount },
							],
							{ samples: settings.samples, warmups: settings.warmups },
						)) as [LatencyFigures, LatencyFigures, LatencyFigures];
						latency.push({ contender: name, servers, figures, bare: [first, second], readyMs: world.startup.readyMs, seedMs: world.startup.seedMs });
						progress(`${name}, ${servers.toLocaleString('en-US')} servers: p50 ${figures.p50Ms.toFixed(2)} ms (bare ${first.p50Ms.toFixed(2)} / ${second.p50Ms.toFixed(2)} ms)`);
					} finally {
						await stopLatencyWorld(world, `${name}, ${servers} servers`);
					}
				}
			} finally {
				await stopLatencyWorld(bareB, `second bare, ${servers} servers`);
			}
		} finally {
			await stopLatencyWorld(bareA, `bare, ${servers} servers`);
		}
	}
}

/** One bot with two readings: REST calls for scenes of 3,000, 6,000 and 10,000 chars, then the reaction burst. */
async function feedbackRun(contender: Contender & { kind: 'bot' }, storyDir: string, stories: BenchStories): Promise<FeedbackRow> {
	progress(`${contender.store}: REST calls per scene and ${settings.reactions.toLocaleString('en-US')} reaction events`);
	const world = await startWorld({
		contender,
		serverCount: 2,
		storyDir,
		readings: ([serial, sizes]) => [
			{ server: serial!, storyId: stories.serial.id },
			{ server: sizes!, storyId: stories.sizes.id },
		],
		logLevel: 'info',
		nodeArgs,
		readyTimeoutMs: 60_000,
	});
	try {
		const [serial, sizes] = world.servers as [(typeof world.servers)[0], (typeof world.servers)[0]];
		const reader = world.fake.user('bench-reader');
		const restCalls: RestCallFigures[] = [];
		// Each reading stands at scene 1, so /next posts scene 2, then scene 3.
		const first = await measureRestCalls(world, serial, reader, stories.serial.sceneChars[1]!, settings.emojiCount);
		restCalls.push(first.figures);
		let lastSizesScene: string | undefined;
		for (const scene of [2, 3]) {
			const measured = await measureRestCalls(world, sizes, reader, stories.sizes.sceneChars[scene - 1]!, settings.emojiCount);
			restCalls.push(measured.figures);
			lastSizesScene = measured.result.reactedMessageId;
		}
		const messageId = first.result.reactedMessageId;
		if (messageId === undefined || lastSizesScene === undefined) throw new Error('the bot added no feedback emoji under a scene, so there is no scene message to react to');
		// A smaller burst on another scene first, so neither the bot's nor the fake's code is cold for the measured one.
		const warmupEvents = Math.min(1_000, settings.reactions);
		await measureReactions(world, { server: sizes, messageId: lastSizesScene, storyId: stories.sizes.id, scene: 3 }, emojis, warmupEvents);
		const reactions = await measureReactions(world, { server: serial, messageId, storyId: stories.serial.id, scene: 2 }, emojis, settings.reactions);
		progress(`${contender.store}: ${Math.round(reactions.eventsPerSecond)} reaction events/s, ${reactions.exact ? 'exact' : 'NOT exact'}`);
		return { store: contender.store, reactions, restCalls };
	} finally {
		noteProblems(world, `${contender.store}, reactions`);
		await world.close();
	}
}

async function main(): Promise<void> {
	const started = performance.now();
	if (!existsSync(BOT_ENTRY)) throw new Error(`${BOT_ENTRY} is missing: run \`npm run build\` first (npm run bench does).`);
	const skipped: string[] = [];
	const stores = storeContenders(skipped);
	const storyDir = await tempDir('sfb-bench-stories-');
	const latency: LatencyRow[] = [];
	const memory: MemoryRow[] = [];
	const feedback: FeedbackRow[] = [];
	let library: LibraryFigures | undefined;
	const release: ReleaseFigures[] = [];
	try {
		const stories = await writeBenchStories(storyDir.path);
		if (parts.has('latency')) await latencyRuns(stores, storyDir.path, stories, latency, memory);
		if (parts.has('feedback')) for (const contender of stores) if (contender.kind === 'bot') feedback.push(await feedbackRun(contender, storyDir.path, stories));
		if (parts.has('library')) library = await measureLibrary(settings.library, nodeArgs, progress);
		if (parts.has('release')) {
			progress(`sqlite: ${settings.readings.toLocaleString('en-US')} scheduled releases due at one minute, under Discord's rate limits`);
			const figures = await measureRelease({ readings: settings.readings, storyDir: storyDir.path, storyId: stories.serial.id, emojiPerPart: settings.emojiCount, store: 'sqlite', storeUrl: undefined, nodeArgs, progress });
			progress(`sqlite: parts ${figures.partsRatio.toFixed(2)}x the minimum, 429s ${figures.tooMany.global}/${figures.tooMany.user}, missed ${figures.missed}, doubled ${figures.doubled}`);
			release.push(figures);
		}
	} finally {
		await storyDir.remove();
	}
	const partial = { generatedAt: new Date().toISOString(), command: commandLine(), machine: machine(), settings, skipped, warnings, latency, memory, feedback, release, ...(library ? { library } : {}) };
	const results: Results = { ...partial, targets: evaluateTargets(partial), durationSeconds: (performance.now() - started) / 1000 };
	await mkdir(resolve(RESULTS_FILE, '..'), { recursive: true });
	await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, '\t')}\n`);
	process.stdout.write(`${formatResults(results)}\nresults: ${relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}\n`);
}

try {
	await main();
} catch (error) {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
}
