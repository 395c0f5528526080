// Every shipped language is complete: the same keys as English (plural keys with every form
// Intl.PluralRules has for the language), the same `{{values}}` in each sentence, and command texts
// Discord accepts. A translator's missing or misspelt key fails here, not in front of a reader.
import { Locale } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { commandPayloads } from '../src/discord/command-sync.js';
import { choice, englishText, localizations } from '../src/discord/command-text.js';
import { CATALOGS, cardWordsIn, languageFor, readingMessagesIn, translator } from '../src/messages/index.js';
import type { Catalog, Messages } from '../src/messages/locales/catalog.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function leaves(messages: Messages, prefix = ''): Map<string, string> {
	const found = new Map<string, string>();
	for (const [key, value] of Object.entries(messages)) {
		const path = prefix === '' ? key : `${prefix}.${key}`;
		if (typeof value === 'string') found.set(path, value);
		else for (const [inner, text] of leaves(value, path)) found.set(inner, text);
	}
	return found;
}

function variables(text: string): string[] {
	return [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1]!))].sort();
}

/**
 * What is wrong with `catalog` against English: missing or extra keys (a plural key counts by its
 * base, and must have every plural form of its language), and sentences whose `{{values}}` differ
 * from the English sentence's (`count` aside in plural forms, where a language may leave it out).
 */
function problems(english: Catalog, catalog: Catalog): string[] {
	const found: string[] = [];
	const base = (key: string): string => key.replace(PLURAL_SUFFIX, '');
	const theirs = leaves(catalog.translation);
	const ours = leaves(english.translation);
	const ourBases = new Map<string, string[]>();
	for (const [key, text] of ours) ourBases.set(base(key), [...(ourBases.get(base(key)) ?? []), text]);
	const theirBases = new Map<string, Array<[string, string]>>();
	for (const [key, text] of theirs) theirBases.set(base(key), [...(theirBases.get(base(key)) ?? []), [key, text]]);
	const forms = new Intl.PluralRules(catalog.language).resolvedOptions().pluralCategories;

	for (const [key, englishTexts] of ourBases) {
		const entries = theirBases.get(key);
		if (!entries) {
			found.push(`${catalog.language}: missing ${key}`);
			continue;
		}
		const plural = [...ours.keys()].some((ourKey) => ourKey !== key && base(ourKey) === key);
		if (plural) {
			for (const form of forms) if (!theirs.has(`${key}_${form}`)) found.push(`${catalog.language}: missing ${key}_${form}`);
		} else if (!theirs.has(key)) {
			found.push(`${catalog.language}: ${key} is a plural there but not in English`);
		}
		const expected = variables(englishTexts.join(' ')).filter((name) => !plural || name !== 'count');
		for (const [theirKey, text] of entries) {
			const got = variables(text).filter((name) => !plural || name !== 'count');
			if (JSON.stringify(got) !== JSON.stringify(expected)) found.push(`${catalog.language}: ${theirKey} has {{${got.join('}}, {{')}}} where English has {{${expected.join('}}, {{')}}}`);
		}
	}
	for (const key of theirBases.keys()) if (!ourBases.has(key)) found.push(`${catalog.language}: ${key} is not in English`);
	return found;
}

const english = CATALOGS.find((catalog) => catalog.language === 'en')!;

