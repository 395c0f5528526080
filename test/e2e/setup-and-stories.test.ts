import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../fake-discord/index.js';
import { tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

// What a server admin does once (register the commands, name a reader-host role) and what a
// reader sees when the bot has more than one story.

describe('a bot with two stories and a reader-host role', () => {
	let world: World;
	const hostRole = '223456789012345678';
	beforeAll(async () => {
		// DEFAULT_STORY: with two stories, /read without `story:` would otherwise ask which (test/e2e/library.test.ts).
		world = await startWorld({ storyDir: resolve('test/fixtures/stories/good'), env: { READER_HOST_ROLE_ID: hostRole, DEFAULT_STORY: 'first' } });
	});
	afterAll(async () => {
		await world?.close();
	});

	it('/read offers the stories as the reader types, and reads the one picked', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const choices = await fake.autocomplete({ ...server, user: fake.user(), name: 'read', focused: 'story', value: 'sec' });
		expect(choices).toEqual([{ name: expect.stringMatching(/^The Second Story by /), value: 'b-second' }]);
		const all = await fake.autocomplete({ ...server, user: fake.user(), name: 'read', focused: 'story', value: '' });
		expect(all.map((c) => c.value)).toEqual(['first', 'b-second']);

		await fake.runCommand({ ...server, user: fake.user(), name: 'read', options: { story: 'b-second' } }).reply();
		const scene = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of'));
		expect(scene.content).toContain('The Second Story');

		const unknown = await fake.runCommand({ ...server, user: fake.user(), name: 'read', options: { story: 'nope' } }).reply();
		expect(unknown.ephemeral).toBe(true);
	});

	it('a member with the reader-host role may restart a reading; others may not', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const refused = await fake.runCommand({ ...server, user: fake.user(), name: 'read', options: { restart: true } }).reply();
		expect(refused.content).toContain(`Manage Server permission or the <@&${hostRole}> role`);
		const host = await fake.runCommand({ ...server, user: fake.user('host'), roles: [hostRole], name: 'read', options: { restart: true } }).reply();
		expect(host.ephemeral).toBe(false);
		expect(JSON.stringify(host.embeds)).toContain('The First Story');
	});
});

describe('npm run deploy', () => {
	it('registers every command to DEV_GUILD_ID and says so in one line', async () => {
		const fake = await startFakeDiscord();
		const dir = await tempDir();
		try {
			const guild = fake.addGuild({});
			const child = spawn(process.execPath, [join(resolve('dist/src/deploy.js'))], {
				cwd: dir.path,
				env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl, DEV_GUILD_ID: guild.id },
			});
			let stdout = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
			const code = await new Promise<number | null>((done) => child.once('exit', done));
			expect(code).toBe(0);
			expect(stdout.trim()).toMatch(new RegExp(`^Registered 8 slash commands for .+ \\(guild ${guild.id}\\)\\.$`));
			expect(fake.commands(guild.id).map((c: { name: string }) => c.name).sort()).toEqual(['catchup', 'discussion', 'feedback', 'library', 'next', 'progress', 'read', 'schedule']);
			expect(fake.commands()).toEqual([]);
		} finally {
			await fake.close();
			await dir.remove();
		}
	});
});
