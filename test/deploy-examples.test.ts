import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { BotProcess, nodeFlagsOf, BOT_ENTRY, PROJECT_ROOT, SAMPLE_STORY_DIR, tempDir } from './e2e/harness.js';

// The Dockerfile and the systemd unit in the README are examples users copy: each must start the
// bot and stop it cleanly. Docker cannot run here (no daemon), so the Dockerfile is parsed, its two
// stages are reproduced file for file in a temp folder, and its CMD is run and stopped as
// `docker stop` would; the unit goes through `systemd-analyze verify`, and its ExecStart is run
// and stopped as `systemctl stop` would.

const run = promisify(execFile);

/** Dockerfile instructions, continuation lines joined: [keyword, rest]. */
function dockerInstructions(text: string): Array<[string, string]> {
	return text
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'))
		.map((line) => {
			const [keyword, ...rest] = line.split(/\s+/);
			return [keyword!.toUpperCase(), rest.join(' ')];
		});
}

/** `Key=value` lines of an ini-style systemd unit, by section. */
function unitSettings(text: string): Map<string, Map<string, string>> {
	const sections = new Map<string, Map<string, string>>();
	let current: Map<string, string> | undefined;
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
		const header = /^\[(.+)\]$/.exec(line);
		if (header) {
			current = new Map();
			sections.set(header[1]!, current);
			continue;
		}
		const eq = line.indexOf('=');
		current!.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
	}
	return sections;
}

const seconds = (value: string) => Number(/^(\d+)s?$/.exec(value)?.[1] ?? NaN);

