// The library at scale (issue 12 item 4): 500 generated stories (about 100 MB of text) in a temp
// STORY_DIR; time from start to ready, resident memory after ready against the text's size on
// disk, and the time for one changed file to be live (and that no other file was read again).
// `npm run bench -- --parts library` runs it alone.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord } from '../fake-discord/index.js';
import { startBot, tempDir, type LogLine } from '../test/e2e/harness.js';
import { measureRss } from './scenarios.js';
import { seededRandom } from './stats.js';

export interface LibrarySettings {
	stories: number;
	/** Total text on disk to aim for, in MB (10^6 bytes). */
	totalMb: number;
	/** Changed files timed one after another. */
	changes: number;
}

export interface LibraryFigures {
	settings: LibrarySettings;
	/** Bytes of story files on disk. */
	textBytes: number;
	generateMs: number;
	/** From spawning the bot process to its `ready` line. */
	readyMs: number;
	/** The bot's own time to read and parse every story (its `storiesLoaded` line). */
	loadMs: number;
	rssMb: number[];
	rssMedianMb: number;
	/** Median RSS over the text's size on disk. */
	rssRatio: number;
	/** One changed file: from just before the write to the bot's `storyReloaded` line reaching the bench, ms. */
	changeMs: number[];
	changeP50Ms: number;
	changeMaxMs: number;
	/** The bot's own read-and-parse time for the changed file (`ms` of its line), median. */
	reloadOwnP50Ms: number;
	/** Reads of the changed file per change (more than 1 when its write reached the watcher in pieces more than 50 ms apart). */
	reloadsPerChange: number[];
	/** Reload lines for any other file during the changes (0: no other file was read again). */
	otherFilesRead: number;
	/** After the first change, `/read` of that story showed the changed title. */
	live: boolean;
	/** The machine's 1-minute load average when the bot was started and at the end (other work on a shared machine). */
	loadAverage: [number, number];
}

export const LIBRARY_TARGETS = { readyMs: 10_000, rssRatio: 3, changeMs: 100 } as const;

const WORDS = (
	'the tide came in over the flats while the village slept and only the ferryman watched the lamps ' +
	'on the far shore go out one by one he counted them as his mother had taught him and wrote the number ' +
	'in a ledger that nobody else ever read though everyone knew it was there beside the kettle'
).split(' ');

/** A chaptered story of about `bytes` bytes: 20 chapters of paragraphs of about 600 characters. */
function storyText(index: number, bytes: number, random: () => number, title = `Generated Story ${index}`): string {
	const chapters = 20;
	const perChapter = Math.floor(bytes / chapters);
	const out: string[] = ['---', `id: story-${index}`, `title: ${title}`, `author: Bench Author ${index % 37}`, `status: ${index % 3 === 0 ? 'in-progress' : 'complete'}`, '---', ''];
	for (let chapter = 1; chapter <= chapters; chapter++) {
		out.push(`# Chapter: Chapter title ${chapter}`, '');
		let written = 0;
		while (written < perChapter) {
			const words: string[] = [];
			let length = 0;
			while (length < 600) {
				const word = WORDS[Math.floor(random() * WORDS.length)]!;
				words.push(word);
				length += word.length + 1;
			}
			const paragraph = `${words.join(' ')}.`;
			out.push(paragraph, '');
			written += paragraph.length + 2;
		}
	}
	return out.join('\n');
}

