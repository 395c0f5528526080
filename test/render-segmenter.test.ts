// Stories in scripts written without spaces (Chinese, Japanese, Thai), mixed with emoji and combining
// marks: a paragraph longer than an embed is cut at a sentence end or a word boundary as
// Intl.Segmenter sees it in the story's language, never inside a word or a grapheme cluster; every
// message stays within Discord's limits; the pieces give back the text exactly. Seeded, so a failure
// reproduces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedCharacters, joinSplit, partCount, renderPart, splitText, type MessagePayload } from '../src/render/index.js';
import { formatStoryError, parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';

const SEED = 15;

/** Words (as ICU's dictionaries cut them), punctuation, and the awkward clusters, per language. */
const POOLS = {
	zh: ['我们', '今天', '北京', '大学', '读书', '他', '说', '好的', '孔乙己', '先生', '掌柜', '酒店', '。', '，', '！', '？', '“', '”', '：', '……'],
	ja: ['私', 'は', '東京', 'に', '行きました', 'カタカナ', 'ひらがな', '本', 'を', '読む', 'です', '。', '、', '「', '」', 'が'],
	th: ['สวัสดี', 'ครับ', 'ผม', 'ชื่อ', 'สมชาย', 'ภาษาไทย', 'ประเทศ', 'กิน', 'ข้าว', 'แล้ว', 'หรือ', 'ยัง', 'ที่', 'นี่'],
} as const;
const AWKWARD = ['👩‍👩‍👧‍👦', '🇨🇳', '👍🏽', '❤️', 'e\u0301', 'a\u0308\u0301', '🏳️‍🌈', '1️⃣'];
type Language = keyof typeof POOLS;

/** A paragraph without spaces: words of the language, now and then an emoji or a letter with combining marks. */
const paragraph = (language: Language, minWords: number, maxWords: number) =>
	fc
		.array(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...POOLS[language]) }, { weight: 1, arbitrary: fc.constantFrom(...AWKWARD) }), { minLength: minWords, maxLength: maxWords, size: 'max' })
		.map((words) => words.join(''));

/**
 * Whether Intl.Segmenter, over the whole text in `locale`, starts a word and a grapheme cluster at
 * `offset` (random access with `containing`: iterating a long string is quadratic in V8).
 */
function isWordBoundary(text: string, offset: number, locale: string): boolean {
	return [new Intl.Segmenter(locale, { granularity: 'word' }), new Intl.Segmenter(locale, { granularity: 'grapheme' })].every(
		(segmenter) => segmenter.segment(text).containing(offset)?.index === offset,
	);
}

/** The offsets in `text` where one chunk ends and the next begins with nothing between them. */
function cutOffsets(chunks: readonly string[], separators: readonly string[]): number[] {
	const cuts: number[] = [];
	let offset = separators[0]!.length;
	for (let index = 0; index < chunks.length - 1; index++) {
		offset += chunks[index]!.length;
		if (separators[index + 1] === '') cuts.push(offset);
		offset += separators[index + 1]!.length;
	}
	return cuts;
}

