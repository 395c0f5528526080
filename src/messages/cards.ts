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
	/**
	 * A reading time of `minutes` (whole minutes): `about 9 min read`, and from an hour on, hours and
	 * minutes, `about 8 h 42 min read` (`about 2 h read` on the hour). The one duration formatter of
	 * the title card, /library and story:check.
	 */
	aboutReadingTime(minutes: number): string;
	/** `4 scenes`, `12 chapters`, `30 sittings`. */
	scenes(count: number): string;
	chapters(count: number): string;
	/** `3/12 chapters`: written of planned. */
	chaptersOfPlanned(count: number, planned: number): string;
	sittings(count: number): string;
	inProgress: string;
	summary: string;
	rating: string;
	/** The title card's field for the story's language (AO3's "Language"). */
	storyLanguage: string;
	series: string;
	archiveWarnings: string;
	fandoms: string;
	relationships: string;
	characters: string;
	tags: string;
	/** A part in a sentence: `scene 2 of 4`. */
	describeScene(number: number, count: number): string;
	/** `Chapter 3 of 12`. */
	chapterOf(number: number, count: number): string;
	/** `Chapter 3` (an unfinished story with no planned total). */
	chapter(number: number): string;
	/** `sitting 2 of 3`. */
	sittingOf(index: number, count: number): string;
	/** The Next button: `Next: scene 2 of 4`. */
	next(what: string): string;
	/** `Next: Chapter 3 of 12 · sitting 2 of 3 · 9 min`. */
	nextMinutes(what: string, minutes: number): string;
	readTheEnding: string;
	/** After the newest part of a story still being written. */
	toBeContinued: string;
	/** The line under it: the next part comes with `/next` (title already escaped). */
	toBeContinuedNote(title: string): string;
	/** The Next button under "to be continued". */
	nextWhenOut: string;
	/** A book part of a chaptered story: `Part 2`, `Part 2: The Return` (title already escaped). */
	bookPart(number: number, title?: string): string;
	chapterNotes: string;
	endNotes: string;
	/** `message 2 of 3`, a sitting taking several messages. */
	messageOf(index: number, count: number): string;
	/** The link from a later message of a part back to its first. */
	backToStart: string;
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
		aboutReadingTime: (minutes) => {
			const whole = Math.max(0, Math.round(minutes));
			if (whole < 60) return t('cards.aboutMinutes', { minutes: whole });
			const hours = Math.floor(whole / 60);
			const rest = whole % 60;
			return rest === 0 ? t('cards.aboutHours', { hours }) : t('cards.aboutHoursMinutes', { hours, minutes: rest });
		},
		scenes: (count) => t('cards.scenes', { count }),
		chapters: (count) => t('cards.chapters', { count }),
		chaptersOfPlanned: (count, planned) => t('cards.chaptersOfPlanned', { count, planned }),
		sittings: (count) => t('cards.sittings', { count }),
		inProgress: t('cards.inProgress'),
		summary: t('cards.summary'),
		rating: t('cards.rating'),
		storyLanguage: t('cards.storyLanguage'),
		series: t('cards.series'),
		archiveWarnings: t('cards.archiveWarnings'),
		fandoms: t('cards.fandoms'),
		relationships: t('cards.relationships'),
		characters: t('cards.characters'),
		tags: t('cards.tags'),
		describeScene: (number, count) => t('cards.describeScene', { number, count }),
		chapterOf: (number, count) => t('cards.chapterOf', { number, count }),
		chapter: (number) => t('cards.chapter', { number }),
		sittingOf: (index, count) => t('cards.sittingOf', { index, count }),
		next: (what) => t('cards.next', { next: what }),
		nextMinutes: (what, minutes) => t('cards.nextMinutes', { next: what, minutes }),
		readTheEnding: t('cards.readTheEnding'),
		toBeContinued: t('cards.toBeContinued'),
		toBeContinuedNote: (title) => t('cards.toBeContinuedNote', { title }),
		nextWhenOut: t('cards.nextWhenOut'),
		bookPart: (number, title) => (title === undefined ? t('cards.bookPart', { number }) : t('cards.bookPartTitled', { number, title })),
		chapterNotes: t('cards.chapterNotes'),
		endNotes: t('cards.endNotes'),
		messageOf: (index, count) => t('cards.messageOf', { index, count }),
		backToStart: t('cards.backToStart'),
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
