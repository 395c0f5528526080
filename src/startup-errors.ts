import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import { DefaultStoryError } from './context.js';
import { EnvError, readEnv, type Env } from './env.js';
import { LoginTimeoutError } from './startup-checks.js';
import { StoreUnavailableError } from './store.js';
import { StoryLoadError } from './story/load.js';

const DISCORD_STATUS = 'https://discordstatus.com';

/** Words for a start-up failure the person running the bot can fix, one line each; undefined for a real bug. */
export function explainStartupError(error: unknown, env: Env | undefined): string[] | undefined {
	if (error instanceof EnvError) return error.problems;
	if (error instanceof StoryLoadError) return error.message.split('\n');
	if (error instanceof DefaultStoryError) return [error.message];
	const cause = error instanceof Error ? error.cause : undefined;
	// By name: importing src/store/redis.ts here would load the Redis client for every bot.
	if (cause instanceof Error && cause.name === 'RedisEvictionPolicyError') return [cause.message];
	const server = error instanceof StoreUnavailableError ? /\bThe (redis|postgres) store\b/.exec(error.message)?.[1] : undefined;
	if (server) {
		const name = server === 'redis' ? 'Redis' : 'PostgreSQL';
		return [`cannot reach ${name} at start: ${error instanceof Error ? error.message : ''}. Check that ${name} is running and reachable from here, and KEYV_URL (host, port, password, database).`];
	}
	if (error instanceof StoreUnavailableError || (error instanceof Error && /KEYV_URL/.test(error.message))) return [`cannot open the store: ${error.message}`];
	if (error instanceof LoginTimeoutError) {
		return [`${error.message}: check the network, a firewall or proxy (DISCORD_API_URL), and ${DISCORD_STATUS}; a slow link can raise LOGIN_TIMEOUT_SECONDS.`];
	}
	const discord = explainDiscordError(error);
	if (discord) return [discord];
	if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed/.test(`${error.message} ${String(error.cause)}`)) {
		const reason = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.exec(`${error.message} ${String(error.cause)}`)?.[0] ?? error.message;
		return [`cannot reach Discord at ${env?.discordApiUrl ?? 'https://discord.com/api'} (${reason}): check the network and DNS, or DISCORD_API_URL if you set it.`];
	}
	return undefined;
}

/**
 * One sentence for an answer Discord gave that the person running the bot must act on: a refused
 * token (401), or a failure on Discord's side (5xx, after discord.js's own retries). Undefined for
 * anything else. Status meanings: https://discord.com/developers/docs/topics/opcodes-and-status-codes#http
 */
export function explainDiscordError(error: unknown): string | undefined {
	if (
		(error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) ||
		(error instanceof DiscordAPIError && error.status === 401)
	) {
		return 'Discord refused DISCORD_TOKEN: reset the token in the Developer Portal (your app > Bot) and paste it into .env.';
	}
	const status = error instanceof HTTPError || error instanceof DiscordAPIError ? error.status : undefined;
	if (status !== undefined && status >= 500) {
		const { method, url } = error as HTTPError;
		return `Discord answered ${status} to ${method.toUpperCase()} ${new URL(url).pathname}, a failure on its side: check ${DISCORD_STATUS} and try again in a few minutes.`;
	}
	return undefined;
}

/** Prints each line as `serial-fiction-bot: …` on stderr and exits 1: the end of a set-up mistake. */
export function exitWithWords(lines: readonly string[]): never {
	for (const line of lines) process.stderr.write(`serial-fiction-bot: ${line}\n`);
	process.exit(1);
}

/** The configuration, or one line per problem and exit 1. */
export function readEnvOrExit(): Env {
	try {
		return readEnv();
	} catch (error) {
		return exitWithWords(explainStartupError(error, undefined) ?? [String(error)]);
	}
}
