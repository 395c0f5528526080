/*
 * A story's language: the BCP 47 tag its text is segmented and timed by. Pure (Intl only).
 *
 * Authors write `language:` as AO3 does ("English", "中文-普通话 國語", "日本語"), as a language's
 * name in English or in itself ("Chinese", "français"), or as a BCP 47 tag ("zh", "pt-BR"). The tag
 * picks `Intl.Segmenter`'s sentence and word rules (which cut Chinese, Japanese and Thai text, written
 * without spaces, between words) and the reading rate below.
 */

/** The tag used when a story gives no language, or one that is not understood. */
export const DEFAULT_STORY_LANGUAGE = 'en';

/**
 * Languages whose names are recognised, in English and in the language itself (via Intl.DisplayNames),
 * besides any valid BCP 47 tag: the languages AO3 lists most works in, and every IReST language.
 */
const NAMED_LANGUAGES = [
	'en', 'zh', 'zh-Hans', 'zh-Hant', 'yue', 'ja', 'ko', 'th', 'vi', 'id', 'ms', 'tl', 'fil', 'hi', 'bn', 'ta',
	'ar', 'he', 'fa', 'ur', 'tr', 'ru', 'uk', 'pl', 'cs', 'sk', 'sl', 'hr', 'sr', 'bg', 'ro', 'hu', 'el',
	'fr', 'es', 'pt', 'pt-BR', 'pt-PT', 'it', 'ca', 'gl', 'eu', 'de', 'nl', 'sv', 'da', 'no', 'nb', 'fi',
	'et', 'lv', 'lt', 'is', 'ga', 'cy', 'la', 'eo',
] as const;

/**
 * AO3's own names for languages whose names DisplayNames does not give as AO3 writes them
 * (from AO3's language list, https://archiveofourown.org/languages).
 */
const AO3_NAMES: Record<string, string> = {
	'中文': 'zh',
	'中文-普通话 國語': 'zh',
	'中文-普通话 国语': 'zh',
	'普通话': 'zh',
	'國語': 'zh',
	'简体中文': 'zh-Hans',
	'繁體中文': 'zh-Hant',
	'中文-广东话 粵語': 'yue',
	'粵語': 'yue',
	'广东话': 'yue',
	'português brasileiro': 'pt-BR',
	'português europeu': 'pt-PT',
	'bahasa indonesia': 'id',
	'bahasa malaysia': 'ms',
	'ภาษาไทย': 'th',
	'norsk': 'no',
	'lietuvių kalba': 'lt',
	'latviešu valoda': 'lv',
	'eesti': 'et',
	'filipino': 'fil',
	'latina': 'la',
};