describe('deploy examples stop cleanly', () => {
	let fake: FakeDiscord | undefined;
	let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
	let child: ChildProcess | undefined;
	afterEach(async () => {
		if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
		await fake?.close();
		await dir?.remove();
		fake = dir = child = undefined;
	});

	/** Starts `argv` in `cwd` (its own process group) against a fake Discord, waits for ready. */
	async function startCommand(argv: string[], cwd: string): Promise<BotProcess> {
		fake = await startFakeDiscord();
		dir ??= await tempDir();
		const env: Record<string, string> = {
			PATH: process.env.PATH ?? '',
			HOME: dir.path,
			DISCORD_TOKEN: fake.token,
			DISCORD_API_URL: fake.restUrl,
			KEYV_URL: `sqlite://${join(dir.path, 'store.sqlite')}`,
			LOG_FORMAT: 'json',
			DEV_GUILD_ID: '',
			READER_HOST_ROLE_ID: '',
			// Not the project's story/: what a user keeps there must not change this test.
			STORY_DIR: SAMPLE_STORY_DIR,
		};
		child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const bot = new BotProcess(child);
		await bot.waitForLog((l) => l.event === 'ready', 75_000); // npm start compiles first
		return bot;
	}

	it('Dockerfile: exec-form CMD runs node with npm start\'s flags; the two stages build and run; SIGTERM stops it within docker stop\'s 10 s', async () => {
		const instructions = dockerInstructions(await readFile(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
		const stages: Array<Array<[string, string]>> = [];
		for (const instruction of instructions) {
			if (instruction[0] === 'FROM') stages.push([]);
			stages.at(-1)!.push(instruction);
		}
		expect(stages).toHaveLength(2);
		const [build, final] = stages as [Array<[string, string]>, Array<[string, string]>];
		// An image Node version the README supports.
		for (const stage of stages) expect(stage[0]![1]).toMatch(/^node:(20|22|24)[-\w.]*(\s+AS\s+\w+)?$/i);
		expect(final.some(([keyword]) => keyword === 'ENTRYPOINT')).toBe(false);
		const stopSignal = final.find(([keyword]) => keyword === 'STOPSIGNAL')?.[1] ?? 'SIGTERM';
		expect(['SIGTERM', 'SIGINT']).toContain(stopSignal);
		const cmd = final.filter(([keyword]) => keyword === 'CMD').at(-1)![1];
		// Exec form: a JSON array. A shell-form CMD runs `/bin/sh -c`, which docker stop would signal instead.
		const argv = JSON.parse(cmd) as string[];
		expect(argv).toEqual(['node', ...nodeFlagsOf('start', BOT_ENTRY), 'dist/src/main.js']);

		// The build stage, file for file: only what its COPY lines bring, compiled.
		dir = await tempDir('sfb-docker-');
		const buildDir = join(dir.path, 'build');
		const appDir = join(dir.path, 'app');
		await mkdir(buildDir);
		await mkdir(appDir);
		const copies = (stage: Array<[string, string]>) =>
			stage.filter(([keyword]) => keyword === 'COPY').map(([, rest]) => rest.split(/\s+/));
		for (const words of copies(build)) {
			const [target, ...sources] = words.reverse();
			for (const source of sources) await cp(join(PROJECT_ROOT, source), join(buildDir, target === './' ? source : target!), { recursive: true });
		}
		expect(build.some(([keyword, rest]) => keyword === 'RUN' && rest.includes('npm ci'))).toBe(true);
		await symlink(join(PROJECT_ROOT, 'node_modules'), join(buildDir, 'node_modules'));
		await run(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: buildDir });

		// The final stage: what it copies from the build stage and from the project.
		for (const words of copies(final)) {
			const from = words[0]?.startsWith('--from=') ? words.shift() : undefined;
			const [target, ...sources] = words.reverse();
			for (const source of sources) {
				const origin = from ? join(buildDir, source.replace(/^\/app\//, '')) : join(PROJECT_ROOT, source);
				const destination = join(appDir, target === './' ? source : target!);
				if (source.endsWith('node_modules')) await symlink(join(PROJECT_ROOT, 'node_modules'), destination);
				else await cp(origin, destination, { recursive: true });
			}
		}
		const bot = await startCommand([process.execPath, ...argv.slice(1)], appDir);
		const started = Date.now();
		bot.child.kill(stopSignal as NodeJS.Signals);
		expect(await bot.exited).toBe(0);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(bot.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: finishing interactions in flight', 'stopped']));
	}, 90_000);

	it('systemd unit: systemd-analyze verify has nothing to say; ExecStart stopped with KillSignal exits cleanly within TimeoutStopSec', async () => {
		const unitPath = join(PROJECT_ROOT, 'deploy/serial-fiction-bot.service');
		// verify exits 0 even on unknown keys and bad values; any line it prints is a finding.
		const verified = await run('systemd-analyze', ['verify', unitPath]).catch((error: { stderr: string; stdout: string }) => error);
		expect(`${verified.stdout}${verified.stderr}`.trim()).toBe('');

		const unit = unitSettings(await readFile(unitPath, 'utf8'));
		const service = unit.get('Service')!;
		expect(service.get('KillMode')).toMatch(/^(mixed|control-group)$/);
		const killSignal = service.get('KillSignal') ?? 'SIGTERM';
		expect(['SIGTERM', 'SIGINT']).toContain(killSignal);
		const stopLimitSeconds = seconds(service.get('TimeoutStopSec') ?? '90');
		// The bot gives up on unfinished work after 9 s; systemd must wait longer than that.
		expect(stopLimitSeconds).toBeGreaterThan(9);
		expect(unit.get('Install')?.get('WantedBy')).toBe('multi-user.target');

		// ExecStart as systemd runs it (no shell; the first word a path), from the project folder.
		const execStart = service.get('ExecStart')!.split(/\s+/);
		expect(execStart[0]).toMatch(/^\//);
		const bot = await startCommand(execStart, PROJECT_ROOT);
		const started = Date.now();
		// KillMode=mixed: the signal goes to the main process only (here npm).
		bot.child.kill(killSignal as NodeJS.Signals);
		expect(await bot.exited).toBe(0);
		expect(Date.now() - started).toBeLessThan(stopLimitSeconds * 1000);
		expect(bot.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: finishing interactions in flight', 'stopped']));
	}, 90_000);
});