describe('the shipped languages', () => {
	it('are English and at least two more', () => {
		expect(CATALOGS.map((catalog) => catalog.language)).toEqual(expect.arrayContaining(['en', 'fr', 'es']));
	});

	it.each(CATALOGS.filter((catalog) => catalog !== english).map((catalog) => [catalog.language, catalog] as const))('%s has every English key, every plural form and the same {{values}}', (_language, catalog) => {
		expect(problems(english, catalog)).toEqual([]);
	});

	it('English has both plural forms wherever it counts', () => {
		expect(problems(english, english)).toEqual([]);
	});

	it('the check finds a missing key, a missing plural form, a renamed value and an extra key', () => {
		const broken = structuredClone(english) as Catalog & { translation: Messages };
		const reading = broken.translation.reading as Messages;
		delete reading.busy;
		delete reading.over_other;
		reading.storyGone = 'Gone: `{{story}}`.';
		reading.surplus = 'not in English';
		expect(problems(english, broken).sort()).toEqual([
			'en: missing reading.busy',
			'en: missing reading.over_other',
			'en: reading.storyGone has {{story}} where English has {{storyId}}',
			'en: reading.surplus is not in English',
		]);
	});

	it('each serves Discord locales that exist, no locale twice', () => {
		const known = new Set<string>(Object.values(Locale));
		const all = CATALOGS.flatMap((catalog) => catalog.discordLocales);
		expect(all.filter((locale) => !known.has(locale))).toEqual([]);
		expect(new Set(all).size).toBe(all.length);
	});

	it("gives command and option names Discord accepts (lowercase, 1-32 of its characters), descriptions and choice names of 1-100", () => {
		// https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming
		// and #application-command-object-application-command-option-choice-structure (a choice's name: 1-100 characters).
		// No apostrophe: @discordjs/builders refuses one when the commands are built.
		const nameRule = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
		const texts = (map: unknown): string[] => Object.values((map ?? {}) as Record<string, string>);
		const check = (item: Record<string, unknown>): void => {
			for (const name of [String(item.name), ...texts(item.name_localizations)]) {
				expect(name).toMatch(nameRule);
				expect(name).toBe(name.toLowerCase());
			}
			for (const description of [String(item.description), ...texts(item.description_localizations)]) expect(description.length).toBeGreaterThan(0), expect(description.length).toBeLessThanOrEqual(100);
			for (const option of (item.options as Array<Record<string, unknown>> | undefined) ?? []) check(option);
			for (const choice of (item.choices as Array<Record<string, unknown>> | undefined) ?? []) {
				for (const name of [String(choice.name), ...texts(choice.name_localizations)]) expect(name.length).toBeGreaterThan(0), expect(name.length).toBeLessThanOrEqual(100);
			}
		};
		expect(Object.keys(english.translation.commands as Messages)).toEqual(['read', 'next', 'progress', 'feedback', 'library', 'schedule', 'catchup', 'discussion']);
		for (const command of commandPayloads()) check(command);
	});

	it('translate every command, subcommand, option and choice into every other shipped language', () => {
		const otherLocales = CATALOGS.filter((catalog) => catalog !== english).flatMap((catalog) => catalog.discordLocales).sort();
		// Where a Discord locale is missing, e.g. `/schedule set › timezone: name in fr`.
		const missing: string[] = [];
		const lacking = (map: unknown): string[] => otherLocales.filter((locale) => !Object.keys((map ?? {}) as object).includes(locale));
		const walk = (item: Record<string, unknown>, path: string): void => {
			for (const locale of lacking(item.name_localizations)) missing.push(`${path}: name in ${locale}`);
			if (item.description !== undefined) for (const locale of lacking(item.description_localizations)) missing.push(`${path}: description in ${locale}`);
			for (const option of (item.options as Array<Record<string, unknown>> | undefined) ?? []) walk(option, `${path} › ${String(option.name)}`);
			for (const choice of (item.choices as Array<Record<string, unknown>> | undefined) ?? []) walk(choice, `${path} › ${String(choice.name)}`);
		};
		for (const command of commandPayloads()) walk(command, `/${String(command.name)}`);
		expect(missing).toEqual([]);
	});
});

describe('choosing a language', () => {
	it('takes the first locale a catalog serves, then the language part, then English', () => {
		expect(languageFor('fr')).toBe('fr');
		expect(languageFor('es-ES')).toBe('es');
		expect(languageFor('es-419')).toBe('es');
		expect(languageFor('de', 'es-ES')).toBe('es');
		expect(languageFor('de', 'ja')).toBe('en');
		expect(languageFor(undefined, null)).toBe('en');
		expect(languageFor('en-GB', 'fr')).toBe('en');
	});

	it('falls back to English for a key a language lacks', () => {
		// A key only English has (as a new area's would be until translated) reads in English.
		expect(translator('fr')('reading.noReadingHere')).toContain('Il n’y a pas encore de lecture');
		expect(translator('fr')('cards.total')).toBe('Total');
		expect(translator('xx')('reading.noReadingHere')).toBe(readingMessagesIn('en').noReadingHere);
	});

	it('uses the language’s plural rules and interpolation', () => {
		expect(cardWordsIn('en').reactions(1)).toBe('1 reaction');
		expect(cardWordsIn('en').reactions(0)).toBe('0 reactions');
		// French counts 0 and 1 as singular (CLDR), Spanish only 1.
		expect(cardWordsIn('fr').reactions(0)).toBe('0 réaction');
		expect(cardWordsIn('fr').reactions(2)).toBe('2 réactions');
		expect(cardWordsIn('es').reactions(0)).toBe('0 reacciones');
		expect(cardWordsIn('es').scenes(1)).toBe('1 escena');
		expect(cardWordsIn('fr').sittings(0)).toBe('0 séance');
		expect(readingMessagesIn('fr').missingPermissions('1', ['Embed Links', 'Add Reactions'])).toContain('il me manque Embed Links et Add Reactions');
	});
});

describe('command texts from the catalogs', () => {
	it('give a choice its English name and a name under every Discord locale of the other languages', () => {
		expect(choice('commands.read.options.story', 'after-the-end')).toEqual({
			name: 'story',
			name_localizations: { fr: 'histoire', 'es-ES': 'historia', 'es-419': 'historia' },
			value: 'after-the-end',
		});
	});

	it('leave out a language that lacks a key (Discord then shows English), and refuse a key English lacks', () => {
		expect(localizations('commands.read.no-such-key')).toEqual({});
		expect(() => englishText('commands.read.no-such-key')).toThrow('src/messages/locales/en.ts has no commands.read.no-such-key');
	});
});