function normalise(name: string): string {
	return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

let byName: Map<string, string> | undefined;

function names(): Map<string, string> {
	if (byName !== undefined) return byName;
	byName = new Map();
	for (const [name, tag] of Object.entries(AO3_NAMES)) byName.set(normalise(name), tag);
	const english = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
	for (const tag of NAMED_LANGUAGES) {
		for (const name of [english.of(tag), new Intl.DisplayNames([tag], { type: 'language', fallback: 'none' }).of(tag)]) {
			if (name !== undefined && !byName.has(normalise(name))) byName.set(normalise(name), tag);
		}
	}
	return byName;
}

/**
 * The BCP 47 tag for a story's `language` value: an AO3 language name ("English", "中文-普通话 國語",
 * "Português brasileiro"), a language's name in English or in itself ("Chinese", "日本語",
 * "français"; case does not matter), or a tag ("zh", "ZH-hant", "pt-BR", returned canonical).
 * Undefined when it is none of these (a typo, a made-up language).
 */
export function languageTag(value: string): string | undefined {
	const named = names().get(normalise(value));
	if (named !== undefined) return named;
	let canonical: string | undefined;
	try {
		canonical = Intl.getCanonicalLocales(value.trim())[0];
	} catch {
		return undefined;
	}
	if (canonical === undefined) return undefined;
	// A well-formed tag of a language ICU has no name for ("english", "xx") is most likely a mistake.
	const language = canonical.split('-')[0]!;
	return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(language) === undefined ? undefined : canonical;
}

/** The language's name in English, for messages to authors: "Chinese", "Hebrew"; the tag itself when ICU has no name. */
export function languageName(tag: string): string {
	return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
}

/**
 * How fast a story is read: what is counted (`word` or `character`) and how many a minute.
 *
 * - Characters per minute for Chinese and Japanese, whose text has no spaces between words: IReST,
 *   Trauzettel-Klosinski & Dietz (2012), "Standardized Assessment of Reading Performance: The New
 *   International Reading Speed Texts IReST", Invest. Ophthalmol. Vis. Sci. 53(9):5452-5461, Table 2:
 *   Chinese 255 (SD 29) characters/min, Japanese 357 (SD 56) characters/min. IReST timed reading
 *   aloud, so these are slower than silent reading: a sitting errs on the short side.
 * - Words per minute elsewhere: 200, from Brysbaert (2019), "How many words do we read per minute? A
 *   review and meta-analysis of reading rate", Journal of Memory and Language 109:104047: adults read
 *   English silently at 238 words/min on average for non-fiction and 260 for fiction, "for fiction the
 *   range is 200 to 320 wpm". 200 is that range's low end, on the slow side like the IReST figures (a
 *   reader on a phone, in a busy channel), and what the bot has always used, so English stories keep
 *   their sittings. No comparable silent-reading figure per language was found, so every language
 *   counted in words uses it; Thai, Lao, Khmer and Burmese, written without spaces, count words as
 *   Intl.Segmenter finds them.
 */
export interface ReadingRate {
	unit: 'word' | 'character';
	perMinute: number;
}

export const WORD_RATE: ReadingRate = { unit: 'word', perMinute: 200 };
const CHARACTER_RATES: Record<string, ReadingRate> = {
	zh: { unit: 'character', perMinute: 255 },
	yue: { unit: 'character', perMinute: 255 },
	ja: { unit: 'character', perMinute: 357 },
};
/** Languages written without spaces between words: words are counted with Intl.Segmenter. */
const UNSPACED = new Set(['th', 'lo', 'km', 'my']);

/** The reading rate for a language tag (see ReadingRate for the sources). */
export function readingRate(tag: string): ReadingRate {
	return CHARACTER_RATES[tag.split('-')[0]!.toLowerCase()] ?? WORD_RATE;
}

const wordSegmenters = new Map<string, Intl.Segmenter>();
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * What a reader reads in `text`, in `rate`'s unit for `tag`: characters (grapheme clusters holding a
 * letter or digit; punctuation and spaces are not counted) for Chinese and Japanese; otherwise words:
 * whitespace-separated tokens holding a letter or digit, or for Thai, Lao, Khmer and Burmese the
 * word-like segments Intl.Segmenter finds.
 */
export function countReadingUnits(text: string, tag: string): number {
	const base = tag.split('-')[0]!.toLowerCase();
	let count = 0;
	if (readingRate(tag).unit === 'character') {
		for (const { segment } of graphemes.segment(text)) if (LETTER_OR_NUMBER.test(segment)) count += 1;
		return count;
	}
	if (UNSPACED.has(base)) {
		let segmenter = wordSegmenters.get(base);
		if (segmenter === undefined) {
			segmenter = new Intl.Segmenter(base, { granularity: 'word' });
			wordSegmenters.set(base, segmenter);
		}
		for (const segment of segmenter.segment(text)) if (segment.isWordLike) count += 1;
		return count;
	}
	return countWords(text);
}

/** The tag a story's text is segmented and timed by: its `languageTag`, or English. */
export function storyLanguage(meta: { languageTag?: string | undefined }): string {
	return meta.languageTag ?? DEFAULT_STORY_LANGUAGE;
}

/** Whole minutes to read `units` at `rate`, rounded, at least 1. */
export function minutesToRead(units: number, rate: ReadingRate): number {
	return Math.max(1, Math.round(units / rate.perMinute));
}

/**
 * Words in a text: whitespace-separated tokens holding at least one letter or digit,
 * so a free-standing dash or `*` is not counted but "examination--" is one word.
 */
