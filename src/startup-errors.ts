import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes } from 'discord.js';
import { EnvError, readEnv, type Env } from './env.js';
import { StoreUnavailableError } from './store.js';
import { StoryLoadError } from './story/load.js';

/** Words for a start-up failure the person running the bot can fix, one line each; undefined for a real bug. */
export function explainStartupError(error: unknown, env: Env | undefined): string[] | undefined {
	if (error instanceof EnvError) return error.problems;
	if (error instanceof StoryLoadError) return error.message.split('\n');
	if (error instanceof StoreUnavailableError || (error instanceof Error && /KEYV_URL/.test(error.message))) {
		return [`cannot open the store: ${error.message}`];
	}
	if (
		(error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) ||
		(error instanceof DiscordAPIError && error.status === 401)
	) {
		return ['Discord refused DISCORD_TOKEN: reset the token in the Developer Portal (your app > Bot) and paste it into .env.'];
	}
	if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|fetch failed/.test(`${error.message} ${String(error.cause)}`)) {
		return [`cannot reach Discord at ${env?.discordApiUrl ?? 'https://discord.com/api'}: ${error.message}. Check the network (or DISCORD_API_URL).`];
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