describe('splitText in a language written without spaces', () => {
	for (const language of Object.keys(POOLS) as Language[]) {
		it(`${language}: gives back the text, fits every chunk, and cuts only where Intl.Segmenter puts a word boundary`, () => {
			fc.assert(
				fc.property(paragraph(language, 1, 400), fc.integer({ min: 24, max: 400 }), (text, max) => {
					const split = splitText(text, max, { locale: language });
					expect(joinSplit(split)).toBe(text);
					for (const chunk of split.chunks) expect(chunk.length).toBeLessThanOrEqual(max);
					for (const cut of cutOffsets(split.chunks, split.separators)) expect(isWordBoundary(text, cut, language), `cut inside a word at ${cut}: …${text.slice(cut - 6, cut)}|${text.slice(cut, cut + 6)}…`).toBe(true);
				}),
				{ seed: SEED, numRuns: 150 },
			);
		});
	}

	it('prefers a sentence end to a word boundary, and keeps an opening quote with its sentence', () => {
		const sentence = '我们今天去北京大学读书。';
		const text = `${sentence.repeat(3)}他说：“好的！”${'我们今天去北京大学读书'.repeat(2)}`;
		const { chunks } = splitText(text, 40, { locale: 'zh' });
		expect(chunks[0]).toBe(sentence.repeat(3));
		expect(chunks[1]!.startsWith('他说：“好的！”')).toBe(true);
		// The last sentence has no end inside reach: it is cut between words, never inside 北京 or 大学.
		for (const chunk of chunks) expect(chunk).not.toMatch(/^(京|学|天|们|书)/u);
	});

	it('without a locale cut a Chinese run between graphemes; with "zh", between words', () => {
		// 北京大学 is one word to ICU; 11 graphemes a chunk would land inside it in the old cut.
		const text = '北京大学'.repeat(30);
		const split = splitText(text, 11, { locale: 'zh' });
		for (const cut of cutOffsets(split.chunks, split.separators)) expect(isWordBoundary(text, cut, 'zh')).toBe(true);
	});
});

function story(language: string, paragraphs: readonly string[]): Story {
	const text = ['---', 'title: 测试', 'author: 作者', `language: ${language}`, '---', '', '# Chapter: 一', '', paragraphs.join('\n\n'), ''].join('\n');
	const result = parseStory(text, 'story/x.md');
	if ('errors' in result) throw new Error(result.errors.map(formatStoryError).join('\n'));
	return result.story;
}

function expectWithinLimits(payload: MessagePayload): void {
	expect((payload.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
	expect(payload.embeds.length).toBeGreaterThan(0);
	expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
	for (const embed of payload.embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
	expect(payload.embeds.reduce((total, embed) => total + embedCharacters(embed), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
}

describe('renderPart of a story in Chinese, Japanese or Thai with paragraphs longer than an embed', () => {
	for (const [language, tag] of [['中文', 'zh'], ['日本語', 'ja'], ['ไทย', 'th']] as const) {
		it(`${language}: every message within Discord's limits, the pieces in order give back each paragraph, no cut inside a word`, () => {
			fc.assert(
				fc.property(fc.array(paragraph(tag, 1, 4000), { minLength: 1, maxLength: 3, size: 'max' }), (paragraphs) => {
					const read = story(language, paragraphs);
					expect(read.meta.languageTag).toBe(tag);
					const pieces: string[] = [];
					for (let part = 1; part <= partCount(read); part++) {
						for (const message of renderPart(read, part)) {
							expectWithinLimits(message);
							for (const embed of message.embeds) pieces.push(embed.description!);
						}
					}
					// Paragraphs that fit share an embed, a blank line apart; a cut paragraph's later pieces start an embed of their own.
					const posted = pieces.join('\n\n');
					const whole = paragraphs.join('\n\n');
					// The generator has no Markdown and no spaces, so nothing is escaped: the only
					// difference can be the blank line before a piece that goes on with a cut paragraph.
					let index = 0;
					const cuts: number[] = [];
					for (let at = 0; at < posted.length; ) {
						if (posted.startsWith('\n\n', at) && !whole.startsWith('\n\n', index)) {
							cuts.push(index);
							at += 2;
							continue;
						}
						expect(posted[at]).toBe(whole[index]);
						at += 1;
						index += 1;
					}
					expect(index).toBe(whole.length);
					if (whole.length > 2 * DISCORD_LIMITS.embedDescription) expect(cuts.length).toBeGreaterThan(0);
					let start = 0;
					for (const text of paragraphs) {
						for (const cut of cuts) if (cut > start && cut < start + text.length) expect(isWordBoundary(text, cut - start, tag), `cut inside a word in ${tag}`).toBe(true);
						start += text.length + 2;
					}
				}),
				{ seed: SEED, numRuns: 12 },
			);
		}, 120_000);
	}
});
