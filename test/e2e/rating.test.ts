import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// A story rated Mature is read only in an age-restricted channel (or privately): /read elsewhere
// is refused privately, in words, and nothing is posted.

let world: World;
beforeAll(async () => {
	world = await startWorld({ storyDir: resolve('test/fixtures/rated') });
});
afterAll(async () => {
	await world?.close();
});

describe('a Mature story', () => {
	it('is refused in an ordinary channel and read in an age-restricted one', async () => {
		const { fake } = world;
		const guild = fake.addGuild({ channels: [{ type: 0 }, { type: 0, nsfw: true }], botPermissions: READER_PERMISSIONS });
		await world.bot.waitForLog((l) => l.event === 'guildCreate' && l.guildId === guild.id);
		const [ordinary, restricted] = guild.channels.map((c) => c.id) as [string, string];

		const refused = fake.runCommand({ guildId: guild.id, channelId: ordinary, user: fake.user(), name: 'read' });
		const answer = await refused.reply();
		await world.served(refused);
		expect(answer.ephemeral).toBe(true);
		expect(answer.content).toContain('rated Mature');
		expect(answer.content).toContain('Age-Restricted');
		expect(fake.messages(ordinary).filter((m) => !m.ephemeral)).toHaveLength(0);

		const read = fake.runCommand({ guildId: guild.id, channelId: restricted, user: fake.user(), name: 'read' });
		await fake.waitForMessage(restricted, (m) => JSON.stringify(m.embeds).includes('The lamp had been dark'));
		await world.served(read);
	});
});

describe('a story whose rating changes to Mature while a reading of it is under way', () => {
	it('is not posted further in an ordinary channel: /next says why, privately, and posts nothing', async () => {
		const dir = await tempDir('sfb-rating-');
		const file = join(dir.path, 'the-lighthouse-keeper.md');
		await copyFile(resolve('test/fixtures/rated/the-lighthouse-keeper.md'), file);
		const original = await readFile(file, 'utf8');
		await writeFile(file, original.replace('rating: Mature', 'rating: Teen And Up Audiences'));
		const running = await startWorld({ storyDir: dir.path });
		try {
			const { fake, bot } = running;
			const server = await running.newServer();
			const reader = fake.user('ana');
			await running.startReading(server);

			// The author rates it Mature; the bot picks the edit up while it runs.
			const reloaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
			await writeFile(file, original);
			await reloaded;
			const before = fake.messages(server.channelId, { ephemeral: false }).length;
			const next = fake.runCommand({ ...server, user: reader, name: 'next' });
			const answer = await next.reply();
			await running.served(next);
			expect(answer.ephemeral).toBe(true);
			expect(answer.content).toContain('rated Mature');
			expect(answer.content).toContain('Age-Restricted');
			expect(fake.messages(server.channelId, { ephemeral: false })).toHaveLength(before);
			expect(bot.errors()).toEqual([]);
		} finally {
			await running.close();
			await dir.remove();
		}
	});
});
