import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
