// Sentences of the one error path (src/discord/dispatch.ts) and of the bot's own state, in a language.
import { FALLBACK_LANGUAGE, translator } from './i18n.js';

export function dispatchMessagesIn(language: string = FALLBACK_LANGUAGE) {
	const t = translator(language);
	return {
		storeDown: t('dispatch.storeDown'),
		somethingWentWrong: t('dispatch.somethingWentWrong'),
		unknownCommand: (name: string) => t('dispatch.unknownCommand', { name }),
		unknownButton: t('dispatch.unknownButton'),
		restarting: t('dispatch.restarting'),
	};
}

export type DispatchMessages = ReturnType<typeof dispatchMessagesIn>;

export const dispatchMessages: DispatchMessages = dispatchMessagesIn(FALLBACK_LANGUAGE);
