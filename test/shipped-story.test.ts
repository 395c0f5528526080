import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partCount, renderEndCard, renderPart, renderTitleCard } from '../src/render/index.js';
import { DEFAULT_STORY } from '../tools/demo.js';
import { playReading, readStoryFile } from '../tools/reading.js';
import { PROJECT_ROOT, SAMPLE_STORY_FILE } from './e2e/harness.js';

// The one test file that reads story/: the sample the bot ships with must pass `story:check` and
// read from /read to the end card on the fake Discord. Every other test uses test/fixtures, so that a
// user who replaces the sample (or keeps a broken draft beside it) breaks this file and nothing else.
// It reads story/after-the-end.md alone, not the folder: the other files there are the user's.

const SHIPPED = 'story/after-the-end.md';
const SHIPPED_FILE = join(PROJECT_ROOT, SHIPPED);

function missing(): string {
	return `${SHIPPED} is missing: this test checks the sample story the bot ships with; having replaced it with your own stories, expect this one test to fail`;
}

describe(`the shipped sample story (${SHIPPED})`, () => {
	it('passes `npm run story:check`', async () => {
		expect(existsSync(SHIPPED_FILE), missing()).toBe(true);
		const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
			execFile(process.execPath, [join(PROJECT_ROOT, 'dist/src/story/check.js'), SHIPPED], { cwd: PROJECT_ROOT }, (error, stdout, stderr) => {
				resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
			});
		});
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toMatch(/^story\/after-the-end\.md: "After The End" by Serenade\n {2}id: after-the-end[ \n]/u);
	});

	it('is the story the tests read as the sample (test/fixtures/stories/sample), byte for byte', async () => {
		expect(existsSync(SHIPPED_FILE), missing()).toBe(true);
		const [shipped, fixture] = await Promise.all([readFile(SHIPPED_FILE), readFile(SAMPLE_STORY_FILE)]);
		expect(shipped.equals(fixture), `${SHIPPED} and test/fixtures/stories/sample/after-the-end.md differ: copy the changed one over the other`).toBe(true);
	});

	it('is what `npm run demo` plays, and reads end to end on the fake Discord: title card, every part, end card', async () => {
		expect(DEFAULT_STORY).toBe(SHIPPED_FILE);
		expect(existsSync(SHIPPED_FILE), missing()).toBe(true);
		const story = await readStoryFile(SHIPPED_FILE);
		const reading = await playReading(SHIPPED_FILE);
		const embedsOf = (ids: string[]) => ids.map((id) => reading.messages.find((message) => message.id === id)?.embeds);
		const parts = partCount(story);
		expect(parts).toBeGreaterThan(0);

		// /read: the title card, then part 1; each Next: the next part; the last: the end card.
		const [read, ...presses] = reading.steps;
		const [titleCard, ...firstPart] = read!.messageIds;
		// toMatchObject: Discord adds defaults (type "rich", inline false) to the embeds it stores.
		expect(embedsOf([titleCard!])).toMatchObject([renderTitleCard(story).embeds]);
		const partSteps = [firstPart, ...presses.slice(0, parts - 1).map((step) => step.messageIds)];
		for (let part = 1; part <= parts; part++) {
			expect(embedsOf(partSteps[part - 1]!), `part ${part} of ${parts}`).toMatchObject(renderPart(story, part).map((message) => message.embeds));
		}
		const [endCard] = embedsOf(presses[parts - 1]?.messageIds ?? []);
		expect(endCard?.[0]).toMatchObject({ title: renderEndCard(story).embeds[0]!.title, author: renderEndCard(story).embeds[0]!.author });
		// After the end card the reading offers nothing more, and /feedback answers with the tally.
		expect(presses.slice(parts).map((step) => step.action)).toEqual([expect.stringContaining('reacted'), expect.stringContaining('/feedback')]);
		expect(reading.feedback.embeds[0]?.title).toContain(story.meta.title);
	}, 120_000);
});
