// One i18next instance over the catalogs in ./locales, initialised synchronously at import (the
// resources are bundled, nothing is fetched). Plural forms come from Intl.PluralRules of the
// language (i18next's `_one`/`_other`/`_many`... suffixes); interpolation is i18next's `{{name}}`,
// unescaped, since the values are Discord Markdown the caller has already made safe.
import i18next, { type TFunction } from 'i18next';
import type { Catalog } from './locales/catalog.js';
import * as shipped from './locales/index.js';

export type { TFunction } from 'i18next';

/** The language of the bot's own words when nothing better is known. */
export const FALLBACK_LANGUAGE = 'en';

/** Every shipped catalog, English first. */
export const CATALOGS: readonly Catalog[] = [shipped.en, ...Object.values(shipped).filter((catalog) => catalog !== shipped.en)];

const i18n = i18next.createInstance();
void i18n.init({
	resources: Object.fromEntries(CATALOGS.map((catalog) => [catalog.language, { translation: catalog.translation }])),
	lng: FALLBACK_LANGUAGE,
	fallbackLng: FALLBACK_LANGUAGE,
	initAsync: false,
	interpolation: { escapeValue: false },
	returnNull: false,
});

const byDiscordLocale = new Map<string, string>(CATALOGS.flatMap((catalog) => catalog.discordLocales.map((locale) => [locale, catalog.language] as const)));
const languages = new Set(CATALOGS.map((catalog) => catalog.language));

/**
 * The shipped language for the first of `locales` (Discord locale codes such as `fr`, `es-ES`,
 * `pt-BR`, or null/undefined when unknown) that one serves: a catalog's own `discordLocales` first,
 * then the language part (`es-419` → `es`). English when none is shipped.
 */
export function languageFor(...locales: readonly (string | null | undefined)[]): string {
	for (const locale of locales) {
		if (!locale) continue;
		const exact = byDiscordLocale.get(locale);
		if (exact !== undefined) return exact;
		const base = locale.split('-')[0]!.toLowerCase();
		if (languages.has(base)) return base;
	}
	return FALLBACK_LANGUAGE;
}

const fixed = new Map<string, TFunction>();

/** i18next's `t` in `language` (a shipped language code; anything else reads English). */
export function translator(language: string = FALLBACK_LANGUAGE): TFunction {
	const lng = languages.has(language) ? language : FALLBACK_LANGUAGE;
	let t = fixed.get(lng);
	if (t === undefined) {
		t = i18n.getFixedT(lng);
		fixed.set(lng, t);
	}
	return t;
}

/** `a, b and c` in `language`'s way (Intl.ListFormat, conjunction). */
export function listIn(language: string, items: readonly string[]): string {
	return new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
}

/**
 * One object of sentences per language, built on first use by `build(language)` and kept: a
 * messages area's `…In(language)` function. `language` defaults to English.
 */
export function perLanguage<T>(build: (language: string) => T): (language?: string) => T {
	const built = new Map<string, T>();
	return (language = FALLBACK_LANGUAGE) => {
		let messages = built.get(language);
		if (messages === undefined) {
			messages = build(language);
			built.set(language, messages);
		}
		return messages;
	};
}
