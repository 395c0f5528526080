// The store with more than one process: two bot processes voting on the same scene at once (each
// with its own connection, so no in-process lock can help), and a Redis server killed and started
// again under a live store.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreUnavailableError } from '../src/store.js';
import { backends, cleanupRun, freePort, getProgress, progressRecord, saveProgress, redisServerInstalled, redisTarget, sceneRef, startRedisServer, timed, uniqueId } from './helpers/stores.js';

afterAll(cleanupRun);

const root = join(import.meta.dirname, '..');
const compiledStore = join(root, 'dist/src/store.js');
const workerScript = join(import.meta.dirname, 'helpers/vote-worker.mjs');

/**
 * The workers import dist/, so each of the store's sources must be compiled as it is now. Builds
 * are incremental: tsc rewrites only files whose text changed, so a source newer than its output
 * is still fresh when its text is what the last build recorded (sha256, in dist/.tsbuildinfo).
 */
function checkCompiledStore(): void {
	const build = 'run `npm run build` (npm test does it first)';
	if (!existsSync(compiledStore)) throw new Error(`${compiledStore} is missing: ${build}`);
	const compiledVersions = new Map<string, string | undefined>();
	try {
		const info = JSON.parse(readFileSync(join(root, 'dist/.tsbuildinfo'), 'utf8')) as { fileNames: string[]; fileInfos: Array<string | { version?: string }> };
		info.fileNames.forEach((name, index) => {
			const file = info.fileInfos[index];
			compiledVersions.set(resolve(root, 'dist', name), typeof file === 'string' ? file : file?.version);
		});
	} catch {
		// No build info (or another format): the times alone decide.
	}
	const sources = ['src/store.ts', ...readdirSync(join(root, 'src/store')).map((name) => `src/store/${name}`)];
	const stale = sources.filter((source) => {
		const path = join(root, source);
		const compiled = join(root, 'dist', source.replace(/\.ts$/, '.js'));
		if (!existsSync(compiled)) return true;
		if (statSync(path).mtimeMs <= statSync(compiled).mtimeMs) return false;
		return createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex') !== compiledVersions.get(path);
	});
	if (stale.length > 0) throw new Error(`dist/ is older than ${stale.join(', ')}: ${build}`);
}

interface Worker {
	ready: Promise<void>;
	finished: Promise<{ sent: number; ms: number }>;
	go(): void;
	kill(): void;
}

function startWorker(args: string[]): Worker {
	const child: ChildProcess = spawn(process.execPath, [workerScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	let markReady: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
		if (stdout.includes('ready\n')) markReady();
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const finished = new Promise<{ sent: number; ms: number }>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code) => {
			const last = stdout.trim().split('\n').at(-1) ?? '';
			if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as { sent: number; ms: number });
			else reject(new Error(`vote worker exited with ${code}: ${stderr.trim() || stdout.trim()}`));
		});
	});
	// A worker that dies before "ready" must fail the test, not leave it waiting.
	const readyOrDead = Promise.race([ready, finished.then(() => Promise.reject(new Error('vote worker ended before ready')))]);
	readyOrDead.catch(() => undefined);
	return { ready: readyOrDead, finished, go: () => child.stdin?.write('go\n'), kill: () => child.kill('SIGKILL') };
}

describe('two bot processes voting on one scene at once', () => {
	beforeAll(checkCompiledStore);

	for (const backend of backends) {
		it.skipIf(backend.skipReason !== undefined)(`${backend.name}: every distinct vote counts exactly once`, async () => {
			const url = backend.url();
			const guildId = uniqueId('guild');
			const storyId = 'story';
			// Each process: 500 readers of its own, 100 readers both see, 100 of its own heard twice.
			const workers = ['alpha', 'beta'].map((prefix) => startWorker([url, guildId, storyId, '👍', `${prefix}`, '500', '100', '100']));
			try {
				await Promise.all(workers.map((worker) => worker.ready));
				for (const worker of workers) worker.go();
				const results = await Promise.all(workers.map((worker) => worker.finished));
				expect(results.map((result) => result.sent)).toEqual([700, 700]);
			} finally {
				for (const worker of workers) worker.kill();
			}
			const store = await openStore(url);
			try {
				expect(await store.countVotes([guildId], storyId, 1, ['👍'])).toEqual([[1_100]]);
			} finally {
				await store.close();
			}
		});
	}
});

describe.skipIf(redisTarget === undefined || !redisServerInstalled)('a Redis server killed and started again', () => {
	const startRedis = (port: number) => startRedisServer(port);

	async function kill(server: ChildProcess): Promise<void> {
		if (server.exitCode !== null || server.signalCode !== null) return;
		const exited = new Promise((resolve) => server.once('exit', resolve));
		server.kill('SIGKILL');
		await exited;
	}

	it('rejects while it is down, then works again on its own', async () => {
		const port = await freePort();
		let server = await startRedis(port);
		let reconnected!: () => void;
		const back = new Promise<void>((resolve) => (reconnected = resolve));
		const store = await openStore(`redis://127.0.0.1:${port}`, { onReconnected: () => reconnected() });
		try {
			const guildId = uniqueId('guild');
			await saveProgress(store, guildId, progressRecord());
			await store.addVote(sceneRef(1, guildId), '👍', 'ann');

			await kill(server);
			const { ms, result } = await timed(() => getProgress(store, guildId));
			expect(result.status).toBe('rejected');
			expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
			expect(ms).toBeLessThan(5_000);
			await expect(store.addVote(sceneRef(1, guildId), '👍', 'bob')).rejects.toBeInstanceOf(StoreUnavailableError);

			// Same port, empty server (no persistence): the store reconnects without being reopened.
			server = await startRedis(port);
			await back;
			await saveProgress(store, guildId, progressRecord({ position: 3 }));
			expect((await getProgress(store, guildId))?.position).toBe(3);
			await store.addVote(sceneRef(1, guildId), '👍', 'bob');
			expect(await store.countVotes([guildId], 'story', 1, ['👍'])).toEqual([[1]]);
		} finally {
			await store.close();
			await kill(server);
		}
	});
});