/** Writes the library into `dir`; resolves to the bytes written. */
export async function writeLibrary(dir: string, settings: LibrarySettings): Promise<number> {
	const random = seededRandom(12);
	const perStory = Math.floor((settings.totalMb * 1e6) / settings.stories);
	let total = 0;
	for (let index = 0; index < settings.stories; index++) {
		const file = join(dir, `story-${String(index).padStart(4, '0')}.md`);
		await writeFile(file, storyText(index, perStory, random));
		total += (await stat(file)).size;
	}
	return total;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs the library scenario against its own fake Discord and bot process. */
export async function measureLibrary(settings: LibrarySettings, nodeArgs: string[], progress: (text: string) => void): Promise<LibraryFigures> {
	const dir = await tempDir('sfb-bench-library-');
	const fake = await startFakeDiscord();
	let bot: ReturnType<typeof startBot> | undefined;
	try {
		const storyDir = join(dir.path, 'stories');
		await mkdir(storyDir);
		progress(`library: writing ${settings.stories} stories (${settings.totalMb} MB)`);
		const generated = performance.now();
		const textBytes = await writeLibrary(storyDir, settings);
		const generateMs = performance.now() - generated;
		const guild = fake.addGuild({});
		progress(`library: ${(textBytes / 1e6).toFixed(1)} MB written; starting the bot`);
		const loadAtStart = loadavg()[0]!;
		const spawned = performance.now();
		bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, storyDir, env: { LOG_LEVEL: 'info' }, extraNodeFlags: nodeArgs });
		await bot.waitForLog((line) => line.event === 'ready', 120_000);
		const readyMs = performance.now() - spawned;
		const loadMs = Number((await bot.waitForLog((line) => line.event === 'storiesLoaded')).ms);
		const rss = await measureRss(bot.child.pid!);
		progress(`library: ready in ${(readyMs / 1000).toFixed(1)} s, RSS ${rss.medianMb.toFixed(0)} MB`);

		const random = seededRandom(99);
		const perStory = Math.floor((settings.totalMb * 1e6) / settings.stories);
		const changeMs: number[] = [];
		const ownMs: number[] = [];
		const reloadsPerChange: number[] = [];
		let otherFilesRead = 0;
		let live = false;
		const isReload = (line: LogLine) => line.event === 'storyReloaded' || line.event === 'storyReloadFailed';
		for (let change = 0; change < settings.changes; change++) {
			const index = Math.floor(random() * settings.stories);
			const file = join(storyDir, `story-${String(index).padStart(4, '0')}.md`);
			const title = `Edited Story ${index} (${change})`;
			const text = storyText(index, perStory, random, title);
			const before = bot.logs.filter(isReload).length;
			const done = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
			const started = performance.now();
			await writeFile(file, text);
			const line = await done;
			changeMs.push(performance.now() - started);
			ownMs.push(Number(line.ms));
			// Every outcome line since the write: another file read again would show here.
			const since = bot.logs.filter(isReload).slice(before);
			reloadsPerChange.push(since.filter((reload) => reload.file === file).length);
			otherFilesRead += since.filter((reload) => reload.file !== file).length;
			if (change === 0) {
				const read = fake.runCommand({ guildId: guild.id, channelId: guild.textChannelId, user: fake.user('bench'), name: 'read', options: { story: `story-${index}` } });
				live = JSON.stringify((await read.reply()).embeds).includes(title);
			}
		}
		return {
			settings,
			textBytes,
			generateMs,
			readyMs,
			loadMs,
			rssMb: rss.readingsMb,
			rssMedianMb: rss.medianMb,
			rssRatio: (rss.medianMb * 1e6) / textBytes,
			changeMs,
			changeP50Ms: median(changeMs),
			changeMaxMs: Math.max(...changeMs),
			reloadOwnP50Ms: median(ownMs),
			reloadsPerChange,
			otherFilesRead,
			live,
			loadAverage: [loadAtStart, loadavg()[0]!],
		};
	} finally {
		if (bot && bot.child.exitCode === null) await bot.stop();
		await fake.close();
		await dir.remove();
	}
}

/** The scenario's targets (goals, not gates). */
export function libraryTargets(figures: LibraryFigures): Array<{ name: string; met: boolean; detail: string }> {
	const { settings } = figures;
	return [
		{ name: `library of ${settings.stories} stories ready in under ${LIBRARY_TARGETS.readyMs / 1000} s`, met: figures.readyMs < LIBRARY_TARGETS.readyMs, detail: `${(figures.readyMs / 1000).toFixed(2)} s` },
		{ name: `library RSS under ${LIBRARY_TARGETS.rssRatio}x the text on disk`, met: figures.rssRatio < LIBRARY_TARGETS.rssRatio, detail: `${figures.rssRatio.toFixed(2)}x (${figures.rssMedianMb.toFixed(0)} MB for ${(figures.textBytes / 1e6).toFixed(1)} MB)` },
		{
			name: `one changed file live in under ${LIBRARY_TARGETS.changeMs} ms, no other file read`,
			met: figures.changeP50Ms < LIBRARY_TARGETS.changeMs && figures.otherFilesRead === 0 && figures.live,
			detail: `p50 ${figures.changeP50Ms.toFixed(1)} ms, max ${figures.changeMaxMs.toFixed(1)} ms; other files read: ${figures.otherFilesRead}; live: ${figures.live ? 'yes' : 'no'}`,
		},
	];
}

/** The scenario's lines of the printed table. */
export function formatLibrary(figures: LibraryFigures): string[] {
	const { settings } = figures;
	return [
		`library: ${settings.stories} generated chaptered stories, ${(figures.textBytes / 1e6).toFixed(1)} MB on disk (written in ${(figures.generateMs / 1000).toFixed(1)} s), SQLite store, one server; load average ${figures.loadAverage.map((load) => load.toFixed(1)).join(' -> ')}`,
		`  start -> ready: ${(figures.readyMs / 1000).toFixed(2)} s (of which reading and parsing the stories: ${(figures.loadMs / 1000).toFixed(2)} s)`,
		`  RSS after ready: ${figures.rssMb.map((mb) => mb.toFixed(0)).join(' / ')} MB, median ${figures.rssMedianMb.toFixed(0)} MB = ${figures.rssRatio.toFixed(2)}x the text`,
		`  one changed file, write -> "storyReloaded" at the bench (${settings.changes} changes, one at a time; includes the watcher's 50 ms debounce): p50 ${figures.changeP50Ms.toFixed(1)} ms, max ${figures.changeMaxMs.toFixed(1)} ms; the bot's own read+parse p50 ${figures.reloadOwnP50Ms.toFixed(1)} ms; reads of the changed file per change: ${figures.reloadsPerChange.join(',')}, of any other file: ${figures.otherFilesRead}; the edit shown by /read: ${figures.live ? 'yes' : 'no'}`,
	];
}
