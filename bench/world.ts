// One measured set-up: a fresh fake Discord with N servers, their readings seeded straight into the
// store, and the bot (or the bare bot) started against them as its own process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReading, withPartPosted, withTitlePosted } from '../src/reading/rules.js';
import { partKeys } from '../src/render/index.js';
import { openStore } from '../src/store.js';
import { loadStories } from '../src/story/load.js';
import { BotProcess, nodeFlagsOf, tempDir, type LogLine } from '../test/e2e/harness.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { snowflakeAt } from '../fake-discord/snowflake.js';

const distRoot = resolve(fileURLToPath(import.meta.url), '../..');
// The harness's own startBot finds main.js relative to its TypeScript source (vitest runs it from
// test/), not from dist/, so the bench starts both bots itself and only borrows BotProcess.
export const BOT_ENTRY = join(distRoot, 'src/main.js');
export const BARE_BOT_ENTRY = join(distRoot, 'bench/bare-bot.js');

/** Who answers: our bot on one of its stores, or the bare discord.js bot (the floor). */
export type Contender = { kind: 'bot'; store: StoreKind; storeUrl: string | undefined } | { kind: 'bare' };
export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export function contenderName(contender: Contender): string {
	return contender.kind === 'bare' ? 'bare' : contender.store;
}

export interface BenchServer {
	guildId: string;
	channelId: string;
}

export interface Reading {
	server: BenchServer;
	storyId: string;
}

export interface BenchWorld {
	fake: FakeDiscord;
	bot: BotProcess;
	servers: BenchServer[];
	/** The store the bot uses (undefined for the bare bot). */
	storeUrl: string | undefined;
	/** When the first interaction callback of each interaction reached the fake's HTTP server (performance.now()). */
	callbackArrivals: Map<string, number>;
	/** Spawn to the `ready` log line, and how long seeding the store took. */
	startup: { readyMs: number; seedMs: number };
	/**
	 * Stops the bot, then the fake. `kill` cuts the bot's graceful stop short, which would first send
	 * every queued feedback emoji PUT (at discord.js's 50 requests/s) and measure nothing.
	 */
	close(options?: { kill?: boolean }): Promise<void>;
}

export interface WorldSpec {
	contender: Contender;
	serverCount: number;
	storyDir: string;
	/** Readings to seed before the bot starts; the bare bot gets none. */
	readings: (servers: BenchServer[]) => Reading[];
	logLevel: 'debug' | 'info';
	/** Extra node flags for the bot process (e.g. --cpu-prof, which NODE_OPTIONS refuses), from BENCH_NODE_ARGS. */
	nodeArgs: string[];
	readyTimeoutMs: number;
}

/** Two text channels and a voice channel per server; with @everyone and the bot's role, a couple of each. */
const CHANNELS = [
	{ name: 'reading-room', type: 0 },
	{ name: 'general', type: 0 },
	{ name: 'voice', type: 2 },
];

export async function startWorld(spec: WorldSpec): Promise<BenchWorld> {
	// One shard in one process, as `npm start` runs: the fake's 2,500-guilds-per-shard rule (Discord's)
	// would otherwise close IDENTIFY for 10,000 servers. The sharded entry point is a different bench.
	const fake = await startFakeDiscord({ maxGuildsPerShard: 0, recommendedShards: 1 });
	const dir = await tempDir('sfb-bench-');
	let bot: BotProcess | undefined;
	const close = async (options: { kill?: boolean } = {}) => {
		if (bot) await (options.kill ? stopNow(bot) : stopProcess(bot)).catch(() => undefined);
		await fake.close().catch(() => undefined);
		await dir.remove().catch(() => undefined);
	};
	try {
		const servers = Array.from({ length: spec.serverCount }, () => {
			const guild = fake.addGuild({ channels: CHANNELS });
			return { guildId: guild.id, channelId: guild.textChannelId };
		});
		const callbackArrivals = watchCallbackArrivals(fake);
		const { contender } = spec;
		const storeUrl = contender.kind === 'bare' ? undefined : (contender.storeUrl ?? `sqlite://${join(dir.path, 'store.sqlite')}`);
		const seedStarted = performance.now();
		if (storeUrl) await seedReadings(storeUrl, spec.readings(servers), spec.storyDir);
		const seedMs = performance.now() - seedStarted;

		const spawned = performance.now();
		bot =
			contender.kind === 'bare'
				? startProcess(BARE_BOT_ENTRY, fake, dir.path, spec.nodeArgs, {})
				: startProcess(BOT_ENTRY, fake, dir.path, [...nodeFlagsOf('start', BOT_ENTRY), ...spec.nodeArgs], {
						KEYV_URL: storeUrl!,
						STORY_DIR: spec.storyDir,
						LOG_FORMAT: 'json',
						LOG_LEVEL: spec.logLevel,
					});
		await bot.waitForLog((line) => line.event === 'ready', spec.readyTimeoutMs);
		const readyMs = performance.now() - spawned;
		// Command registration runs right after ready; let it finish so its REST calls are not counted.
		if (contender.kind === 'bot') await bot.waitForLog(isCommandSyncLine, 15_000);
		return { fake, bot, servers, storeUrl, callbackArrivals, startup: { readyMs, seedMs }, close };
	} catch (error) {
		await close();
		throw error;
	}
}

