import { Routes, type REST } from 'discord.js';
import { commands } from '../../commands/index.js';

/** Only what changes how a command looks or behaves; Discord adds ids, versions and defaults we don't compare. */
interface CommandShape {
	name: string;
	name_localizations: Localizations;
	description: string;
	description_localizations: Localizations;
	options: unknown[];
	contexts: number[] | null;
	integration_types: number[] | null;
	default_member_permissions: string | null;
}

type RawCommand = Record<string, unknown>;
type Localizations = Array<[string, string]> | null;

/**
 * A localization map as compared: entries sorted by locale (Discord's order is not ours), and
 * null for none (Discord answers null where we sent {} or nothing).
 */
function localizationsOf(raw: unknown): Localizations {
	if (raw === null || typeof raw !== 'object') return null;
	const entries = Object.entries(raw as Record<string, unknown>)
		.filter((entry): entry is [string, string] => typeof entry[1] === 'string')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return entries.length === 0 ? null : entries;
}

function shapeOf(raw: RawCommand): CommandShape {
	return {
		name: String(raw.name),
		// Translations are part of how a command looks: a changed one must be registered.
		name_localizations: localizationsOf(raw.name_localizations),
		description: String(raw.description ?? ''),
		description_localizations: localizationsOf(raw.description_localizations),
		options: ((raw.options as RawCommand[] | undefined) ?? []).map(optionShape),
		contexts: (raw.contexts as number[] | null | undefined) ?? null,
		// Where the command may be installed: a change here (such as adding user installs) must be registered.
		integration_types: (raw.integration_types as number[] | null | undefined) ?? null,
		default_member_permissions: (raw.default_member_permissions as string | null | undefined) ?? null,
	};
}

function optionShape(raw: RawCommand): unknown {
	return {
		type: raw.type,
		name: raw.name,
		name_localizations: localizationsOf(raw.name_localizations),
		description: raw.description,
		description_localizations: localizationsOf(raw.description_localizations),
		required: raw.required ?? false,
		autocomplete: raw.autocomplete ?? false,
		choices: ((raw.choices as RawCommand[] | undefined) ?? []).map((choice) => ({ name: choice.name, name_localizations: localizationsOf(choice.name_localizations), value: choice.value })),
		options: ((raw.options as RawCommand[] | undefined) ?? []).map(optionShape),
	};
}

/** True when Discord already has exactly our commands, so start-up needs no write (registration is rate-limited). */
export function commandsMatch(local: readonly RawCommand[], remote: readonly RawCommand[]): boolean {
	if (local.length !== remote.length) return false;
	const byName = new Map(remote.map((command) => [String(command.name), JSON.stringify(shapeOf(command))]));
	return local.every((command) => byName.get(String(command.name)) === JSON.stringify(shapeOf(command)));
}

export function commandPayloads(): RawCommand[] {
	return commands.map((command) => command.data.toJSON() as unknown as RawCommand);
}

export interface SyncResult {
	scope: 'global' | `guild ${string}`;
	changed: boolean;
	count: number;
}

/**
 * Registers our commands (to one guild when `guildId` is given) unless Discord already has them.
 * Discord lists commands with their localization maps only when asked (`with_localizations=true`,
 * https://discord.com/developers/docs/interactions/application-commands#get-global-application-commands),
 * so they are asked for: without them a changed translation would look unchanged.
 */
export async function syncCommands(rest: REST, applicationId: string, guildId: string | undefined, force = false): Promise<SyncResult> {
	const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
	const local = commandPayloads();
	const scope = guildId ? (`guild ${guildId}` as const) : 'global';
	if (!force) {
		const remote = (await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as RawCommand[];
		if (commandsMatch(local, remote)) return { scope, changed: false, count: local.length };
	}
	await rest.put(route, { body: local });
	return { scope, changed: true, count: local.length };
}

/** At most this many servers are looked at for leftover guild copies at start: one GET each. */
export const GUILD_COPY_SCAN_LIMIT = 100;

export interface GuildCopiesResult {
	/** Servers whose copies of our commands were removed. */
	cleared: string[];
	/** Servers with guild commands of this app that are not ours by name: left alone. */
	keptOthers: string[];
	/** Servers not looked at because of GUILD_COPY_SCAN_LIMIT. */
	notScanned: number;
}

/**
 * After a switch from DEV_GUILD_ID to global commands, the old dev server still has the guild
 * copies and lists every command twice. Looks at the guild commands of up to
 * GUILD_COPY_SCAN_LIMIT of `guildIds` (the servers the bot is in; one GET each, one after another
 * so discord.js's rate limiting keeps its pace) and removes them (PUT []) where every one is one
 * of ours by name. Throws what REST throws.
 */
export async function clearGuildCopies(rest: REST, applicationId: string, guildIds: readonly string[]): Promise<GuildCopiesResult> {
	const ours = new Set(commandPayloads().map((command) => String(command.name)));
	const result: GuildCopiesResult = { cleared: [], keptOthers: [], notScanned: Math.max(0, guildIds.length - GUILD_COPY_SCAN_LIMIT) };
	for (const guildId of guildIds.slice(0, GUILD_COPY_SCAN_LIMIT)) {
		const route = Routes.applicationGuildCommands(applicationId, guildId);
		const remote = (await rest.get(route)) as RawCommand[];
		if (remote.length === 0) continue;
		if (remote.every((command) => ours.has(String(command.name)))) {
			await rest.put(route, { body: [] });
			result.cleared.push(guildId);
		} else {
			result.keptOthers.push(guildId);
		}
	}
	return result;
}
