// `npm run start:sharded`: one process per shard with discord.js's ShardingManager. Every shard
// runs the same entry point as `npm start`; with KEYV_URL on Redis or PostgreSQL they share one
// store (the embedded SQLite file also works on one machine, at lower write throughput).
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { EnvError, readEnv, type Env } from './env.js';
import { createLogger } from './logger.js';

let env: Env;
try {
	env = readEnv();
} catch (error) {
	if (!(error instanceof EnvError)) throw error;
	for (const line of error.problems) console.error(`serial-fiction-bot: ${line}`);
	process.exit(1);
}
const logger = createLogger(env);

// discord.js's own "auto" asks discord.com directly; asking through our REST honours DISCORD_API_URL.
async function recommendedShards(): Promise<number> {
	const rest = new REST(env.discordApiUrl ? { api: env.discordApiUrl } : {}).setToken(env.discordToken);
	const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
	return Math.max(1, gateway.shards);
}

const totalShards = env.shardCount === 'auto' ? await recommendedShards() : env.shardCount;
const manager = new ShardingManager(fileURLToPath(new URL('./main.js', import.meta.url)), {
	token: env.discordToken,
	totalShards,
	mode: 'process',
	respawn: true,
});
manager.on('shardCreate', (shard) => {
	logger.info({ shardId: shard.id, totalShards }, 'shard launched');
	shard.on('death', () => logger.warn({ shardId: shard.id }, 'shard process exited'));
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
	if (stopping) process.exit(130);
	stopping = true;
	logger.info({ signal }, 'stopping shards');
	manager.respawn = false;
	// Each shard shuts down gracefully on SIGTERM (see main.ts).
	Promise.all(manager.shards.map((shard) => new Promise<void>((resolve) => {
		if (!shard.process) return resolve();
		shard.process.once('exit', () => resolve());
		shard.process.kill('SIGTERM');
	}))).then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

await manager.spawn({ timeout: 60_000 });
