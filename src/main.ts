// Entry point of `npm start` (and of every shard under `npm run start:sharded`). Set-up mistakes
// (no token, a bad story file, an unreachable store) end the process with one line each on
// stderr, never a stack trace.
import { startBot, type Bot } from './bot.js';
import { createLogger } from './logger.js';
import { stopSignals } from './signals.js';
import { exitWithWords, explainStartupError, readEnvOrExit } from './startup-errors.js';

/** Past this, shutdown gives up waiting (container runtimes kill at 10 s). */
const SHUTDOWN_LIMIT_MS = 9_000;

const env = readEnvOrExit();
const logger = createLogger(env);
let bot: Bot | undefined;
let stopping = false;
const classify = stopSignals();

function shutDown(reason: string): void {
	// npm (or systemd) may hand on a copy of the very signal the bot already got: not a second request.
	if (classify(reason) === 'echo') return;
	if (stopping) {
		// Alone, a second Ctrl-C means "now". Under the ShardingManager the manager drives the stop
		// and the terminal's signal reaches the shard too, so repeats are not a request to hurry.
		if (env.shardingChild) return;
		logger.warn({ reason }, 'second signal: exiting now');
		process.exit(130);
	}
	stopping = true;
	if (!bot) process.exit(0); // still starting: nothing in flight to finish
	logger.info({ reason }, 'shutting down: finishing interactions in flight');
	setTimeout(() => {
		logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long: exiting with work unfinished');
		process.exit(1);
	}, SHUTDOWN_LIMIT_MS).unref();
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
}
// Registered before start-up, so a signal (or the manager going away) while logging in is handled too.
process.on('SIGTERM', () => shutDown('SIGTERM'));
// Under the manager, Ctrl-C reaches every shard at once; the manager's SIGTERM follows.
process.on('SIGINT', () => (env.shardingChild ? undefined : shutDown('SIGINT')));
// The manager went away (crashed or killed): nobody will restart or stop this shard any more.
process.on('disconnect', () => shutDown('sharding manager gone'));

try {
	bot = await startBot(env, logger);
} catch (error) {
	const words = explainStartupError(error, env);
	if (words) exitWithWords(words);
	logger.fatal({ err: error }, 'could not start');
	process.exit(1);
}
