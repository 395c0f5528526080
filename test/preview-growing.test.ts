import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePreview } from '../tools/preview.js';
import { readStoryFile } from '../tools/reading.js';
import { PROJECT_ROOT, tempDir } from './e2e/harness.js';

// `npm run preview` plays the same reading as the demo (tools/reading.ts) and draws it. For a story
// still being written the reading ends at "To be continued…" (the bot adds no feedback emoji under
// that card, and its button posts nothing until the author adds a part): the page must show the
// card, then the readers' reactions and /feedback, as for a complete story.
const GROWING_STORY_FILE = join(PROJECT_ROOT, 'test/fixtures/growing/in-progress/lantern.md');

describe('npm run preview with a story still being written', () => {
	it('draws the reading up to "To be continued…", then the reactions and /feedback', async () => {
		const story = await readStoryFile(GROWING_STORY_FILE);
		expect(story.meta.status).toBe('in-progress');
		const dir = await tempDir('sfb-preview-growing-');
		try {
			const { path, summary } = await writePreview(GROWING_STORY_FILE, dir.path);
			// /read (title card and chapter 1), one Next (chapter 2 and the card), the reactions, /feedback.
			expect(summary.map((step) => step.action)).toEqual([
				'ana used /read',
				expect.stringMatching(/^ana pressed “Next: Chapter 2/u),
				expect.stringMatching(/ reacted: /u),
				'ana used /feedback',
			]);
			expect(summary[1]!.messages).toBe(2);

			const html = await readFile(path, 'utf8');
			const sections = html.split('<section class="step"').slice(1);
			expect(sections).toHaveLength(4);
			const [, secondChapter, , feedback] = sections as [string, string, string, string];
			expect(secondChapter).toContain(story.chapters![1]!.scenes[0]!.paragraphs[0]!.slice(0, 60));
			expect(secondChapter).toContain('To be continued…');
			expect(secondChapter).toContain('when it is out');
			for (const chapter of story.chapters!) expect(feedback).toContain(chapter.title ?? '');
		} finally {
			await dir.remove();
		}
	}, 60_000);
});
