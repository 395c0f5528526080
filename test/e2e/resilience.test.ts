import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ENTRY, SAMPLE_STORY_DIR, SHARDED_ENTRY, tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

// What happens around a reading: restarts, a dropped gateway, Discord saying 429 or 500, a story
// that tries to ping everyone, and set-up mistakes.

describe('the bot keeps a reading going', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
	});
	afterAll(async () => {
		await world?.close();
	});

	it('restart in the middle (kill -9, start again on the same SQLite file) continues at the next scene', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		const next2 = fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' });
		expect((await next2.reply()).content).toContain('Scene 2 of 4');
		await world.served(next2);

		await world.bot.kill();
		await world.restartBot();

		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 2 of 4');
		const next = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(next.content).toContain('Scene 3 of 4');
	});

	it('a dropped gateway connection resumes and the next command works', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		const resumes = fake.resumeCount;
		const resumed = world.bot.waitForLog((line) => line.msg === 'gateway resumed');
		fake.dropConnection();
		await resumed;
		expect(fake.resumeCount).toBe(resumes + 1);
		const next = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(next.content).toContain('Scene 2 of 4');
	});

	it('Discord answering 429 then 500 to a scene post: the bot retries and nothing is lost', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 429, retryAfterSeconds: 0.05 });
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 500 });
		const next = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(next.content).toContain('Scene 2 of 4');
		expect(fake.requests.filter((r) => r.status === 429 || r.status === 500).length).toBeGreaterThanOrEqual(2);
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 2 of 4');
	});

	it('when Discord keeps failing, the reader gets a plain answer and the reading does not move', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		// Every try of the scene post fails; discord.js gives up after its retries.
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 500, times: 4 });
		const failed = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(failed.ephemeral).toBe(true);
		expect(failed.content).toBe('Something went wrong on my side and it has been logged. Please try again in a moment.');
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 1 of 4');
		const retry = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(retry.content).toContain('Scene 2 of 4');
	});
});

describe('a story that mentions @everyone', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ storyDir: resolve('test/fixtures/stories/mentions') });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('shows the mentions as text and pings nobody', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		const scene = fake.messages(channelId).find((m) => m.content.includes('Scene 1 of 1'))!;
		await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(scene.embeds[0]?.description).toContain('@everyone look at this');
		expect(scene.embeds[0]?.description).toContain('\\- not a list');
		for (const message of fake.messages(channelId)) {
			expect(message.allowed_mentions).toEqual({ parse: [] });
			expect(message.mention_everyone ?? false).toBe(false);
			expect(message.mentions ?? []).toEqual([]);
			expect(message.mention_roles ?? []).toEqual([]);
		}
	});
});

describe('set-up mistakes get one line, no stack trace', () => {
	const run = async (env: Record<string, string>, entry = BOT_ENTRY) => {
		const dir = await tempDir();
		const child = spawn(process.execPath, [entry], { cwd: dir.path, env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', DISCORD_TOKEN: '', ...env } });
		let stderr = '';
		let stdout = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		const code = await new Promise<number | null>((done) => child.once('exit', done));
		await dir.remove();
		return { code, stderr, stdout };
	};

	it('no token: exits at once saying what to set', async () => {
		const { code, stderr } = await run({});
		expect(code).toBe(1);
		expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^serial-fiction-bot: DISCORD_TOKEN is not set: copy \.env\.example to \.env/)]);
	});

	it('a malformed story: refused at start with the file, line and reason', async () => {
		const { code, stderr } = await run({ DISCORD_TOKEN: 'x.y.z', STORY_DIR: resolve('test/fixtures/stories/bad') });
		expect(code).toBe(1);
		expect(stderr).toMatch(/^serial-fiction-bot: .*\.md:\d+: /m);
		expect(stderr).not.toMatch(/\n\s+at /);
	});

	it('a malformed story under npm run start:sharded: the same lines, once, and no shard is started', async () => {
		const { code, stderr, stdout } = await run({ DISCORD_TOKEN: 'x.y.z', STORY_DIR: resolve('test/fixtures/stories/bad'), TOTAL_SHARDS: '2' }, SHARDED_ENTRY);
		expect(code).toBe(1);
		const single = await run({ DISCORD_TOKEN: 'x.y.z', STORY_DIR: resolve('test/fixtures/stories/bad') });
		expect(stderr).toBe(single.stderr);
		expect(stdout).not.toContain('shard launched');
	});

	it('a wrong token: Discord refuses it and the bot says so in one line', async () => {
		const { startFakeDiscord } = await import('../../fake-discord/index.js');
		const fake = await startFakeDiscord();
		try {
			const { code, stderr } = await run({ DISCORD_TOKEN: 'wrong.token.value', STORY_DIR: SAMPLE_STORY_DIR, DISCORD_API_URL: fake.restUrl, KEYV_URL: `sqlite://${join(await tempDirPath(), 's.sqlite')}` });
			expect(code).toBe(1);
			expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/Discord refused DISCORD_TOKEN/)]);
		} finally {
			await fake.close();
		}
	});
});

async function tempDirPath(): Promise<string> {
	return (await tempDir()).path;
}
