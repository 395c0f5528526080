import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../src/env.js';

const token = 'MTIz.fake.token-for-tests';

describe('readEnv', () => {
	it('says exactly what to set when the token is missing', () => {
		expect(() => readEnv({})).toThrow(EnvError);
		try {
			readEnv({});
		} catch (error) {
			expect((error as EnvError).problems).toHaveLength(1);
			expect((error as EnvError).problems[0]).toMatch(/^DISCORD_TOKEN is not set: copy \.env\.example to \.env/);
		}
	});

	it('reports one line per problem', () => {
		try {
			readEnv({ DISCORD_TOKEN: 'Bot abc', DISCORD_API_URL: 'ftp://x', DEV_GUILD_ID: 'abc', TOTAL_SHARDS: '0', LOG_LEVEL: 'loud' });
			expect.unreachable();
		} catch (error) {
			const problems = (error as EnvError).problems;
			expect(problems).toHaveLength(5);
			expect(problems.every((line) => !line.includes('\n'))).toBe(true);
		}
	});

	it('gives typed defaults', () => {
		const env = readEnv({ DISCORD_TOKEN: token, DISCORD_API_URL: 'http://127.0.0.1:9/api/', TOTAL_SHARDS: '2', LOG_FORMAT: 'json' });
		expect(env.discordApiUrl).toBe('http://127.0.0.1:9/api');
		expect(env.keyvUrl).toBeUndefined();
		expect(env.totalShards).toBe(2);
		expect(env.shardingChild).toBeUndefined();
		expect(env.logLevel).toBe('info');
		expect(env.storyDir).toMatch(/story$/);
	});

	it("refuses discord.js's own SHARD_COUNT outside the ShardingManager, in one line", () => {
		expect(() => readEnv({ DISCORD_TOKEN: token, SHARD_COUNT: '' })).toThrow(/SHARD_COUNT and SHARDS are set aside for discord\.js/);
	});

	it('under the ShardingManager, takes the shards it assigned', () => {
		const env = readEnv({ DISCORD_TOKEN: token, SHARDING_MANAGER: 'true', SHARDS: '[1]', SHARD_COUNT: '2' });
		expect(env.shardingChild).toEqual({ shards: [1], shardCount: 2 });
	});
});
