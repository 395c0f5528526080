import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fake-discord/index.js';
import { startBot, tempDir, type BotProcess } from './harness.js';
import { armedAt, MONDAY_8_PARIS, moveClock, startClockedWorld, type ClockedWorld } from './test-clock.js';
import { READER_PERMISSIONS } from './world.js';

// Scheduled releases, end to end, with the bot's scheduler on a test clock (SFB_TEST_CLOCK_FILE):
// the test writes a time into the file and sends SIGUSR2, and what fell due is posted at once.
// Nothing here waits for real time to pass.

const HOST = PermissionFlagsBits.ManageGuild;
const labels = (messages: FakeMessage[]) =>
	messages.flatMap((m) => /Scene \d of \d/.exec(m.content)?.[0] ?? (m.content.includes('The end') ? ['the end'] : m.content.includes('schedule here has ended') ? ['schedule ended'] : []));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('a scheduled reading (one bot, SQLite, test clock)', () => {
	let clocked: ClockedWorld | undefined;
	afterEach(async () => {
		await clocked?.close();
		clocked = undefined;
	});

	it('posts at 09:00 Paris time, keeps its rhythm around /next, pauses, and after a restart across three slots posts once', async () => {
		clocked = await startClockedWorld(MONDAY_8_PARIS);
		const { world, clock } = clocked;
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const host = fake.user('host');
		const reader = fake.user('reader');
		const channel = () => labels(fake.messages(server.channelId, { ephemeral: false }));

		// Only a host may set it; anyone may see it.
		const refused = await fake.runCommand({ ...server, user: reader, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', time: '09:00' } }).reply();
		expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining('Only members with the Manage Server permission') });
		const badZone = await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Paris', time: '09:00' } }).reply();
		expect(badZone).toMatchObject({ ephemeral: true, content: expect.stringContaining('is not a timezone I know') });
		// "* 9 * * *" (meant as "at 9") is every minute from 09:00 to 09:59: refused, with the pattern meant.
		const everyMinute = await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', cron: '* 9 * * *' } }).reply();
		expect(everyMinute).toMatchObject({ ephemeral: true, content: expect.stringContaining('falls due more than once an hour') });
		expect(everyMinute.content).toContain(`(at <t:${seconds('2026-05-04T07:00:00Z')}:T>, then at <t:${seconds('2026-05-04T07:01:00Z')}:T>)`);
		expect(everyMinute.content).toContain('write `0 9 * * *`');
		const set = await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', time: '09:00' } }).reply();
		expect(set.ephemeral).toBe(false);
		expect(set.content).toContain('every day at 09:00 (Europe/Paris)');
		expect(set.content).toContain(`<t:${seconds('2026-05-04T07:00:00Z')}:F>`);
		const show = await fake.runCommand({ ...server, user: reader, name: 'schedule', subcommand: 'show' }).reply();
		expect(show).toMatchObject({ ephemeral: true, content: expect.stringContaining(`<t:${seconds('2026-05-04T07:00:00Z')}:F>`) });

		// 09:00 in Paris is 07:00 UTC in May.
		await moveClock(clock, '2026-05-04T06:59:59.000Z', [world.bot]);
		expect(channel()).toEqual(['Scene 1 of 4']);
		await moveClock(clock, '2026-05-04T07:00:00.000Z', [world.bot]);
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 2 of 4'));
		await armedAt(world.bot, '2026-05-05T07:00:00.000Z');

		// "More now" with /next, which leaves the schedule where it was.
		expect((await fake.runCommand({ ...server, user: reader, name: 'next' }).reply()).content).toContain('Scene 3 of 4');
		const shown = await fake.runCommand({ ...server, user: reader, name: 'schedule', subcommand: 'show' }).reply();
		expect(shown.content).toContain(`<t:${seconds('2026-05-05T07:00:00Z')}:F>`);

		// Paused through Tuesday's slot: nothing posted; resumed: the next one is Wednesday's.
		expect((await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'pause' }).reply()).content).toContain('paused the schedule');
		await moveClock(clock, '2026-05-05T08:00:00.000Z', [world.bot]);
		expect(channel()).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		const resumed = await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'resume' }).reply();
		expect(resumed.content).toContain(`<t:${seconds('2026-05-06T07:00:00Z')}:F>`);

		// Down from Tuesday to Friday noon (Wednesday's, Thursday's and Friday's slots missed): one release on start.
		await world.bot.kill();
		await writeFile(clock, '2026-05-08T12:00:00.000Z');
		const bot = await world.restartBot();
		await armedAt(bot, '2026-05-09T07:00:00.000Z');
		expect(channel()).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4', 'Scene 4 of 4']);
		expect(bot.logs.filter((line) => line.event === 'scheduledRelease').map((line) => line.outcome)).toEqual(['posted']);

		// Saturday: the ending, then the schedule says once that it has ended, and stops.
		await moveClock(clock, '2026-05-09T07:00:00.000Z', [bot]);
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('schedule here has ended'));
		await moveClock(clock, '2026-05-12T07:00:00.000Z', [bot]);
		expect(channel()).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4', 'Scene 4 of 4', 'the end', 'schedule ended']);
		const after = await fake.runCommand({ ...server, user: reader, name: 'schedule', subcommand: 'show' }).reply();
		expect(after.content).toContain('has no schedule');
		expect(bot.errors()).toEqual([]);
	});
});

