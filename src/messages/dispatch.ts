// Sentences of the one error path (src/discord/dispatch.ts) and of the bot's own state, in a language.
import { FALLBACK_LANGUAGE, translator, perLanguage } from './i18n.js';

/** The dispatcher's sentences in `language` (a shipped language code; English otherwise). Cached: one object per language. */
export const dispatchMessagesIn: (language?: string) => DispatchMessages = perLanguage(build);

function build(language: string) {
	const t = translator(language);
	return {
		storeDown: t('dispatch.storeDown'),
		somethingWentWrong: t('dispatch.somethingWentWrong'),
		unknownCommand: (name: string) => t('dispatch.unknownCommand', { name }),
		unknownButton: t('dispatch.unknownButton'),
		restarting: t('dispatch.restarting'),
	};
}

export type DispatchMessages = ReturnType<typeof build>;

export const dispatchMessages: DispatchMessages = dispatchMessagesIn(FALLBACK_LANGUAGE);
