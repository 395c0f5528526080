// Entry point of `npm start`. Set-up mistakes (no token, a bad story file, an unreachable store)
// end the process with one line each on stderr, never a stack trace.
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes } from 'discord.js';
import { startBot, type Bot } from './bot.js';
import { EnvError, readEnv, type Env } from './env.js';
import { createLogger } from './logger.js';
import { StoreUnavailableError } from './store.js';
import { StoryLoadError } from './story/load.js';

const NAME = 'serial-fiction-bot';

function fail(lines: readonly string[]): never {
	for (const line of lines) process.stderr.write(`${NAME}: ${line}\n`);
	process.exit(1);
}

/** Words for a start-up failure the person running the bot can fix, or undefined for a real bug. */
export function explainStartupError(error: unknown, env: Env): string[] | undefined {
	if (error instanceof EnvError) return error.problems;
	if (error instanceof StoryLoadError) return error.message.split('\n');
	if (error instanceof StoreUnavailableError || (error instanceof Error && /KEYV_URL/.test(error.message))) {
		return [`cannot open the store: ${error.message}`];
	}
	if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) {
		return ['Discord refused DISCORD_TOKEN: reset the token in the Developer Portal (your app > Bot) and paste it into .env.'];
	}
	if (error instanceof DiscordAPIError && error.status === 401) {
		return ['Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token in the Developer Portal (your app > Bot) and paste it into .env.'];
	}
	if (error instanceof Error && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|fetch failed/.test(`${error.message} ${String(error.cause)}`)) {
		return [`cannot reach Discord at ${env.discordApiUrl ?? 'https://discord.com/api'}: ${error.message}. Check the network (or DISCORD_API_URL).`];
	}
	return undefined;
}

async function main(): Promise<void> {
	let env: Env;
	try {
		env = readEnv();
	} catch (error) {
		if (error instanceof EnvError) fail(error.problems);
		throw error;
	}
	const logger = createLogger(env);
	let bot: Bot;
	try {
		bot = await startBot(env, logger);
	} catch (error) {
		const words = explainStartupError(error, env);
		if (words) fail(words);
		logger.fatal({ err: error }, 'could not start');
		process.exit(1);
	}

	let stopping = false;
	const shutDown = (signal: NodeJS.Signals) => {
		if (stopping) {
			logger.warn({ signal }, 'second signal: exiting now');
			process.exit(130);
		}
		stopping = true;
		logger.info({ signal }, 'shutting down: finishing interactions in flight');
		bot.stop().then(
			() => {
				logger.info('stopped');
				process.exit(0);
			},
			(error: unknown) => {
				logger.error({ err: error }, 'unclean shutdown');
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', shutDown);
	process.on('SIGTERM', shutDown);
}

await main();
