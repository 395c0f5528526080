import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MONDAY_8_PARIS, moveClock, startClockedWorld, type ClockedWorld } from './test-clock.js';

// A scheduled release is a public post with no interaction behind it: its words are in the server's
// preferred language (here Spanish), as every public post's, while what a reader alone sees follows
// the reader's own language. The scheduler runs on a test clock (SFB_TEST_CLOCK_FILE).

const HOST = PermissionFlagsBits.ManageGuild;

describe('a scheduled release in a server whose preferred language is Spanish', () => {
	let clocked: ClockedWorld | undefined;
	afterEach(async () => {
		await clocked?.close();
		clocked = undefined;
	});

	it('carries Spanish labels and button; the schedule is announced in Spanish, and shown to a French reader in French', async () => {
		clocked = await startClockedWorld(MONDAY_8_PARIS);
		const { world, clock } = clocked;
		const { fake } = world;
		const server = await world.newServer({ preferredLocale: 'es-ES' });
		const read = fake.runCommand({ ...server, user: fake.user('ana'), locale: 'es-ES', name: 'read' });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Escena 1 de 4'));
		await world.served(read);

		// The host's client is in English; the announcement is for the channel: Spanish.
		const set = await fake.runCommand({ ...server, user: fake.user('host'), locale: 'en-US', memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', time: '09:00' } }).reply();
		expect(set.ephemeral).toBe(false);
		expect(set.content).toContain('cada día a las 09:00 (Europe/Paris)');
		expect(set.content).toContain('Próxima publicación');
		const shown = await fake.runCommand({ ...server, user: fake.user('camille'), locale: 'fr', name: 'schedule', subcommand: 'show' }).reply();
		expect(shown.ephemeral).toBe(true);
		expect(shown.content).toContain('chaque jour à 09:00 (Europe/Paris)');

		// 09:00 in Paris is 07:00 UTC in May: the scheduler posts scene 2, by itself, in Spanish.
		await moveClock(clock, '2026-05-04T07:00:00.000Z', world.bot);
		const released = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Escena 2 de 4'));
		expect(released.content).not.toMatch(/\bScene\b/u);
		const button = released.components[0]?.components[0] as { label?: string } | undefined;
		expect(button?.label).toBe('Siguiente: escena 3 de 4');
		expect(await world.bot.waitForLog((line) => line.event === 'scheduledRelease')).toMatchObject({ outcome: 'posted' });
		expect(world.bot.errors()).toEqual([]);
	});
});
