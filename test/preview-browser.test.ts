import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '../src/story/types.js';
import { readStoryFile } from '../tools/reading.js';
import { writePreview } from '../tools/preview.js';
import { PROJECT_ROOT, SAMPLE_STORY_FILE, tempDir } from './e2e/harness.js';

// The preview is only worth having if a real browser shows it: every scene readable on a phone
// (390 px wide, nothing cut off or scrolling sideways) and no errors. Debian's `chromium`
// (.ci/run installs it) driven by playwright-core; the screenshot is the one the README shows.

const WIDTH = 390;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const STORY_FILE = SAMPLE_STORY_FILE;
const SCREENSHOT = join(PROJECT_ROOT, 'docs/preview.png');

let browser: Browser;
let story: Story;
let dir: Awaited<ReturnType<typeof tempDir>>;
let pagePath: string;

beforeAll(async () => {
	if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install -y chromium (bash .ci/run does it)');
	story = await readStoryFile(STORY_FILE);
	dir = await tempDir('sfb-preview-');
	pagePath = (await writePreview(STORY_FILE, dir.path)).path;
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
	await browser?.close();
	await dir?.remove();
});

/** Text as a reader reads it: Markdown marks and escapes gone, whitespace collapsed. */
function plain(text: string): string {
	return text.replace(/\\([\\*_~|`>#-])/g, '$1').replace(/[*_~|`]/g, '').replace(/\s+/g, ' ').trim();
}

/** Everything wrong with the page as a reader at WIDTH px would see it: missing scene text, sideways overflow, console errors. */
async function problemsWith(file: string): Promise<{ problems: string[]; page: Page }> {
	const page = await browser.newPage({ viewport: { width: WIDTH, height: 844 }, deviceScaleFactor: 2 });
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
	});
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	await page.goto(pathToFileURL(file).href);

	// innerText leaves out what CSS hides, so this is the text a reader can see.
	const visible = plain(await page.locator('body').innerText());
	story.scenes.forEach((scene, index) => {
		for (const paragraph of scene.paragraphs) {
			if (!visible.includes(plain(paragraph))) {
				problems.push(`scene ${index + 1}: not visible: "${plain(paragraph).slice(0, 60)}…"`);
				break;
			}
		}
	});

	// Runs in the page (a string, since this project compiles without the DOM's types).
	const overflow = await page.evaluate<{ scrollWidth: number; wide: string[] }>(`(() => {
		const wide = [...document.querySelectorAll('body *')].filter((element) => element.getBoundingClientRect().right > ${WIDTH} + 0.5);
		return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5).map((element) => element.tagName.toLowerCase() + '.' + element.className) };
	})()`);
	if (overflow.scrollWidth > WIDTH) problems.push(`the page scrolls sideways: ${overflow.scrollWidth} px wide`);
	for (const element of overflow.wide) problems.push(`overflows ${WIDTH} px: ${element}`);
	return { problems, page };
}

describe('npm run preview, in a real browser at phone width', () => {
	it('shows every scene, fits 390 px, logs no errors; the screenshot the README shows', async () => {
		const { problems, page } = await problemsWith(pagePath);
		expect(problems).toEqual([]);
		// The title card, the buttons and the bot's reactions are drawn, not just the text.
		expect(await page.locator('.embed').first().isVisible()).toBe(true);
		expect(await page.locator('.button').count()).toBeGreaterThanOrEqual(story.scenes.length);
		expect(await page.locator('.reaction').count()).toBeGreaterThanOrEqual(story.scenes.length * story.meta.feedbackEmoji.length);
		await mkdir(join(PROJECT_ROOT, 'docs'), { recursive: true });
		await page.screenshot({ path: SCREENSHOT });
		await page.close();
	});

	it('would catch a scene missing from the page', async () => {
		// The same page with scene 3's message taken out: the check above must notice.
		const html = await readFile(pagePath, 'utf8');
		const sections = html.split('<section class="step"');
		const withoutScene3 = sections.filter((section) => !plain(section.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&#34;/g, '"')).includes(plain(story.scenes[2]!.paragraphs[0]!).slice(0, 40))).join('<section class="step"');
		expect(withoutScene3.length).toBeLessThan(html.length);
		const tampered = join(dir.path, 'tampered.html');
		await writeFile(tampered, withoutScene3);
		const { problems, page } = await problemsWith(tampered);
		expect(problems).toEqual([expect.stringMatching(/^scene 3: not visible/)]);
		await page.close();
	});
});
