import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// Reading club, the parts without a clock: /catchup (a latecomer reads what was posted so far,
// privately, one part per answer, while the channel and the reading stay as they were) and a
// discussion thread under each new part.

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world.close();
});

const snapshot = (messages: FakeMessage[]) => messages.map((m) => ({ id: m.id, content: m.content, embeds: m.embeds, components: m.components }));

describe('/catchup', () => {
	it('shows the posted parts privately, one per More, and leaves the channel and the reading as they were', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const ana = fake.user('ana');
		const late = fake.user('late');
		const nothingYet = await fake.runCommand({ ...server, user: late, name: 'catchup' }).reply();
		expect(nothingYet).toMatchObject({ ephemeral: true, content: expect.stringContaining('no reading in this channel') });
		await world.startReading(server);
		await fake.runCommand({ ...server, user: ana, name: 'next' }).reply();
		await fake.runCommand({ ...server, user: ana, name: 'next' }).reply();
		const transcript = snapshot(fake.messages(server.channelId, { ephemeral: false }));

		const first = fake.runCommand({ ...server, user: late, name: 'catchup' });
		const scene1 = await first.reply();
		expect(scene1).toMatchObject({ ephemeral: true, content: expect.stringContaining('Scene 1 of 4') });
		expect(scene1.embeds[0]?.description).toBe(transcript.find((m) => m.content.includes('Scene 1 of 4'))?.embeds[0]?.description);
		const more = (message: FakeMessage) => message.components[0]?.components[0];
		expect(more(scene1)).toMatchObject({ label: 'More: scene 2 of 4' });

		const second = fake.clickButton({ ...server, messageId: scene1.id, customId: more(scene1)!.custom_id!, user: late });
		const scene2 = await second.reply();
		expect(scene2).toMatchObject({ ephemeral: true, content: expect.stringContaining('Scene 2 of 4') });
		const third = fake.clickButton({ ...server, messageId: scene2.id, customId: more(scene2)!.custom_id!, user: late });
		const scene3 = await third.reply();
		expect(scene3).toMatchObject({ ephemeral: true, content: expect.stringContaining('Scene 3 of 4') });
		expect(scene3.components).toEqual([]);
		await world.served(third);
		expect(third.followUps().at(-1)).toMatchObject({ ephemeral: true, content: expect.stringContaining("You're caught up") });

		const fromThree = await fake.runCommand({ ...server, user: late, name: 'catchup', options: { from: 3 } }).reply();
		expect(fromThree.content).toContain('Scene 3 of 4');
		const tooFar = await fake.runCommand({ ...server, user: late, name: 'catchup', options: { from: 4 } }).reply();
		expect(tooFar).toMatchObject({ ephemeral: true, content: expect.stringContaining('Only 3 parts are posted so far') });

		// Nothing new in the channel, nothing changed there; the reading is where it was.
		expect(snapshot(fake.messages(server.channelId, { ephemeral: false }))).toEqual(transcript);
		expect((await fake.runCommand({ ...server, user: ana, name: 'next' }).reply()).content).toContain('Scene 4 of 4');
	});
});

describe('/discussion', () => {
	it('starts a public thread under each new part, named after it and archived after the chosen time, until it is turned off', async () => {
		const { fake } = world;
		const server = await world.newServer({ botPermissions: READER_PERMISSIONS | PermissionFlagsBits.CreatePublicThreads });
		await world.startReading(server);
		const reader = fake.user('reader');
		const host = fake.user('host');
		const refused = await fake.runCommand({ ...server, user: reader, name: 'discussion', options: { threads: 4320 } }).reply();
		expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining('Only members with the Manage Server permission') });
		const on = await fake.runCommand({ ...server, user: host, memberPermissions: PermissionFlagsBits.ManageGuild, name: 'discussion', options: { threads: 4320 } }).reply();
		expect(on.content).toContain('archived after 3 days');

		const threadOf = (messageId: string) => fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${server.channelId}/messages/${messageId}/threads`);
		const scene2 = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		await threadOf(scene2.id);
		const scene3 = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		await threadOf(scene3.id);
		expect(fake.threads(server.guildId)).toEqual([
			{ id: scene2.id, name: 'After The End · scene 2 of 4', parentId: server.channelId, autoArchiveDuration: 4320, ownerId: expect.any(String) },
			{ id: scene3.id, name: 'After The End · scene 3 of 4', parentId: server.channelId, autoArchiveDuration: 4320, ownerId: expect.any(String) },
		]);

		await fake.runCommand({ ...server, user: host, memberPermissions: PermissionFlagsBits.ManageGuild, name: 'discussion', options: { threads: 0 } }).reply();
		const scene4 = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		// The thread would be asked for before the last feedback emoji is added under the part.
		await fake.waitForRequest((r) => r.method === 'PUT' && r.path.startsWith(`/channels/${server.channelId}/messages/${scene4.id}/reactions/👏`));
		expect(fake.threads(server.guildId)).toHaveLength(2);
	});

	it('is refused, in words and privately, where no thread could be started: a reading in a thread, a bot without Create Public Threads', async () => {
		const { fake } = world;
		const host = fake.user('host');
		const turnOn = (where: { guildId: string; channelId: string }) =>
			fake.runCommand({ ...where, user: host, memberPermissions: PermissionFlagsBits.ManageGuild, name: 'discussion', options: { threads: 1440 } }).reply();

		const withoutPermission = await world.newServer();
		await world.startReading(withoutPermission);
		const refused = await turnOn(withoutPermission);
		expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining('I need the Create Public Threads permission in this channel') });

		const server = await world.newServer({ botPermissions: READER_PERMISSIONS | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.CreatePublicThreads });
		const threadId = fake.addThread(server.guildId, server.channelId, { name: 'book-club' });
		const inThread = { guildId: server.guildId, channelId: threadId };
		await world.startReading(inThread);
		const nested = await turnOn(inThread);
		expect(nested).toMatchObject({ ephemeral: true, content: expect.stringContaining('Discord has no threads inside threads') });
		// Nothing was announced in either place.
		expect(fake.messages(withoutPermission.channelId, { ephemeral: false }).some((m) => m.content.includes('discussion threads'))).toBe(false);
		expect(fake.messages(threadId, { ephemeral: false }).some((m) => m.content.includes('discussion threads'))).toBe(false);
	});
});
