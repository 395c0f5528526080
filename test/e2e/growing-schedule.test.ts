import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';
import { armedAt, moveClock } from './test-clock.js';
import { startWorld, type World } from './world.js';

// A schedule on a story still being written (issue 11, item 6), on the test clock
// (SFB_TEST_CLOCK_FILE, see test-clock.ts): a release that falls due while the story waits for
// its next chapter posts nothing and says nothing; once the chapter is there, the next release posts it.

const FIXTURES = resolve('test/fixtures/growing');
const HOST = PermissionFlagsBits.ManageGuild;

let world: World | undefined;
let dir: { path: string; remove(): Promise<void> } | undefined;
afterAll(async () => {
	await world?.close();
	await dir?.remove();
});

describe('a scheduled reading of a story still being written', () => {
	it('passes a release silently while the next chapter is not out, and posts it at the first release after it is', async () => {
		dir = await tempDir('sfb-growing-schedule-');
		const clock = join(dir.path, 'now');
		const stories = join(dir.path, 'stories');
		await cp(join(FIXTURES, 'in-progress'), stories, { recursive: true });
		await writeFile(clock, '2026-05-04T06:00:00.000Z'); // Monday, 08:00 in Paris
		world = await startWorld({ storyDir: stories, env: { SFB_TEST_CLOCK_FILE: clock } });
		const { fake } = world;
		const server = await world.newServer();
		const host = fake.user('host');
		const read = fake.runCommand({ ...server, user: host, name: 'read', options: { story: 'lantern' } });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('The Gate'));
		await world.served(read);
		const set = await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', time: '09:00' } }).reply();
		expect(set.ephemeral).toBe(false);
		const publicCount = () => fake.messages(server.channelId, { ephemeral: false }).length;

		// Monday's release: chapter 2, the newest, then "to be continued".
		await moveClock(clock, '2026-05-04T07:00:00.000Z', world.bot);
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('To be continued'));
		expect(fake.messages(server.channelId).some((m) => m.content.includes('The Ferry'))).toBe(true);
		await armedAt(world.bot, '2026-05-05T07:00:00.000Z');

		// Tuesday's release: nothing posted, nothing said; the schedule waits for Wednesday's.
		const before = publicCount();
		await moveClock(clock, '2026-05-05T07:00:00.000Z', world.bot);
		const waited = await world.bot.waitForLog((line) => line.event === 'scheduledReleaseWaits');
		expect(waited).toMatchObject({ level: 30, storyId: 'lantern' }); // info
		await armedAt(world.bot, '2026-05-06T07:00:00.000Z');
		expect(publicCount()).toBe(before);

		// The author adds chapter 3; the bot picks it up at its next start. Wednesday's release posts it.
		await world.bot.stop();
		await appendFile(join(stories, 'lantern.md'), await readFile(join(FIXTURES, 'additions', 'lantern.chapter-3.added'), 'utf8'));
		const bot = await world.restartBot();
		await armedAt(bot, '2026-05-06T07:00:00.000Z');
		expect(publicCount()).toBe(before);
		await moveClock(clock, '2026-05-06T07:00:00.000Z', bot);
		const chapter3 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('The Far Bank'));
		expect(chapter3.content).toContain('Chapter 3');
		// Still being written: the schedule goes on (no "schedule has ended").
		await armedAt(bot, '2026-05-07T07:00:00.000Z');
		expect(fake.messages(server.channelId).some((m) => m.content.includes('schedule here has ended'))).toBe(false);
		expect(bot.errors()).toEqual([]);
	});
});