describe('two bot processes on one store, both on the test clock', () => {
	let fake: FakeDiscord | undefined;
	let bots: BotProcess[] = [];
	let dir: { path: string; remove(): Promise<void> } | undefined;
	afterEach(async () => {
		await Promise.all(bots.map((bot) => bot.stop()));
		await fake?.close();
		await dir?.remove();
		fake = dir = undefined;
		bots = [];
	});

	it('post each release once', async () => {
		fake = await startFakeDiscord({ everySession: true });
		dir = await tempDir();
		const clock = join(dir.path, 'now');
		await writeFile(clock, '2026-05-04T05:00:00.000Z');
		for (let i = 0; i < 2; i++) {
			const bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, keyvUrl: `sqlite://${dir.path}/store.sqlite`, env: { SFB_TEST_CLOCK_FILE: clock } });
			bots.push(bot);
			await bot.ready();
		}
		const guild = fake.addGuild({ botPermissions: READER_PERMISSIONS });
		for (const bot of bots) await bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guild.id);
		const here = { guildId: guild.id, channelId: guild.textChannelId };
		await fake.runCommand({ ...here, user: fake.user('ana'), name: 'read' }).reply();
		await fake.waitForMessage(here.channelId, (m) => m.content.includes('Scene 1 of 4'));
		const set = fake.runCommand({ ...here, user: fake.user('host'), memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'UTC', cron: '0 */6 * * *' } });
		expect((await set.reply()).content).toContain('cron expression');
		// Both processes watch it: the one that answered, and the one that saw the change was made.
		for (const bot of bots) await armedAt(bot, '2026-05-04T06:00:00.000Z');

		await moveClock(clock, '2026-05-04T06:00:00.000Z', bots);
		for (const bot of bots) await armedAt(bot, '2026-05-04T12:00:00.000Z');
		await moveClock(clock, '2026-05-04T12:00:00.000Z', bots);
		for (const bot of bots) await armedAt(bot, '2026-05-04T18:00:00.000Z');
		expect(labels(fake.messages(here.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		const outcomes = bots.flatMap((bot) => bot.logs.filter((line) => line.event === 'scheduledRelease').map((line) => line.outcome)).sort();
		expect(outcomes.filter((o) => o === 'posted')).toHaveLength(2);
		for (const bot of bots) expect(bot.errors()).toEqual([]);
	});
});

