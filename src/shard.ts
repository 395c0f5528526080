// `npm run start:sharded`: one process per shard with discord.js's ShardingManager. Every shard
// runs the same entry point as `npm start`; with KEYV_URL on Redis or PostgreSQL they share one
// store (the embedded SQLite file also works on one machine, at lower write throughput).
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { createLogger } from './logger.js';
import { stopSignals } from './signals.js';
import { withinLoginLimit } from './startup-checks.js';
import { exitWithWords, explainStartupError, readEnvOrExit } from './startup-errors.js';
import { loadLibrary } from './story/load.js';

const env = readEnvOrExit();
const logger = createLogger(env);

// discord.js's own "auto" asks discord.com directly; asking through our REST honours DISCORD_API_URL.
async function recommendedShards(): Promise<number> {
	const rest = new REST(env.discordApiUrl ? { api: env.discordApiUrl } : {}).setToken(env.discordToken);
	const gateway = (await withinLoginLimit(rest.get(Routes.gatewayBot()), env.loginTimeoutMs, env.discordApiUrl)) as { shards: number };
	return Math.max(1, gateway.shards);
}

// Every shard would refuse a folder without a good story the same way; say it once, before starting
// any. A file with a mistake among good ones is each shard's to log and leave out.
try {
	await loadLibrary(env.storyDir);
} catch (error) {
	exitWithWords(explainStartupError(error, env) ?? [`could not load the stories in ${env.storyDir}: ${String(error)}`]);
}

let totalShards: number;
try {
	totalShards = env.totalShards === 'auto' ? await recommendedShards() : env.totalShards;
} catch (error) {
	exitWithWords(explainStartupError(error, env) ?? [`could not ask Discord for the shard count: ${String(error)}`]);
}

const manager = new ShardingManager(fileURLToPath(new URL('./main.js', import.meta.url)), {
	token: env.discordToken,
	totalShards,
	mode: 'process',
	respawn: true,
	// Each shard runs with the manager's memory settings from `npm run start:sharded` (--max-*=N), and
	// nothing else it was started with: a debugger's flags would make every shard stop for it or
	// fight over its port.
	execArgv: process.execArgv.filter((flag) => /^--max-[\w-]+=\d+$/.test(flag)),
});

let stopping = false;
let failures = 0;
/** Stops every shard gracefully (each finishes its interactions in flight) and exits. */
async function stopAll(code: number): Promise<never> {
	stopping = true;
	manager.respawn = false;
	await Promise.all(
		manager.shards.map(
			(shard) =>
				new Promise<void>((resolve) => {
					const child = shard.process;
					if (!child || child.exitCode !== null) return resolve();
					child.once('exit', (exitCode) => {
						if (exitCode !== 0) failures++;
						resolve();
					});
					child.kill('SIGTERM');
				}),
		),
	);
	process.exit(code || (failures > 0 ? 1 : 0));
}

manager.on('shardCreate', (shard) => {
	logger.info({ shardId: shard.id, totalShards }, 'shard launched');
	shard.on('death', (child) => {
		if (!stopping) logger.warn({ shardId: shard.id, exitCode: 'exitCode' in child ? child.exitCode : null }, 'shard process exited; restarting it');
	});
	// A shard that cannot be restarted leaves the bot half deaf: stop cleanly rather than limp on.
	shard.on('error', (error) => {
		logger.error({ err: error, shardId: shard.id }, 'shard failed');
		if (!stopping) void stopAll(1);
	});
});

const classify = stopSignals();
const onSignal = (signal: NodeJS.Signals) => {
	// A terminal's Ctrl-C reaches npm and this process, and npm forwards its copy: one request.
	if (classify(signal) === 'echo') return;
	if (stopping) {
		// "Now": the shards would otherwise finish on their own with nobody watching them.
		for (const shard of manager.shards.values()) shard.process?.kill('SIGKILL');
		process.exit(130);
	}
	logger.info({ signal }, 'stopping shards');
	void stopAll(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
	await manager.spawn({ timeout: 60_000 });
} catch (error) {
	logger.error({ err: error }, 'a shard did not start');
	process.stderr.write('serial-fiction-bot: a shard did not start; its own error is above. Stopping the others.\n');
	await stopAll(1);
}
