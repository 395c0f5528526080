import { describe, expect, it } from 'vitest';
import { libraryEntry } from '../src/discord/library.js';
import { cardWordsIn } from '../src/messages/index.js';
import { renderTitleCard } from '../src/render/index.js';
import { formatStorySummary } from '../src/story/check.js';
import { parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';

/** A novel of 104,400 words: 522 minutes at 200 words a minute. */
function novel(): Story {
	const paragraph = Array.from({ length: 174 }, () => 'word').join(' ');
	const chapter = (index: number): string[] => [`# Chapter: C${index}`, '', ...Array.from({ length: 200 }, () => [paragraph, '']).flat()];
	const text = ['---', 'title: Long', 'author: A', '---', ...chapter(1), ...chapter(2), ...chapter(3)].join('\n');
	const result = parseStory(text, 'story/long.md');
	if (!('story' in result)) throw new Error(JSON.stringify(result.errors));
	return result.story;
}

describe('one reading-time formatter', () => {
	it('says minutes under an hour and hours and minutes from an hour on, in each shipped language', () => {
		const en = cardWordsIn('en');
		expect([1, 59, 60, 90, 522, 600].map((minutes) => en.aboutReadingTime(minutes))).toEqual([
			'about 1 min read',
			'about 59 min read',
			'about 1 h read',
			'about 1 h 30 min read',
			'about 8 h 42 min read',
			'about 10 h read',
		]);
		expect(cardWordsIn('fr').aboutReadingTime(522)).toBe('environ 8 h 42 min de lecture');
		expect(cardWordsIn('es').aboutReadingTime(522)).toBe('unas 8 h 42 min de lectura');
	});

	it('gives a long story the same "8 h 42 min" in story:check, /library and the title card, never "522 minutes"', () => {
		const story = novel();
		const summary = formatStorySummary(story);
		expect(summary).toContain('104,400 words, about 8 h 42 min read');
		expect(summary).not.toMatch(/522|minutes to read/u);
		expect(libraryEntry(story, 'en').value).toContain('104,400 words · about 8 h 42 min read');
		expect(libraryEntry(story, 'fr').value).toContain('environ 8 h 42 min de lecture');
		const length = renderTitleCard(story).embeds?.[0]?.fields?.find((field) => field.name === 'Length')?.value;
		expect(length).toMatch(/ · about 8 h 42 min read$/u);
	});
});
