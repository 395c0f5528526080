import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// test/e2e/ in the source tree, dist/test/e2e/ when compiled (the bench uses the compiled copy).
const here = resolve(fileURLToPath(import.meta.url), '../../..');
export const PROJECT_ROOT = basename(here) === 'dist' ? dirname(here) : here;
const root = PROJECT_ROOT;
export const BOT_ENTRY = join(root, 'dist/src/main.js');
export const SHARDED_ENTRY = join(root, 'dist/src/shard.js');
/**
 * A copy of the story the bot ships with (story/after-the-end.md), for tests: what a user puts in
 * story/ (their own stories, a broken draft, nothing) must not change a test's result. Only
 * test/shipped-story.test.ts reads story/ itself.
 */
export const SAMPLE_STORY_DIR = join(root, 'test/fixtures/stories/sample');
export const SAMPLE_STORY_FILE = join(SAMPLE_STORY_DIR, 'after-the-end.md');

/**
 * The node flags an npm script runs `entry` with ("start": "... && node --flag dist/src/main.js"),
 * so tests and the bench start the bot exactly as `npm start` does, minus the build.
 */
export function nodeFlagsOf(scriptName: 'start' | 'start:sharded', entry: string): string[] {
	const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
	const relativeEntry = entry.slice(root.length + 1);
	const command = scripts[scriptName]
		?.split('&&')
		// `exec node …`: the shell hands its process to node, so npm's signals reach the bot (README, "Run it under a supervisor").
		.map((part) => part.trim().split(/\s+/).filter((word, index) => !(index === 0 && word === 'exec')))
		.find((words) => words[0] === 'node' && words.at(-1) === relativeEntry);
	if (!command) throw new Error(`package.json's "${scriptName}" script no longer ends in "node ... ${relativeEntry}"`);
	return command.slice(1, -1);
}

export interface LogLine {
	level: number;
	msg: string;
	[key: string]: unknown;
}

/** The bot as a user runs it: `node <flags> dist/src/main.js` (what `npm start` runs after compiling), in its own process. */
export class BotProcess {
	readonly logs: LogLine[] = [];
	readonly stderr: string[] = [];
	readonly exited: Promise<number | null>;
	#waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

	constructor(readonly child: ChildProcess) {
		let buffered = '';
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			buffered += chunk;
			let newline: number;
			while ((newline = buffered.indexOf('\n')) >= 0) {
				const text = buffered.slice(0, newline);
				buffered = buffered.slice(newline + 1);
				if (!text.trim()) continue;
				let line: LogLine;
				try {
					line = JSON.parse(text) as LogLine;
				} catch {
					line = { level: 30, msg: text };
				}
				this.logs.push(line);
				this.#waiters = this.#waiters.filter((waiter) => (waiter.match(line) ? (waiter.resolve(line), false) : true));
			}
		});
		child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
		this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
	}

	/** Resolves with the first log line (already printed or to come) that matches. */
	waitForLog(match: (line: LogLine) => boolean, timeoutMs = 30_000, includePast = true): Promise<LogLine> {
		const seen = includePast ? this.logs.find(match) : undefined;
		if (seen) return Promise.resolve(seen);
		return new Promise((resolveLine, reject) => {
			const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${this.stderr.join('')}; logs: ${this.logs.slice(-10).map((l) => l.msg).join(' | ')}`)), timeoutMs);
			this.#waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolveLine(line)) });
			void this.exited.then((code) => reject(new Error(`the bot exited (${code}) before the log line; stderr: ${this.stderr.join('')}`)));
		});
	}

	/** Resolves once `count` log lines (printed from now on) have matched. */
	waitForLogCount(match: (line: LogLine) => boolean, count: number, timeoutMs = 30_000): Promise<LogLine> {
		let seen = 0;
		return this.waitForLog((line) => match(line) && ++seen >= count, timeoutMs, false);
	}

	ready(): Promise<LogLine> {
		return this.waitForLog((line) => line.event === 'ready');
	}

	errors(): LogLine[] {
		return this.logs.filter((line) => line.level >= 50);
	}

	/** `kill -9`: the bot gets no chance to flush or say goodbye. */
	async kill(): Promise<void> {
		if (this.child.exitCode === null) this.child.kill('SIGKILL');
		await this.exited;
	}

	/** Ctrl-C: graceful shutdown. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
		if (this.child.exitCode === null) this.child.kill(signal);
		return this.exited;
	}
}

export interface StartOptions {
	/** Compiled entry point; default the one `npm start` runs. */
	entry?: string;
	restUrl: string;
	token: string;
	/** Store URL; default: a SQLite file in `dataDir`. */
	keyvUrl?: string;
	dataDir: string;
	/** The bot's STORY_DIR; default SAMPLE_STORY_DIR, never the project's story/. */
	storyDir?: string;
	env?: Record<string, string>;
	/** Node flags besides those of the npm script (a developer's, such as --inspect). */
	extraNodeFlags?: string[];
}

export function startBot(options: StartOptions): BotProcess {
	const entry = options.entry ?? BOT_ENTRY;
	if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test does it first).`);
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		DISCORD_TOKEN: options.token,
		DISCORD_API_URL: options.restUrl,
		KEYV_URL: options.keyvUrl ?? `sqlite://${join(options.dataDir, 'store.sqlite')}`,
		LOG_FORMAT: 'json',
		LOG_LEVEL: 'debug',
		STORY_DIR: options.storyDir ?? SAMPLE_STORY_DIR,
		...options.env,
	};
	// cwd is the temp folder so a developer's own .env never leaks into a test.
	const flags = [...nodeFlagsOf(entry === SHARDED_ENTRY ? 'start:sharded' : 'start', entry), ...(options.extraNodeFlags ?? [])];
	const child = spawn(process.execPath, [...flags, entry], { cwd: options.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
	return new BotProcess(child);
}

export async function tempDir(prefix = 'sfb-e2e-'): Promise<{ path: string; remove(): Promise<void> }> {
	const path = await mkdtemp(join(tmpdir(), prefix));
	return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
