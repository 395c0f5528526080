// The library's sentences (`/library`, and `/read` asking which story), in a language: the words
// are in ./locales under `library`; this file picks the key and fills in the values.
import { perLanguage, translator } from './i18n.js';

/** The library sentences in `language` (a shipped language code; English otherwise). Cached per language. */
export const libraryMessagesIn: (language?: string) => LibraryMessages = perLanguage(build);

function build(language: string) {
	const t = translator(language);
	return {
		language,
		chooseStory: t('library.chooseStory'),
		choosePlaceholder: t('library.choosePlaceholder'),
		/** More stories than one select menu holds (25). */
		tooManyToList: (count: number) => t('library.tooManyToList', { count: count.toLocaleString(language) }),
		/** A command that needs a story and has no reading here to go by. */
		nameAStory: t('library.nameAStory'),
		noStories: t('library.noStories'),
		heading: (count: number) => t('library.heading', { count }),
		pageOf: (page: number, pages: number) => t('library.pageOf', { page, pages }),
		words: (count: number) => t('library.words', { count, words: count.toLocaleString(language) }),
		/** A story's status: "complete", "in progress, 3 of 12", "in progress, 3 of ?". */
		status: (inProgress: boolean, chapters: number, planned: number | undefined) =>
			!inProgress ? t('library.complete') : planned === undefined ? t('library.inProgressOpen', { count: chapters }) : t('library.inProgressOf', { count: chapters, planned }),
		notRated: t('library.notRated'),
		startHint: (id: string) => t('library.startHint', { id }),
		readButton: (title: string) => t('library.readButton', { title }),
		previousPage: t('library.previousPage'),
		nextPage: t('library.nextPage'),
		/** A story's length counted in characters (Chinese, Japanese), as `words` is in words. */
		characters: (count: number) => t('library.characters', { count, characters: count.toLocaleString(language) }),
	};
}

export type LibraryMessages = ReturnType<typeof build>;
