import { describe, expect, it } from 'vitest';
import { commandPayloads, commandsMatch } from '../src/discord/command-sync.js';

describe('slash command definitions', () => {
	it('defines /read, /next, /progress and /feedback, usable in servers only', () => {
		const payloads = commandPayloads();
		expect(payloads.map((c) => c.name)).toEqual(['read', 'next', 'progress', 'feedback']);
		for (const payload of payloads) expect(payload.contexts).toEqual([0]);
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
			integration_types: [0],
			options: ((c.options as Record<string, unknown>[] | undefined) ?? []).map((o) => ({ ...o, description_localizations: null })),
		}));
		expect(commandsMatch(local, remote)).toBe(true);
		expect(commandsMatch(local, remote.slice(1))).toBe(false);
		const changed = remote.map((c) => ((c as Record<string, unknown>).name === 'next' ? { ...c, description: 'old words' } : c));
		expect(commandsMatch(local, changed)).toBe(false);
	});
});
