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
			readEnv({ DISCORD_TOKEN: 'Bot abc', DISCORD_API_URL: 'ftp://x', DEV_GUILD_ID: 'abc', SHARD_COUNT: '0', LOG_LEVEL: 'loud' });
			expect.unreachable();
		} catch (error) {
			const problems = (error as EnvError).problems;
			expect(problems).toHaveLength(5);
			expect(problems.every((line) => !line.includes('\n'))).toBe(true);
		}
	});

	it('gives typed defaults', () => {
		const env = readEnv({ DISCORD_TOKEN: token, DISCORD_API_URL: 'http://127.0.0.1:9/api/', SHARD_COUNT: '2', LOG_FORMAT: 'json' });
		expect(env.discordApiUrl).toBe('http://127.0.0.1:9/api');
		expect(env.keyvUrl).toBeUndefined();
		expect(env.shardCount).toBe(2);
		expect(env.logLevel).toBe('info');
		expect(env.storyDir).toMatch(/story$/);
	});
});
