import type { Locale } from 'discord-api-types/v10';

/** Nested message keys; a leaf is an i18next string (`{{name}}` interpolation, `_one`/`_other` plural forms). */
export interface Messages {
	[key: string]: string | Messages;
}

/** One shipped language: its messages, and the Discord locales it serves. */
export interface Catalog {
	/** i18next's language code (BCP 47), also what Intl.PluralRules gets: `en`, `fr`, `es`. */
	language: string;
	/**
	 * The Discord locales this catalog serves, from https://discord.com/developers/docs/reference#locales
	 * (`fr`, `es-ES`, `es-419`, `pt-BR`...). Command names and descriptions are registered under each.
	 */
	discordLocales: readonly `${Locale}`[];
	translation: Messages;
}
