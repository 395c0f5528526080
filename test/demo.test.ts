import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../tools/demo.js';
import { readStoryFile, StoryFileError } from '../tools/reading.js';
import { PROJECT_ROOT, SAMPLE_STORY_FILE, tempDir } from './e2e/harness.js';

/** A chaptered `status: in-progress` story with two chapters written (see test/fixtures/growing/README.md). */
const GROWING_STORY_FILE = join(PROJECT_ROOT, 'test/fixtures/growing/in-progress/lantern.md');

/** Runs dist/tools/demo.js on `storyFile` as a newcomer would, from an empty folder with no DISCORD_TOKEN; resolves when it exits. */
async function runDemoScript(storyFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const dir = await tempDir('sfb-demo-');
	try {
		const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/tools/demo.js'), storyFile], { cwd: dir.path, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		return { code, stdout, stderr };
	} finally {
		await dir.remove();
	}
}

// `npm run demo` is how the README asks a newcomer to try the bot: it must play a story to the end
// with no token, no .env and no network, and finish on the readers' feedback. It is given the sample
// fixture; that the demo's default, the shipped story, plays is test/shipped-story.test.ts's job.
describe('npm run demo', () => {
	it('plays a story from /read to the feedback tally, from any folder, and exits 0', async () => {
		const story = await readStoryFile(SAMPLE_STORY_FILE);
		// An empty folder as cwd and no DISCORD_TOKEN: nothing of a developer's set-up can help.
		const { code, stdout, stderr } = await runDemoScript(SAMPLE_STORY_FILE);
		expect(stderr).toBe('');
		expect(code).toBe(0);

		// Every scene was shown, in order.
		const firstLines = story.scenes.map((scene) => stdout.indexOf(scene.paragraphs[0]!.slice(0, 60)));
		expect(firstLines.every((index) => index > 0)).toBe(true);
		expect([...firstLines].sort((a, b) => a - b)).toEqual(firstLines);
		// The last thing printed is the /feedback answer: every scene listed, with the readers' emoji counted.
		const lastBlock = stdout.slice(stdout.lastIndexOf('/feedback'));
		for (const scene of story.scenes) expect(lastBlock).toContain(scene.title ?? '');
		expect(lastBlock).toMatch(new RegExp(`(${story.meta.feedbackEmoji.join('|')}) [1-9]`, 'u'));
		expect(stdout.trimEnd().endsWith(lastBlock.trimEnd())).toBe(true);
	}, 60_000);
});

// A story still being written has no end card: after its newest part the bot posts "To be
// continued…", whose Next button only says, privately, that the next part is not out yet, and no
// feedback emoji under that card. The demo must stop there, not wait for emoji or press on.
describe('npm run demo with a story still being written', () => {
	it('ends the reading at "To be continued…", then the readers\' reactions and /feedback, and exits 0', async () => {
		const story = await readStoryFile(GROWING_STORY_FILE);
		expect(story.meta.status).toBe('in-progress');
		const { code, stdout, stderr } = await runDemoScript(GROWING_STORY_FILE);
		expect(stderr).toBe('');
		expect(code).toBe(0);

		// Every chapter written so far was shown, in order, and "To be continued…" after the last.
		const chapters = story.chapters ?? [];
		expect(chapters.length).toBe(2);
		const firstLines = chapters.map((chapter) => stdout.indexOf(chapter.scenes[0]!.paragraphs[0]!.slice(0, 60)));
		expect(firstLines.every((index) => index > 0)).toBe(true);
		expect([...firstLines].sort((a, b) => a - b)).toEqual(firstLines);
		const continued = stdout.indexOf('To be continued…');
		expect(continued).toBeGreaterThan(firstLines.at(-1)!);
		// Nobody pressed the card's button: its answer would be the "not out yet" one, only for the presser.
		expect(stdout).not.toContain('pressed “Next: when it is out”');
		expect(stdout).not.toContain('(only you can see this)');

		// Then the readers' reactions, and last the /feedback answer with every chapter and their emoji counted.
		const reacted = stdout.indexOf(' reacted: ');
		expect(reacted).toBeGreaterThan(continued);
		const lastBlock = stdout.slice(stdout.lastIndexOf('/feedback'));
		expect(stdout.lastIndexOf('/feedback')).toBeGreaterThan(reacted);
		for (const chapter of chapters) expect(lastBlock).toContain(chapter.title ?? '');
		expect(lastBlock).toMatch(new RegExp(`(${story.meta.feedbackEmoji.join('|')}) [1-9]`, 'u'));
		expect(stdout.trimEnd().endsWith(lastBlock.trimEnd())).toBe(true);
	}, 60_000);
});

describe('npm run demo with a story file that is not there', () => {
	it('says in one line that the file does not exist, before announcing any reading', async () => {
		const written: string[] = [];
		const missing = join(PROJECT_ROOT, 'test/fixtures/nope.md');
		await expect(runDemo(missing, (text) => written.push(text))).rejects.toThrow(new StoryFileError(`cannot read ${missing}: no such file`));
		expect(written).toEqual([]);
	});
});
