// A story's `language`: AO3's names, names and BCP 47 tags become the tag the renderer uses; one not
// understood is a warning at its line; reading time counts characters for Chinese and Japanese.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isolateDirection, readingMinutes, renderPart, renderTitleCard } from '../src/render/index.js';
import { formatStorySummary } from '../src/story/check.js';
import { countReadingUnits, languageTag, readingRate } from '../src/story/language.js';
import { formatStoryError, parseStory } from '../src/story/parse.js';

function storyText(language: string | undefined, body = '# Scene\n\nText.\n'): string {
	return ['---', 'title: A Story', 'author: Someone', ...(language === undefined ? [] : [`language: ${language}`]), '---', '', body].join('\n');
}

describe('languageTag', () => {
	it("reads AO3's language names, names in English or in the language, and BCP 47 tags", () => {
		expect(languageTag('English')).toBe('en');
		expect(languageTag('中文-普通话 國語')).toBe('zh');
		expect(languageTag('中文')).toBe('zh');
		expect(languageTag('中文-广东话 粵語')).toBe('yue');
		expect(languageTag('日本語')).toBe('ja');
		expect(languageTag('한국어')).toBe('ko');
		expect(languageTag('ภาษาไทย')).toBe('th');
		expect(languageTag('العربية')).toBe('ar');
		expect(languageTag('עברית')).toBe('he');
		expect(languageTag('Português brasileiro')).toBe('pt-BR');
		expect(languageTag('Français')).toBe('fr');
		expect(languageTag('chinese')).toBe('zh');
		expect(languageTag('Hebrew')).toBe('he');
		expect(languageTag('zh')).toBe('zh');
		expect(languageTag('ZH-hant-tw')).toBe('zh-Hant-TW');
		expect(languageTag('th')).toBe('th');
	});

	it('gives nothing for what is not a language', () => {
		expect(languageTag('Klingonese')).toBeUndefined();
		expect(languageTag('englsh')).toBeUndefined();
		expect(languageTag('中文文')).toBeUndefined();
		expect(languageTag('')).toBeUndefined();
	});
});

describe('a story declaring its language', () => {
	it('carries the tag, and a language not understood is a warning at its line, the story still loading', () => {
		const good = parseStory(storyText('中文'), 'story/zh.md');
		expect('story' in good && good.story.meta.languageTag).toBe('zh');
		const odd = parseStory(storyText('Klingonese'), 'story/odd.md');
		if (!('story' in odd)) throw new Error(odd.errors.map(formatStoryError).join('\n'));
		expect(odd.story.meta.languageTag).toBeUndefined();
		expect(odd.story.meta.language).toBe('Klingonese');
		expect(odd.warnings.map(formatStoryError)).toEqual([expect.stringMatching(/^story\/odd\.md:4: language "Klingonese" is not a language I know, so the text is cut and timed as en \(English\)/u)]);
	});

	it('story:check says which language the text is cut and timed by', () => {
		const zh = parseStory(storyText('中文-普通话 國語', '# Scene\n\n我们今天去北京大学读书。\n'), 'story/zh.md');
		if (!('story' in zh)) throw new Error('not parsed');
		const summary = formatStorySummary(zh.story);
		expect(summary).toContain('  language: zh (Chinese), from "中文-普通话 國語"; reading time at 255 characters a minute');
		expect(summary).toContain('1 scene, 11 characters, about 1 min read');
		const odd = parseStory(storyText('Klingonese'), 'story/odd.md');
		if (!('story' in odd)) throw new Error('not parsed');
		expect(formatStorySummary(odd.story)).toContain('  language: en (English), "Klingonese" not understood; reading time at 200 words a minute');
	});
});

