import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFilePlaces, EnvError, loadEnvFiles, readEnv } from '../src/env.js';

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

describe('.env and KEYV_URL traps', () => {
	it('a bare KEYV_URL path is a SQLite file; a URL, or host:port, is left to the store', () => {
		expect(readEnv({ DISCORD_TOKEN: token, KEYV_URL: 'data/x.sqlite' }).keyvUrl).toBe('sqlite://data/x.sqlite');
		expect(readEnv({ DISCORD_TOKEN: token, KEYV_URL: '/var/lib/bot/x.sqlite' }).keyvUrl).toBe('sqlite:///var/lib/bot/x.sqlite');
		expect(readEnv({ DISCORD_TOKEN: token, KEYV_URL: 'redis://h:6379' }).keyvUrl).toBe('redis://h:6379');
		expect(readEnv({ DISCORD_TOKEN: token, KEYV_URL: 'localhost:6379' }).keyvUrl).toBe('localhost:6379');
	});

	it('.env is read from the working directory, then beside the project; the first to set a variable wins', () => {
		const cwd = mkdtempSync(join(tmpdir(), 'sfb-env-cwd-'));
		const root = mkdtempSync(join(tmpdir(), 'sfb-env-root-'));
		try {
			writeFileSync(join(root, '.env'), 'DISCORD_TOKEN=from-project\nLOG_LEVEL=debug\n');
			const places = envFilePlaces(cwd, root);
			expect(places).toEqual([join(cwd, '.env'), join(root, '.env')]);
			const target: NodeJS.ProcessEnv = {};
			expect(loadEnvFiles(places, target)).toBe(`${join(cwd, '.env')} (none) and ${join(root, '.env')}`);
			expect(target.DISCORD_TOKEN).toBe('from-project');

			writeFileSync(join(cwd, '.env'), 'DISCORD_TOKEN=from-cwd\n');
			const again: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
			loadEnvFiles(places, again);
			expect(again).toEqual({ DISCORD_TOKEN: 'from-cwd', LOG_LEVEL: 'warn' });
			expect(envFilePlaces(root, root)).toEqual([join(root, '.env')]);
		} finally {
			rmSync(cwd, { recursive: true, force: true });
			rmSync(root, { recursive: true, force: true });
		}
	});
});
