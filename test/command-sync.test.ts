import { describe, expect, it } from 'vitest';
import { commandPayloads, commandsMatch } from '../src/discord/command-sync.js';

const reversed = (map: unknown): unknown => (map && typeof map === 'object' ? Object.fromEntries(Object.entries(map).reverse()) : map);
type Raw = Record<string, unknown>;

describe('slash command definitions', () => {
	it('defines /read, /next, /progress, /feedback, /schedule, /catchup, /discussion and /library, each with explicit installs and contexts', () => {
		const payloads = commandPayloads();
		expect(payloads.map((c) => c.name)).toEqual(['read', 'next', 'progress', 'feedback', 'schedule', 'catchup', 'discussion', 'library']);
		// Schedules and discussion threads live on a server channel's reading: installed to servers, used in servers.
		const serverOnly = ['schedule', 'discussion'];
		for (const name of serverOnly) expect(payloads.find((c) => c.name === name)).toMatchObject({ integration_types: [0], contexts: [0] });
		for (const payload of payloads.filter((c) => !serverOnly.includes(String(c.name)))) {
			// Server and user install; servers, DMs with the bot, other DMs and group DMs.
			expect(payload.integration_types).toEqual([0, 1]);
			expect(payload.contexts).toEqual([0, 1, 2]);
		}
	});

	it('treats commands registered without integration types (the release before) as changed', () => {
		const local = commandPayloads();
		const remote = local.map(({ integration_types: _dropped, ...rest }) => rest);
		expect(commandsMatch(local, remote)).toBe(false);
	});

	it('treats what Discord returns for our own commands as unchanged, and a changed description as a change', () => {
		const local = commandPayloads();
		// Discord echoes the commands with ids, versions and defaults filled in.
		const remote = local.map((c, i) => ({
			...c,
			id: String(1000 + i),
			application_id: '1',
			version: '1',
			default_member_permissions: null,
			nsfw: false,
			// Discord's order of locales is its own.
			name_localizations: reversed(c.name_localizations),
			options: ((c.options as Record<string, unknown>[] | undefined) ?? []).map((o) => ({ ...o, description_localizations: reversed(o.description_localizations) })),
		}));
		expect(commandsMatch(local, remote)).toBe(true);
		expect(commandsMatch(local, remote.slice(1))).toBe(false);
		const changed = remote.map((c) => ((c as Record<string, unknown>).name === 'next' ? { ...c, description: 'old words' } : c));
		expect(commandsMatch(local, changed)).toBe(false);
	});

	it('treats a changed, added or removed translation as a change, so a new translation is registered on start', () => {
		const local = commandPayloads();
		const read = local.find((c) => c.name === 'read') as Raw;
		expect(read.name_localizations).toMatchObject({ fr: 'lire', 'es-ES': 'leer', 'es-419': 'leer' });
		// Registered by the release before: no localizations at all (Discord answers null).
		const before = local.map((c) => ({
			...c,
			name_localizations: null,
			description_localizations: null,
			options: ((c.options as Raw[] | undefined) ?? []).map((o) => ({ ...o, name_localizations: null, description_localizations: null })),
		}));
		expect(commandsMatch(local, before)).toBe(false);
		// One French option description changed.
		const edited = structuredClone(local).map((c) =>
			c.name === 'read' ? { ...c, options: (c.options as Raw[]).map((o) => (o.name === 'story' ? { ...o, description_localizations: { ...(o.description_localizations as Raw), fr: 'Ancien texte' } } : o)) } : c,
		);
		expect(commandsMatch(local, edited)).toBe(false);
		// A language dropped from one command's name.
		const dropped = structuredClone(local).map((c) => (c.name === 'next' ? { ...c, name_localizations: { fr: 'suivant' } } : c));
		expect(commandsMatch(local, dropped)).toBe(false);
		// An empty map and null are the same: no translation.
		const none = local.map((c) => ({ ...c, name_localizations: {}, description_localizations: {}, options: [] }));
		expect(commandsMatch(none, none.map((c) => ({ ...c, name_localizations: null, description_localizations: null })))).toBe(true);
	});

	it('compares choice names and their translations', () => {
		const withChoice = (choiceName: Raw): Raw[] => [
			{ name: 'pick', description: 'd', options: [{ type: 3, name: 'colour', description: 'c', choices: [{ value: 'r', ...choiceName }] }] },
		];
		expect(commandsMatch(withChoice({ name: 'red', name_localizations: { fr: 'rouge' } }), withChoice({ name: 'red', name_localizations: { fr: 'rouge' } }))).toBe(true);
		expect(commandsMatch(withChoice({ name: 'red', name_localizations: { fr: 'rouge' } }), withChoice({ name: 'red', name_localizations: null }))).toBe(false);
		expect(commandsMatch(withChoice({ name: 'red' }), withChoice({ name: 'red', name_localizations: null }))).toBe(true);
	});
});
