import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';
import { armedAt, moveClock } from './test-clock.js';
import { startWorld, type World } from './world.js';

// A story file with a mistake when the bot starts (a half-written draft saved before a deploy, a
// crash or a reboot): the bot starts and serves the other stories, says which file, line and why,
// and the readings of that story wait, told privately why, until the host fixes the file.

const HOST = PermissionFlagsBits.ManageGuild;
const MISTAKE = /did not load: its story file has a mistake\. The host must fix the file/;

let world: World | undefined;
let dir: { path: string; remove(): Promise<void> } | undefined;
let second: World | undefined;
let secondDir: { path: string; remove(): Promise<void> } | undefined;
afterAll(async () => {
	await world?.close();
	await dir?.remove();
	await second?.close();
	await secondDir?.remove();
});

describe('a story file with a mistake at start, among good ones', () => {
	it('starts, logs the file once with file:line, serves the good story, answers its readings privately, skips its releases, and goes on once it is fixed', async () => {
		dir = await tempDir('sfb-broken-at-start-');
		const clock = join(dir.path, 'now');
		const stories = join(dir.path, 'stories');
		await cp(resolve('test/fixtures/library'), stories, { recursive: true });
		await writeFile(clock, '2026-05-04T06:00:00.000Z'); // Monday, 08:00 in Paris
		world = await startWorld({ storyDir: stories, env: { SFB_TEST_CLOCK_FILE: clock } });
		const { fake } = world;
		const file = join(stories, 'orchard.md');
		const original = await readFile(file, 'utf8');

		// A reading of the orchard story, on a daily schedule, while its file is good.
		const server = await world.newServer();
		const host = fake.user('host');
		const reader = fake.user('ana');
		const read = fake.runCommand({ ...server, user: host, name: 'read', options: { story: 'orchard' } });
		await read.reply();
		const scene1 = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 3'));
		await world.served(read);
		await fake.runCommand({ ...server, user: host, memberPermissions: HOST, name: 'schedule', subcommand: 'set', options: { timezone: 'Europe/Paris', time: '09:00' } }).reply();

		// The bot stops; the host saves a half-finished edit; the bot starts again.
		await world.bot.stop();
		await writeFile(file, original.replace('# Scene: Autumn', '# Sceen: Autumn'));
		const bot = await world.restartBot();
		const refusals = bot.logs.filter((line) => line.event === 'storyRefused');
		expect(refusals).toHaveLength(1);
		expect(refusals[0]!.level).toBe(40);
		expect(refusals[0]!.msg).toContain(`${file}:14: unknown heading "# Sceen: Autumn"`);
		expect(bot.logs.find((line) => line.event === 'ready')?.stories).toEqual(['lantern', 'tide-tables']);
		await armedAt(bot, '2026-05-04T07:00:00.000Z');
		const publicCount = () => fake.messages(server.channelId, { ephemeral: false }).length;
		const before = publicCount();

		// Every way into the reading (/next, its Next button, /progress, /catchup, /read, /feedback, /schedule show) answers privately that the file has a mistake, nothing posted.
		const answers = [
			await fake.runCommand({ ...server, user: reader, name: 'next' }).reply(),
			await fake.clickButton({ ...server, user: reader, messageId: scene1.id, customId: 'next:orchard:1' }).reply(),
			await fake.runCommand({ ...server, user: reader, name: 'progress' }).reply(),
			await fake.runCommand({ ...server, user: reader, name: 'catchup' }).reply(),
			await fake.runCommand({ ...server, user: reader, name: 'read', options: { story: 'orchard' } }).reply(),
			await fake.runCommand({ ...server, user: reader, name: 'feedback' }).reply(),
			await fake.runCommand({ ...server, user: reader, name: 'schedule', subcommand: 'show' }).reply(),
		];
		for (const answer of answers) {
			expect(answer.ephemeral).toBe(true);
			expect(answer.content).toMatch(MISTAKE);
			expect(answer.content).toContain('`orchard`');
		}
		expect(publicCount()).toBe(before);

		// The good story reads elsewhere.
		const other = await world.newServer();
		const lantern = fake.runCommand({ ...other, user: reader, name: 'read', options: { story: 'lantern' } });
		expect(JSON.stringify((await lantern.reply()).embeds)).toContain('The Lantern Bearer');
		await fake.waitForMessage(other.channelId, (m) => m.content.includes('Scene 1 of 2'));
		await world.served(lantern);

		// Monday's release passes with a warning naming the file; the schedule waits for Tuesday's.
		await moveClock(clock, '2026-05-04T07:00:00.000Z', bot);
		const passed = await bot.waitForLog((line) => line.event === 'scheduledReleaseNoStory');
		expect(passed).toMatchObject({ level: 40, storyId: 'orchard', file });
		expect(passed.msg).toContain('has a mistake');
		await armedAt(bot, '2026-05-05T07:00:00.000Z');
		expect(publicCount()).toBe(before);

		// Fixed: the watcher loads it, and the reading goes on where it was.
		const reloaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
		await writeFile(file, original);
		await reloaded;
		const next = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		expect(next.ephemeral).toBe(false);
		expect(next.content).toContain('Scene 2 of 3');
		expect(next.embeds[0]?.description).toBe('The second letter smelled of cut grass.');
		// And the schedule posts again at its next release.
		await moveClock(clock, '2026-05-05T07:00:00.000Z', bot);
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 3 of 3'));
		expect(bot.logs.filter((line) => line.event === 'storyRefused')).toHaveLength(1);
		expect(bot.errors()).toEqual([]);
	});
});

describe('two story files with one id at start', () => {
	it('starts with the first, logs the second with file:line, and loads the second once the first is removed', async () => {
		secondDir = await tempDir('sfb-duplicate-at-start-');
		await cp(resolve('test/fixtures/library'), secondDir.path, { recursive: true });
		const copy = join(secondDir.path, 'z-orchard.md');
		const original = await readFile(join(secondDir.path, 'orchard.md'), 'utf8');
		await writeFile(copy, original.replace('title: Letters from the Orchard', 'id: orchard\ntitle: Letters from the Orchard, Second Draft'));
		second = await startWorld({ storyDir: secondDir.path });
		const { fake, bot } = second;
		const refusals = bot.logs.filter((line) => line.event === 'storyRefused');
		expect(refusals.map((line) => [line.level, line.file])).toEqual([[40, copy]]);
		expect(refusals[0]!.msg).toContain(`${copy}:2: duplicate story id "orchard" (also used by ${join(secondDir.path, 'orchard.md')}`);
		// The story is served from the other file, so its readings go on: the line does not say they answer "a mistake".
		expect(refusals[0]!.msg).toContain('"orchard" from the file that holds that id');
		expect(refusals[0]!.msg).not.toContain('answer that its file has a mistake');

		// "Save as" under a new name, then the old file deleted: the new one is served under the id.
		const loaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === copy, 15_000, false);
		await rm(join(secondDir.path, 'orchard.md'));
		await loaded;
		const server = await second.newServer();
		const read = fake.runCommand({ ...server, user: fake.user(), name: 'read', options: { story: 'orchard' } });
		expect(JSON.stringify((await read.reply()).embeds)).toContain('Second Draft');
		await second.served(read);
		expect(bot.errors()).toEqual([]);
	});
});
