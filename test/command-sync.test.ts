import { describe, expect, it } from 'vitest';
import { commandPayloads, commandsMatch } from '../src/discord/command-sync.js';

describe('slash command definitions', () => {
	it('defines /read, /next, /progress, /feedback, /schedule, /catchup and /discussion, each with explicit installs and contexts', () => {
		const payloads = commandPayloads();
		expect(payloads.map((c) => c.name)).toEqual(['read', 'next', 'progress', 'feedback', 'schedule', 'catchup', 'discussion']);
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
			options: ((c.options as Record<string, unknown>[] | undefined) ?? []).map((o) => ({ ...o, description_localizations: null })),
		}));
		expect(commandsMatch(local, remote)).toBe(true);
		expect(commandsMatch(local, remote.slice(1))).toBe(false);
		const changed = remote.map((c) => ((c as Record<string, unknown>).name === 'next' ? { ...c, description: 'old words' } : c));
		expect(commandsMatch(local, changed)).toBe(false);
	});
});
