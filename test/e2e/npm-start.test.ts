import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../fake-discord/index.js';
import { BotProcess, PROJECT_ROOT, SAMPLE_STORY_DIR, tempDir } from './harness.js';

// Supervisors (docker stop with `CMD ["npm", "start"]`, systemd, pm2) signal the process they
// started: npm. npm hands SIGTERM/SIGINT to its child; the bot must be that child, or it is
// orphaned, never says "shutting down", and keeps serving beside the next copy.

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('npm start under a supervisor', () => {
	let fake: FakeDiscord | undefined;
	let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
	const groups = new Set<number>();

	afterEach(async () => {
		// Whatever a failed run left behind (an orphaned shell or bot) must not keep serving: each
		// run is its own process group, and the whole group goes.
		for (const pid of groups) if (alive(-pid)) process.kill(-pid, 'SIGKILL');
		groups.clear();
		await fake?.close();
		await dir?.remove();
		fake = dir = undefined;
	});

	/** `npm run <script>` from the project folder, as a user (or a Dockerfile) types it, in a process group of its own. */
	async function npmRun(script: 'start' | 'start:sharded'): Promise<BotProcess> {
		fake = await startFakeDiscord();
		dir = await tempDir();
		const env: Record<string, string> = {
			PATH: process.env.PATH ?? '',
			HOME: dir.path,
			DISCORD_TOKEN: fake.token,
			DISCORD_API_URL: fake.restUrl,
			KEYV_URL: `sqlite://${join(dir.path, 'store.sqlite')}`,
			LOG_FORMAT: 'json',
			// Present and empty, so a developer's own .env in the project folder cannot change them.
			DEV_GUILD_ID: '',
			READER_HOST_ROLE_ID: '',
			// Not the project's story/: what a user keeps there must not change this test.
			STORY_DIR: SAMPLE_STORY_DIR,
			LOG_LEVEL: 'info',
			TOTAL_SHARDS: '1',
		};
		const child = spawn('npm', ['run', '--silent', script], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		groups.add(child.pid!);
		return new BotProcess(child);
	}

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		it(`${signal} to the npm process of \`npm start\` stops the bot gracefully, and nothing is left running`, async () => {
			const npm = await npmRun('start');
			const ready = await npm.waitForLog((l) => l.event === 'ready', 75_000);
			const botPid = ready.pid as number;
			expect(botPid).not.toBe(npm.child.pid);

			npm.child.kill(signal);
			await npm.waitForLog((l) => l.msg === 'shutting down: finishing interactions in flight' && l.reason === signal);
			expect(await npm.exited).toBe(0);
			expect(npm.logs.map((l) => l.msg)).toContain('stopped');
			expect(alive(botPid)).toBe(false);
		}, 90_000);
	}

	it('Ctrl-C in a terminal (SIGINT to npm and the bot at once, then npm\'s copy) is one graceful stop, not "exit now"', async () => {
		const npm = await npmRun('start');
		const botPid = (await npm.waitForLog((l) => l.event === 'ready', 75_000)).pid as number;

		process.kill(-npm.child.pid!, 'SIGINT');
		expect(await npm.exited).toBe(0);
		expect(npm.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: finishing interactions in flight', 'stopped']));
		expect(npm.logs.map((l) => l.msg)).not.toContain('second signal: exiting now');
		expect(alive(botPid)).toBe(false);
	}, 90_000);

	it('SIGTERM to the npm process of `npm run start:sharded` stops the manager and its shard gracefully', async () => {
		const npm = await npmRun('start:sharded');
		const ready = await npm.waitForLog((l) => l.event === 'ready', 75_000);
		const shardPid = ready.pid as number;
		const managerPid = (npm.logs.find((l) => l.msg === 'shard launched')?.pid ?? 0) as number;
		expect(managerPid).not.toBe(shardPid);

		npm.child.kill('SIGTERM');
		await npm.waitForLog((l) => l.msg === 'stopping shards' && l.pid === managerPid);
		expect(await npm.exited).toBe(0);
		expect(npm.logs.filter((l) => l.pid === shardPid).map((l) => l.msg)).toEqual(
			expect.arrayContaining(['shutting down: finishing interactions in flight', 'stopped']),
		);
		expect(alive(shardPid)).toBe(false);
		expect(alive(managerPid)).toBe(false);
	}, 90_000);
});