export function countWords(text: string): number {
	// One pass over the characters, ASCII decided by code, the rest by the same Unicode classes as
	// `split(/\s+/u)` + `/[\p{L}\p{N}]/u` (which allocated every token: most of the time to load
	// 500 stories, measured by the bench). test/story-text.test.ts checks they agree.
	let words = 0;
	let counted = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		let space: boolean;
		let wordy: boolean;
		if (code < 0x80) {
			space = code === 0x20 || (code >= 0x09 && code <= 0x0d);
			const lower = code | 0x20;
			wordy = (code >= 0x30 && code <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
		} else {
			const character = String.fromCodePoint(text.codePointAt(index)!);
			if (character.length === 2) index++;
			space = WHITESPACE.test(character);
			wordy = !space && LETTER_OR_DIGIT.test(character);
		}
		if (space) counted = false;
		else if (wordy && !counted) {
			words += 1;
			counted = true;
		}
	}
	return words;
}

const WHITESPACE = /^\s$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** How much of a story's text `detectScriptLanguage` looks at: enough to tell its script, cheap for 500 stories. */
const SCRIPT_SAMPLE = 4000;

/**
 * Scripts whose languages the bot reads by rules other than English's (Unicode Script property
 * values, ISO 15924 codes): Chinese and Japanese are timed in characters and cut between words
 * Intl.Segmenter finds, Korean is cut by its own rules, Hebrew and Arabic run right to left.
 * Japanese is Han with kana (Hira, Kana); Korean is Hangul, sometimes with Han.
 */
const SCRIPTS = ['Hani', 'Hira', 'Kana', 'Hang', 'Hebr', 'Arab'] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')] as const);
const LETTER = /\p{L}/u;
const ANY_OF_SCRIPTS = new RegExp(SCRIPTS.map((script) => `\\p{Script=${script}}`).join('|'), 'u');

/**
 * The language a text is most likely in when most of its letters (of the first SCRIPT_SAMPLE
 * characters) are of one of SCRIPTS: `{ tag, script }` with the script's ISO 15924 code (`Jpan`
 * for Han with kana, `Kore` for Hangul) and the tag Intl.Locale's likely subtags give it (`zh`,
 * `ja`, `ko`, `he`, `ar`). Undefined for a text mostly in other scripts (Latin, Cyrillic...).
 */
export function detectScriptLanguage(text: string): { tag: string; script: string } | undefined {
	const sample = text.slice(0, SCRIPT_SAMPLE);
	// Most stories hold none of these scripts: one native scan says so.
	if (!ANY_OF_SCRIPTS.test(sample)) return undefined;
	const counts = new Map<string, number>();
	let letters = 0;
	for (const character of sample) {
		// ASCII, most of most stories, is decided by code: a Latin letter or not a letter.
		const code = character.charCodeAt(0);
		if (code < 0x80) {
			if (((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) letters += 1;
			continue;
		}
		if (!LETTER.test(character)) continue;
		letters += 1;
		const script = SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(character))?.[0];
		if (script !== undefined) counts.set(script, (counts.get(script) ?? 0) + 1);
	}
	const count = (script: string): number => counts.get(script) ?? 0;
	const kana = count('Hira') + count('Kana');
	const east = count('Hani') + kana + count('Hang');
	let script: string | undefined;
	if (east * 2 > letters) {
		// A tenth of kana among Han is Japanese (Chinese has none); Hangul outnumbering Han is Korean.
		script = kana * 10 >= east ? 'Jpan' : count('Hang') > count('Hani') ? 'Kore' : 'Hani';
	} else if (count('Hebr') * 2 > letters) script = 'Hebr';
	else if (count('Arab') * 2 > letters) script = 'Arab';
	if (script === undefined) return undefined;
	return { tag: new Intl.Locale(`und-${script}`).maximize().language, script };
}

/** A script's name in English, for messages to authors: "Han", "Japanese", "Hebrew". */
export function scriptName(script: string): string {
	return new Intl.DisplayNames(['en'], { type: 'script', fallback: 'code' }).of(script) ?? script;
}
