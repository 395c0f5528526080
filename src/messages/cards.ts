// The bot's own words on the cards and scene messages everyone sees (title card, scene labels, end
// card, the reactions summary), in a language. The render layer (src/render) takes them as a
// CardWords value, so it stays free of i18n and of any one language.
import { FALLBACK_LANGUAGE, translator } from './i18n.js';

/** Words the renderer puts around a story's own text. Values passed in are already escaped for Discord. */
export interface CardWords {
	language: string;
	/** Message content of the title card: `**Title** by Author`. */
	byAuthor(title: string, author: string): string;
	/** The embed author line: `by Author` (plain text). */
	byline(author: string): string;
	challenge: string;
	disclaimer: string;
	contentNotes: string;
	noContentNotes: string;
	length: string;
	/** `4 scenes · about 9 min read`. */
	lengthValue(scenes: number, minutes: number): string;
	feedback: string;
	source: string;
	/** `React under any scene with ❤️ 😮.` */
	reactUnder(emoji: string): string;
	/** The end card's embed title (plain text). */
	endTitle(title: string): string;
	/** The end card's message content: `**Title** · The end`. */
	endContent(title: string): string;
	readerReactions: string;
	afterwordCut: string;
	/** A scene message's label: `Scene 2 of 4`. */
	sceneOf(number: number, count: number): string;
	/** `part 1/2`, when a scene takes several messages. */
	partOf(part: number, count: number): string;
	/** `Scene 2`, in the reactions summary. */
	scene(number: number): string;
	total: string;
	noReactionsYet: string;
	reactions(count: number): string;
	moreScenes(count: number): string;
}

const cache = new Map<string, CardWords>();

/** The card words in `language` (a shipped language code; English otherwise). Cached: one object per language. */
export function cardWordsIn(language: string = FALLBACK_LANGUAGE): CardWords {
	const cached = cache.get(language);
	if (cached) return cached;
	const t = translator(language);
	const words: CardWords = {
		language,
		byAuthor: (title, author) => t('cards.byAuthor', { title, author }),
		byline: (author) => t('cards.byline', { author }),
		challenge: t('cards.challenge'),
		disclaimer: t('cards.disclaimer'),
		contentNotes: t('cards.contentNotes'),
		noContentNotes: t('cards.noContentNotes'),
		length: t('cards.length'),
		lengthValue: (scenes, minutes) => t('cards.lengthValue', { count: scenes, minutes }),
		feedback: t('cards.feedback'),
		source: t('cards.source'),
		reactUnder: (emoji) => t('cards.reactUnder', { emoji }),
		endTitle: (title) => t('cards.endTitle', { title }),
		endContent: (title) => t('cards.endContent', { title }),
		readerReactions: t('cards.readerReactions'),
		afterwordCut: t('cards.afterwordCut'),
		sceneOf: (number, count) => t('cards.sceneOf', { number, count }),
		partOf: (part, count) => t('cards.partOf', { part, count }),
		scene: (number) => t('cards.scene', { number }),
		total: t('cards.total'),
		noReactionsYet: t('cards.noReactionsYet'),
		reactions: (count) => t('cards.reactions', { count }),
		moreScenes: (count) => t('cards.moreScenes', { count }),
	};
	cache.set(language, words);
	return words;
}
