import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../tools/demo.js';
import { readStoryFile, StoryFileError } from '../tools/reading.js';
import { PROJECT_ROOT, SAMPLE_STORY_FILE, tempDir } from './e2e/harness.js';

// `npm run demo` is how the README asks a newcomer to try the bot: it must play a story to the end
// with no token, no .env and no network, and finish on the readers' feedback. It is given the sample
// fixture; that the demo's default, the shipped story, plays is test/shipped-story.test.ts's job.
describe('npm run demo', () => {
	it('plays a story from /read to the feedback tally, from any folder, and exits 0', async () => {
		const story = await readStoryFile(SAMPLE_STORY_FILE);
		const dir = await tempDir('sfb-demo-');
		try {
			// An empty folder as cwd and no DISCORD_TOKEN: nothing of a developer's set-up can help.
			const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/tools/demo.js'), SAMPLE_STORY_FILE], { cwd: dir.path, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
			child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
			const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
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
		} finally {
			await dir.remove();
		}
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