describe('a notice role (one bot, test clock)', () => {
	let clocked: ClockedWorld | undefined;
	afterEach(async () => {
		await clocked?.close();
		clocked = undefined;
	});

	it('is mentioned on each new part and nowhere else; Notify me gives and takes it, or says what an admin must do', async () => {
		clocked = await startClockedWorld(MONDAY_8_PARIS);
		const { world, clock } = clocked;
		const { fake } = world;
		const server = await world.newServer({ botPermissions: READER_PERMISSIONS | PermissionFlagsBits.ManageRoles });
		fake.setBotRolePosition(server.guildId, 3);
		const readers = fake.addRole(server.guildId, 'Readers', 2);
		await world.startReading(server);
		const host = fake.user('host');
		const reader = fake.user('reader');

		const set = await fake
			.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'UTC', time: '07:00', role: readers.id } })
			.reply();
		expect(set.content).toContain(`<@&${readers.id}> is mentioned when a new part is posted`);
		expect(set.components[0]?.components[0]).toMatchObject({ label: 'Notify me', custom_id: `notify:${readers.id}` });
		const titleCard = await fake.waitForMessage(server.channelId, (m) => m.components[0]?.components[0]?.custom_id === `notify:${readers.id}` && m.id !== set.id);

		const press = async () => (await fake.clickButton({ ...server, messageId: titleCard.id, customId: `notify:${readers.id}`, user: reader }).reply()).content;
		expect(await press()).toContain('You now have');
		expect(fake.memberRoles(server.guildId, reader.id)).toContain(readers.id);
		expect(await press()).toContain('You no longer have');
		expect(fake.memberRoles(server.guildId, reader.id)).not.toContain(readers.id);
		expect(await press()).toContain('You now have');

		// The release mentions the role, and only the role.
		await moveClock(clock, '2026-05-04T07:00:00.000Z', [world.bot]);
		const scene2 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 2 of 4'));
		expect(scene2.content.startsWith(`<@&${readers.id}> `)).toBe(true);
		expect(scene2).toMatchObject({ mention_roles: [readers.id], mentions: [], mention_everyone: false });
		// A /next posts a new part too: it mentions the role as well.
		const next = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		expect(next).toMatchObject({ mention_roles: [readers.id], mentions: [] });

		// What an admin must do when the bot may not give the role.
		fake.setBotRolePosition(server.guildId, 1);
		expect(await press()).toContain('above my highest role');
		fake.setBotPermissions(server.guildId, READER_PERMISSIONS);
		expect(await press()).toContain('Manage Roles');
		expect(fake.memberRoles(server.guildId, reader.id)).toContain(readers.id);

		// No other message pinged anyone: not the set answer naming the host and the role, not the title card, not the answers.
		const all = fake.messages(server.channelId);
		const pinging = all.filter((m) => m.mention_everyone || m.mentions.length > 0 || m.mention_roles.length > 0);
		expect(pinging.map((m) => m.id).sort()).toEqual([scene2.id, next.id].sort());
		// And none could have: every other payload allowed no mention at all.
		expect(new Set(all.filter((m) => m.id !== scene2.id && m.id !== next.id).map((m) => JSON.stringify(m.allowed_mentions)))).toEqual(new Set([JSON.stringify({ parse: [] })]));
		expect([scene2, next].map((m) => m.allowed_mentions)).toEqual([{ roles: [readers.id] }, { roles: [readers.id] }]);
	});

	it('Notify me on an older message no longer gives a role that is not the notice role any more (set again with another role, or cleared)', async () => {
		clocked = await startClockedWorld(MONDAY_8_PARIS);
		const { world } = clocked;
		const { fake } = world;
		const server = await world.newServer({ botPermissions: READER_PERMISSIONS | PermissionFlagsBits.ManageRoles });
		fake.setBotRolePosition(server.guildId, 4);
		const moderators = fake.addRole(server.guildId, 'Moderators', 3);
		const readers = fake.addRole(server.guildId, 'Readers', 2);
		await world.startReading(server);
		const host = fake.user('host');
		const reader = fake.user('reader');
		const set = (role: string) =>
			fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'UTC', time: '07:00', role } }).reply();
		const press = async (messageId: string, roleId: string) => (await fake.clickButton({ ...server, messageId, customId: `notify:${roleId}`, user: reader }).reply()).content;

		// The host picks the wrong role, then the right one: the first answer's button stays in the channel.
		const mistaken = await set(moderators.id);
		const corrected = await set(readers.id);
		expect(await press(mistaken.id, moderators.id)).toBe(`<@&${moderators.id}> is no longer the notice role of the schedule here, so this button no longer gives it. \`/schedule show\` says what is scheduled here.`);
		expect(fake.memberRoles(server.guildId, reader.id)).not.toContain(moderators.id);
		expect(await press(corrected.id, readers.id)).toContain('You now have');

		// Cleared: the button no longer gives the role, but still takes it back from whoever has it.
		await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'clear' }).reply();
		expect(await press(corrected.id, readers.id)).toContain('You no longer have');
		expect(await press(corrected.id, readers.id)).toContain('is no longer the notice role');
		expect(fake.memberRoles(server.guildId, reader.id)).not.toContain(readers.id);
		expect(fake.memberRoles(server.guildId, reader.id)).not.toContain(moderators.id);
	});
});
