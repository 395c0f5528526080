// Command, option and choice names and descriptions, from the same catalogs as every reply
// (src/messages/locales, under `commands`): English is the command's own name and description,
// and every other catalog adds Discord's `name_localizations` / `description_localizations` under
// each of its Discord locales (https://discord.com/developers/docs/interactions/application-commands#localization).
import type { LocalizationMap } from 'discord-api-types/v10';
import { CATALOGS, FALLBACK_LANGUAGE } from '../messages/index.js';
import type { Messages } from '../messages/locales/catalog.js';

function lookup(messages: Messages, key: string): string | undefined {
	let node: string | Messages | undefined = messages;
	for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
	return typeof node === 'string' ? node : undefined;
}

/** The English text at `key` (e.g. `commands.read.name`). Throws when English lacks it: a command cannot go without. */
export function englishText(key: string): string {
	const english = CATALOGS.find((catalog) => catalog.language === FALLBACK_LANGUAGE)!;
	const text = lookup(english.translation, key);
	if (text === undefined) throw new Error(`src/messages/locales/en.ts has no ${key}`);
	return text;
}

/** Discord locale → the text at `key`, for every catalog but English that has it; languages without it fall back to English on Discord's side. */
export function localizations(key: string): LocalizationMap {
	const map: LocalizationMap = {};
	for (const catalog of CATALOGS) {
		if (catalog.language === FALLBACK_LANGUAGE) continue;
		const text = lookup(catalog.translation, key);
		if (text === undefined) continue;
		for (const locale of catalog.discordLocales) map[locale] = text;
	}
	return map;
}

interface Nameable {
	setName(name: string): this;
	setDescription(description: string): this;
	setNameLocalizations(localizedNames: LocalizationMap | null): this;
	setDescriptionLocalizations(localizedDescriptions: LocalizationMap | null): this;
}

/**
 * Sets a command's or option's name and description from `key` (`commands.read`,
 * `commands.read.options.story`: `.name` and `.description` under it), with their localizations.
 */
export function named<T extends Nameable>(builder: T, key: string): T {
	return builder
		.setName(englishText(`${key}.name`))
		.setDescription(englishText(`${key}.description`))
		.setNameLocalizations(localizations(`${key}.name`))
		.setDescriptionLocalizations(localizations(`${key}.description`));
}

/** An option choice named from `key` (its `.name`), with its localizations. */
export function choice<V extends string | number>(key: string, value: V): { name: string; name_localizations: LocalizationMap; value: V } {
	return { name: englishText(`${key}.name`), name_localizations: localizations(`${key}.name`), value };
}
