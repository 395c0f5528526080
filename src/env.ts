import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

/** The bot's configuration, read once from the environment (and `.env`). Nothing else reads process.env. */
export interface Env {
	discordToken: string;
	/** REST base URL without the version; discord.js appends `/v10`. */
	discordApiUrl: string | undefined;
	/** Keyv store URL (a bare path becomes sqlite://path); undefined means the embedded SQLite file. */
	keyvUrl: string | undefined;
	devGuildId: string | undefined;
	/** Role that may restart a reading besides members with Manage Server. */
	readerHostRoleId: string | undefined;
	storyDir: string;
	/**
	 * DEFAULT_STORY: the story id `/read` starts when none is named. Undefined: with one story, that
	 * one; with several, `/read` asks. Checked against the loaded stories at start (bot.ts).
	 */
	defaultStory: string | undefined;
	/** STORY_WATCH (on by default; `off` for a read-only deployment): reload a story file when it changes. */
	watchStories: boolean;
	logLevel: 'debug' | 'info' | 'warn' | 'error';
	logFormat: 'json' | 'pretty';
	/** Longest wait for Discord at login (LOGIN_TIMEOUT_SECONDS, default 30), in milliseconds. */
	loginTimeoutMs: number;
	/** For `npm run start:sharded`: how many shard processes (TOTAL_SHARDS). */
	totalShards: number | 'auto';
	/**
	 * Tests only (SFB_TEST_CLOCK_FILE): the scheduler's clock reads the time (ISO 8601) from this file
	 * at start and again on each SIGUSR2, instead of running by itself; see src/schedule/file-clock.ts.
	 */
	testClockFile: string | undefined;
	/** Set in a process started by discord.js's ShardingManager: the shards it runs. */
	shardingChild: { shards: number[]; shardCount: number } | undefined;
}

export class EnvError extends Error {
	override name = 'EnvError';
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
	}
}

const projectRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const snowflake = /^\d{17,20}$/;
const logLevels = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Where `.env` is looked for, in order: the working directory, then the project folder (found from
 * this file's location, so a bot started by pm2 or systemd from elsewhere still finds it).
 */
export function envFilePlaces(cwd: string = process.cwd(), root: string = projectRoot): string[] {
	const places = [resolve(cwd, '.env')];
	const beside = resolve(root, '.env');
	if (beside !== places[0]) places.push(beside);
	return places;
}

/**
 * Loads every `.env` of `places` that exists into `target`. A variable already set wins (the
 * environment first, then the earlier file). Returns what was looked at, for messages:
 * "/srv/.env (none) and /opt/bot/.env".
 */
export function loadEnvFiles(places: readonly string[], target: NodeJS.ProcessEnv): string {
	const found = places.filter((place) => existsSync(place));
	if (found.length > 0) dotenv.config({ path: found, processEnv: target as Record<string, string>, quiet: true });
	return places.map((place) => (existsSync(place) ? place : `${place} (none)`)).join(' and ');
}

/**
 * Validates the environment and returns a typed configuration, or throws an EnvError with one
 * line per problem. `source` defaults to process.env after loading `.env` (see envFilePlaces).
 */
export function readEnv(source?: NodeJS.ProcessEnv): Env {
	let looked: string | undefined;
	if (!source) {
		looked = loadEnvFiles(envFilePlaces(), process.env);
		source = process.env;
	}
	const problems: string[] = [];
	const value = (name: string) => {
		const raw = source[name]?.trim();
		return raw === '' ? undefined : raw;
	};

	const discordToken = value('DISCORD_TOKEN');
	if (!discordToken) {
		problems.push(
			'DISCORD_TOKEN is not set: copy .env.example to .env and paste your bot token (Developer Portal > your app > Bot > Reset Token).' +
				(looked ? ` Looked in the environment, ${looked}.` : ''),
		);
	} else if (/\s/.test(discordToken) || discordToken.startsWith('Bot ')) {
		problems.push('DISCORD_TOKEN looks wrong: paste the token alone, without "Bot " or spaces.');
	}

	const discordApiUrl = value('DISCORD_API_URL');
	if (discordApiUrl && !isHttpUrl(discordApiUrl)) {
		problems.push(`DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, not "${discordApiUrl}".`);
	}

	const devGuildId = value('DEV_GUILD_ID');
	if (devGuildId && !snowflake.test(devGuildId)) problems.push(`DEV_GUILD_ID must be a server id (digits), not "${devGuildId}".`);
	const readerHostRoleId = value('READER_HOST_ROLE_ID');
	if (readerHostRoleId && !snowflake.test(readerHostRoleId)) {
		problems.push(`READER_HOST_ROLE_ID must be a role id (digits), not "${readerHostRoleId}".`);
	}

	const logLevel = value('LOG_LEVEL') ?? 'info';
	if (!(logLevels as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}".`);
	const logFormat = value('LOG_FORMAT') ?? (process.stdout.isTTY ? 'pretty' : 'json');
	if (logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty, not "${logFormat}".`);

	const loginRaw = value('LOGIN_TIMEOUT_SECONDS') ?? '30';
	const loginSeconds = Number(loginRaw);
	if (!(Number.isFinite(loginSeconds) && loginSeconds > 0)) problems.push(`LOGIN_TIMEOUT_SECONDS must be a number of seconds above 0, not "${loginRaw}".`);

	// Not SHARD_COUNT: discord.js's Client reads that name itself (the ShardingManager sets it for its children).
	const shardRaw = value('TOTAL_SHARDS') ?? 'auto';
	const totalShards = shardRaw === 'auto' ? 'auto' : Number(shardRaw);
	if (totalShards !== 'auto' && !(Number.isInteger(totalShards) && totalShards >= 1)) {
		problems.push(`TOTAL_SHARDS must be "auto" or a whole number of at least 1, not "${shardRaw}".`);
	}
	let shardingChild: Env['shardingChild'];
	if (value('SHARDING_MANAGER') === 'true') {
		shardingChild = { shards: JSON.parse(value('SHARDS') ?? '[0]') as number[], shardCount: Number(value('SHARD_COUNT') ?? 1) };
	} else if (source.SHARD_COUNT !== undefined || source.SHARDS !== undefined) {
		problems.push('SHARD_COUNT and SHARDS are set aside for discord.js\'s own sharding: remove them, and use TOTAL_SHARDS with `npm run start:sharded`.');
	}

	const defaultStory = value('DEFAULT_STORY');
	const watchRaw = (value('STORY_WATCH') ?? 'on').toLowerCase();
	if (!['on', 'off'].includes(watchRaw)) problems.push(`STORY_WATCH must be on or off, not "${watchRaw}".`);

	// A bare path (data/x.sqlite, /var/lib/bot.sqlite) is a SQLite file; anything with a scheme is left to the store to accept or refuse.
	const keyvRaw = value('KEYV_URL');
	const keyvUrl = keyvRaw && !/^[a-z][a-z0-9+.-]*:/i.test(keyvRaw) ? `sqlite://${keyvRaw}` : keyvRaw;

	if (problems.length > 0) throw new EnvError(problems);
	return {
		discordToken: discordToken!,
		discordApiUrl: discordApiUrl?.replace(/\/+$/, ''),
		keyvUrl,
		devGuildId,
		readerHostRoleId,
		storyDir: resolve(value('STORY_DIR') ?? resolve(projectRoot, 'story')),
		defaultStory,
		watchStories: watchRaw !== 'off',
		logLevel: logLevel as Env['logLevel'],
		logFormat: logFormat as Env['logFormat'],
		loginTimeoutMs: loginSeconds * 1000,
		totalShards,
		testClockFile: value('SFB_TEST_CLOCK_FILE'),
		shardingChild,
	};
}

/**
 * The story folder alone, for tools that need no token (`npm run story:check`): STORY_DIR from the
 * environment or `.env`, as given, or undefined when it is not set.
 */
export function readStoryDir(source?: NodeJS.ProcessEnv): string | undefined {
	if (!source) {
		dotenv.config({ quiet: true });
		source = process.env;
	}
	const raw = source.STORY_DIR?.trim();
	return raw === '' ? undefined : raw;
}

function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}