describe('reading time', () => {
	it('counts characters a minute for Chinese (255) and Japanese (357), words elsewhere (200), words by Intl.Segmenter for Thai', () => {
		expect(readingRate('zh')).toEqual({ unit: 'character', perMinute: 255 });
		expect(readingRate('zh-Hant-TW')).toEqual({ unit: 'character', perMinute: 255 });
		expect(readingRate('ja')).toEqual({ unit: 'character', perMinute: 357 });
		expect(readingRate('he')).toEqual({ unit: 'word', perMinute: 200 });
		// Letters and digits are read; punctuation and spaces are not.
		expect(countReadingUnits('我们今天去北京，读书。', 'zh')).toBe(9);
		expect(countReadingUnits('สวัสดีครับผมชื่อสมชาย', 'th')).toBe(5);
		expect(countReadingUnits('Run, Clark — run!', 'en')).toBe(3);
	});

	it('gives a Chinese story minutes by its characters: 2,805 characters at 255 a minute are 11 minutes (counted by spaces they were one word)', () => {
		const text = '我们今天去北京大学读书'.repeat(255); // 2,805 characters, no spaces
		const zh = parseStory(storyText('zh', `# Scene\n\n${text}\n`), 'story/zh.md');
		if (!('story' in zh)) throw new Error('not parsed');
		expect(readingMinutes(zh.story)).toBe(11);
		expect(JSON.stringify(renderTitleCard(zh.story).embeds[0]!.fields)).toContain('about 11 min read');
	});
});

describe('right-to-left text in the bot\'s labels', () => {
	it('isolates a Hebrew or Arabic title (FSI … PDI) where a label embeds it, and leaves other titles alone', () => {
		expect(isolateDirection('בראשית')).toBe('\u2068בראשית\u2069');
		expect(isolateDirection('ألف ليلة')).toBe('\u2068ألف ليلة\u2069');
		expect(isolateDirection('After The End')).toBe('After The End');
		const he = parseStory(['---', 'title: בראשית', 'author: מחבר', 'language: he', '---', '', '# Scene: אור', '', 'ויאמר אלהים יהי אור ויהי אור.', '', '# Scene', '', 'ויהי ערב.', ''].join('\n'), 'story/he.md');
		if (!('story' in he)) throw new Error('not parsed');
		const [message] = renderPart(he.story, 1);
		expect(message!.content).toBe('**\u2068בראשית\u2069** · Scene 1 of 2 · _\u2068אור\u2069_');
		expect(message!.embeds[0]!.description).toBe('ויאמר אלהים יהי אור ויהי אור.');
		expect(renderTitleCard(he.story).content).toBe('**\u2068בראשית\u2069** by \u2068מחבר\u2069');
	});
});

describe('a story in another script with no "language:"', () => {
	const withoutLanguage = (name: string): string =>
		readFileSync(new URL(`./fixtures/languages/${name}`, import.meta.url), 'utf8')
			.split('\n')
			.filter((line) => !line.startsWith('language:'))
			.join('\n');
	const warningsOf = (text: string, file = 'story/x.md'): string[] => parseStory(text, file).warnings.map(formatStoryError);
	const advice = 'but the front matter has no "language:", so reading time and where sittings and long paragraphs are cut assume English: add';

	it('warns at line 1 with the language its script suggests: Chinese, Japanese, Korean, Hebrew, Arabic', () => {
		expect(warningsOf(withoutLanguage('kong-yiji.md'))).toEqual([`story/x.md:1: the text is mostly in Han script ${advice} "language: zh" (Chinese)`]);
		expect(warningsOf(withoutLanguage('bereshit.md'))).toEqual([`story/x.md:1: the text is mostly in Hebrew script ${advice} "language: he" (Hebrew)`]);
		expect(warningsOf(storyText(undefined, '# Scene\n\n吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\n'))).toEqual([
			`story/x.md:1: the text is mostly in Japanese script ${advice} "language: ja" (Japanese)`,
		]);
		expect(warningsOf(storyText(undefined, '# Scene\n\n옛날 옛적에 한 마을에 착한 나무꾼이 살았습니다.\n'))).toEqual([
			`story/x.md:1: the text is mostly in Korean script ${advice} "language: ko" (Korean)`,
		]);
		expect(warningsOf(storyText(undefined, '# Scene\n\nكان يا ما كان في قديم الزمان.\n'))).toEqual([
			`story/x.md:1: the text is mostly in Arabic script ${advice} "language: ar" (Arabic) (or the tag of the language it is in: "fa", "ur"...)`,
		]);
	});

	it('is quiet when the language is given, and for text mostly in Latin letters, a few CJK names aside', () => {
		expect(warningsOf(readFileSync(new URL('./fixtures/languages/kong-yiji.md', import.meta.url), 'utf8'))).toEqual([]);
		expect(warningsOf(storyText(undefined, '# Scene\n\nShe wrote 孔乙己 and שלום on the board, then the rest of the lesson in English.\n'))).toEqual([]);
		expect(warningsOf(storyText('English', '# Scene\n\n孔乙己是站着喝酒而穿长衫的唯一的人。\n'))).toEqual([]);
	});
});
