import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStory } from '../src/story/parse.js';
import { sceneText } from '../src/story/text.js';
import type { Story } from '../src/story/types.js';

// A byte-for-byte copy of the seed as it reached us (see the seed README): the tests must not
// depend on anything outside the repository.
const seedLines = readFileSync(new URL('./fixtures/seed/after-the-end.seed.txt', import.meta.url), 'utf8').split('\n');
const HEADER_LINES = 9;
const FOOTER_PARAGRAPHS = 3;
const seedHeader = seedLines.slice(0, HEADER_LINES).filter((line) => line !== '');
const seedRest = seedLines.slice(HEADER_LINES).filter((line) => line !== '');
const seedBody = seedRest.slice(0, -FOOTER_PARAGRAPHS);
const seedFooter = seedRest.slice(-FOOTER_PARAGRAPHS);

// The sample story's copy under test/fixtures (test/shipped-story.test.ts checks story/ holds the same).
function parseConvertedStory(): Story {
	const file = 'test/fixtures/stories/sample/after-the-end.md';
	const result = parseStory(readFileSync(new URL(`../${file}`, import.meta.url)), file);
	if ('errors' in result) throw new Error(`${file} does not parse: ${JSON.stringify(result.errors)}`);
	return result.story;
}

describe('the sample story (after-the-end.md), converted from the seed', () => {
	const story = parseConvertedStory();

	it('keeps every paragraph of the seed body, word for word and in order', () => {
		expect(seedBody).toHaveLength(80);
		expect(story.scenes.flatMap((scene) => scene.paragraphs)).toEqual(seedBody);
	});

	it('breaks scenes exactly where the seed README says', () => {
		const boundaries = story.scenes.map((scene) => [scene.paragraphs[0], scene.paragraphs.at(-1)]);
		expect(story.scenes.map((scene) => scene.title)).toEqual(['The facility', 'The van at dawn', 'The bridge', 'The castle graves']);
		expect(boundaries).toHaveLength(4);
		const [facility, van, bridge, castle] = boundaries;
		expect(facility?.[0]).toMatch(/^Lex leaned against the cold metal/);
		expect(facility?.[1]).toMatch(/I know where your parents are\."$/);
		expect(van?.[0]).toMatch(/^The van was a dirty white/);
		expect(van?.[1]).toMatch(/feeling the tension in his shoulders dissipate\.$/);
		expect(bridge?.[0]).toBe('It was late afternoon when they passed the sign:');
		expect(bridge?.[1]).toBe('"Told you so," Clark said.');
		expect(castle?.[0]).toMatch(/^The castle looked as though/);
		expect(castle?.[1]).toMatch(/walked out of the ruins together\.$/);
	});

	it('has scenes of 2,200-3,300 characters: more than one message, less than one embed', () => {
		for (const scene of story.scenes) {
			expect(sceneText(scene).length, `scene ${scene.number}`).toBeGreaterThanOrEqual(2200);
			expect(sceneText(scene).length, `scene ${scene.number}`).toBeLessThanOrEqual(3300);
		}
	});

	it('takes its metadata from the seed header', () => {
		expect(seedHeader).toEqual([
			story.meta.title,
			`by ${story.meta.author}`,
			`Notes: ${story.meta.notes}`,
			`Challenge: ${story.meta.challenge}`,
			`Disclaimer: ${story.meta.disclaimer}`,
		]);
		expect(story.id).toBe('after-the-end');
		expect(story.meta.contentNotes.join(' ')).toMatch(/violence/i);
		expect(story.meta.contentNotes.join(' ')).toMatch(/dissection/i);
	});

	it('takes its afterword and source from the seed footer', () => {
		expect(seedFooter).toEqual([...story.afterword, story.meta.source]);
		expect(story.meta.feedback).toBe('Send feedback to Serenade.');
		expect(story.meta.feedbackEmoji.length).toBeGreaterThanOrEqual(1);
		expect(story.meta.feedbackEmoji.length).toBeLessThanOrEqual(5);
	});
});