function isCommandSyncLine(line: LogLine): boolean {
	return /^(slash commands (registered|up to date)|could not register slash commands)$/.test(line.msg);
}

/** `node <entry>` in the temp folder (so no developer .env leaks in), with only the env it needs. */
function startProcess(entry: string, fake: FakeDiscord, dataDir: string, nodeArgs: string[], extraEnv: Record<string, string>): BotProcess {
	if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm run bench does)`);
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		DISCORD_TOKEN: fake.token,
		DISCORD_API_URL: fake.restUrl,
		...extraEnv,
	};
	const child = spawn(process.execPath, [...nodeArgs, entry], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
	return new BotProcess(child);
}

/**
 * The bot's "second signal: exit now" path: SIGTERM, SIGTERM again, so it exits through
 * process.exit (which still writes a --cpu-prof profile) without draining its queues.
 */
async function stopNow(bot: BotProcess): Promise<void> {
	if (bot.child.exitCode !== null) return;
	const timers = [
		setTimeout(() => bot.child.kill('SIGTERM'), 200),
		setTimeout(() => void bot.kill(), 5_000),
	];
	bot.child.kill('SIGTERM');
	await bot.exited;
	for (const timer of timers) clearTimeout(timer);
}

/** SIGTERM (the bot finishes what is in flight), then SIGKILL if it takes longer than 10 s. */
async function stopProcess(bot: BotProcess): Promise<void> {
	const timer = setTimeout(() => void bot.kill(), 10_000);
	await bot.stop();
	clearTimeout(timer);
}

/**
 * The latency's end point: the moment the callback request's headers reach the fake's HTTP server.
 * The fake's own 'request' event fires only after the body is read and the callback handled, which
 * would charge the fake's work to the bot, so this listens on the server underneath when it can.
 */
function watchCallbackArrivals(fake: FakeDiscord): Map<string, number> {
	const arrivals = new Map<string, number>();
	const note = (path: string) => {
		const id = /\/interactions\/(\d+)\/[^/]+\/callback/.exec(path)?.[1];
		if (id !== undefined && !arrivals.has(id)) arrivals.set(id, performance.now());
	};
	const server = (fake as unknown as { server?: HttpServer }).server;
	if (server && typeof server.on === 'function') server.on('request', (request) => note(request.url ?? ''));
	else fake.on('request', (request) => note(request.path));
	return arrivals;
}

/**
 * Readings at scene 1 of their story, written with the store module the bot uses. Message ids are
 * snowflakes from an hour ago: the bot links to the newest one and compares its time with the
 * interaction's, so they must look like messages posted before the bench started.
 */
export async function seedReadings(storeUrl: string, readings: readonly Reading[], storyDir: string): Promise<void> {
	// Each reading is at its story's first part, filed under that part's key as the bot files it.
	const firstKeys = new Map((await loadStories(storyDir)).map((story) => [story.id, partKeys(story)[0]!]));
	const store = await openStore(storeUrl);
	try {
		const readerId = snowflakeAt(Date.now() - 7_200_000);
		const postedAt = Date.now() - 3_600_000;
		const records = readings.map(({ server, storyId }, index) => {
			// A distinct millisecond per reading keeps the ids unique however many there are.
			const at = postedAt - readings.length + index;
			const now = new Date(at);
			const place = { kind: 'channel', guildId: server.guildId, channelId: server.channelId } as const;
			const started = withTitlePosted(startReading({ place, storyId, channelId: server.channelId, userId: readerId, now }), snowflakeAt(at, 0));
			return { record: withPartPosted(started, 1, [snowflakeAt(at, 1)], readerId, now, firstKeys.get(storyId) ?? '') };
		});
		// SQLite runs writes one at a time anyway; for Redis and PostgreSQL a few hundred in flight
		// keep seeding 10,000 readings to a second or two without opening a connection per write.
		const inFlight = 256;
		for (let start = 0; start < records.length; start += inFlight) {
			await Promise.all(records.slice(start, start + inFlight).map(({ record }) => store.saveReading(record, 0)));
		}
	} finally {
		await store.close();
	}
}
