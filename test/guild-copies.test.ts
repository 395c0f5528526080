import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { clearGuildCopies, commandPayloads, GUILD_COPY_SCAN_LIMIT } from '../src/discord/command-sync.js';

// Removing the server copies a DEV_GUILD_ID run left: bounded, and never touching commands that are not ours.

describe('clearGuildCopies', () => {
	let fake: FakeDiscord | undefined;
	afterEach(async () => {
		await fake?.close();
		fake = undefined;
	});

	it(`looks at ${GUILD_COPY_SCAN_LIMIT} servers at most, one GET each, and clears only copies of our own commands`, async () => {
		fake = await startFakeDiscord();
		const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
		const guilds = Array.from({ length: GUILD_COPY_SCAN_LIMIT + 2 }, () => fake!.addGuild({ channels: [{ type: 0 }] }).id);
		const [ourCopies, foreign] = guilds as [string, string];
		await rest.put(Routes.applicationGuildCommands(fake.applicationId, ourCopies), { body: commandPayloads() });
		await rest.put(Routes.applicationGuildCommands(fake.applicationId, foreign), { body: [{ name: 'admin-only', description: 'not one of ours', type: 1 }] });
		const before = fake.requests.length;

		const result = await clearGuildCopies(rest, fake.applicationId, guilds);
		expect(result).toEqual({ cleared: [ourCopies], keptOthers: [foreign], notScanned: 2 });
		expect(fake.commands(ourCopies)).toEqual([]);
		expect(fake.commands(foreign).map((c) => c.name)).toEqual(['admin-only']);
		const made = fake.requests.slice(before);
		expect(made.filter((r) => r.method === 'GET')).toHaveLength(GUILD_COPY_SCAN_LIMIT);
		expect(made.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/applications/${fake.applicationId}/guilds/${ourCopies}/commands`]);
	});
});
