import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { PROJECT_ROOT } from './harness.js';
import { startWorld, type World } from './world.js';

// Readings by place, with the real bot process: each channel or thread of a server holds its own
// reading; a reader's private reading lives in a DM with the bot, or in ephemeral answers where
// the bot is not in the server.

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const nextButtonOf = (message: FakeMessage) => message.components[0]?.components[0];
const sceneLabels = (messages: FakeMessage[]) => messages.flatMap((m) => /Scene \d+ of \d+/.exec(m.content) ?? []);
const feedbackText = (message: FakeMessage) => message.embeds.map((e) => `${e.title ?? ''}\n${e.description ?? ''}\n${e.footer?.text ?? ''}`).join('\n');

describe('two channels of one server', () => {
	it('read independently: their own Next buttons, /progress and /feedback', async () => {
		const { fake } = world;
		const guild = fake.addGuild({ channels: [{ name: 'club-a' }, { name: 'club-b' }], botPermissions: (await import('./world.js')).READER_PERMISSIONS });
		await world.bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guild.id);
		const [a, b] = guild.channels.map((channel) => ({ guildId: guild.id, channelId: channel.id }));
		await world.startReading(a!);
		await world.startReading(b!);
		const ana = fake.user('ana');

		// Two /next in A, one Next press in B: each channel moves on its own.
		for (let i = 0; i < 2; i++) await fake.runCommand({ ...a!, user: ana, name: 'next' }).reply();
		const bScene1 = fake.messages(b!.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		const bScene2 = await fake.clickButton({ ...b!, messageId: bScene1.id, customId: nextButtonOf(bScene1)!.custom_id!, user: ana }).reply();
		expect(bScene2.content).toContain('Scene 2 of 4');
		expect(sceneLabels(fake.messages(a!.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		expect(sceneLabels(fake.messages(b!.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4']);

		const progressA = await fake.runCommand({ ...a!, user: ana, name: 'progress' }).reply();
		expect(progressA.content).toContain(`is at scene 3 of 4 in <#${a!.channelId}>`);
		expect(nextButtonOf(progressA)?.custom_id).toBe('next:after-the-end:3');
		const progressB = await fake.runCommand({ ...b!, user: ana, name: 'progress' }).reply();
		expect(progressB.content).toContain(`is at scene 2 of 4 in <#${b!.channelId}>`);

		// A vote in A counts for A's reading; /feedback in B shows B's (none) and the server's total.
		const aScene1 = fake.messages(a!.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		const counted = world.bot.waitForLog((l) => l.msg === 'feedback recorded' && l.messageId === aScene1.id, 10_000, false);
		await fake.react({ ...a!, messageId: aScene1.id, user: ana, emoji: '🔥' });
		await counted;
		const feedbackA = await fake.runCommand({ ...a!, user: ana, name: 'feedback' }).reply();
		expect(feedbackA.embeds).toHaveLength(1); // the server's total is this channel's: shown once
		expect(feedbackText(feedbackA)).toMatch(/Scene 1[^\n]*🔥\s*1/u);
		const feedbackB = await fake.runCommand({ ...b!, user: ana, name: 'feedback' }).reply();
		expect(feedbackB.embeds).toHaveLength(2);
		expect(feedbackB.embeds[0]!.description).not.toMatch(/🔥/u);
		expect(feedbackB.embeds[1]!.title).toBe('Across this server (2 readings)');
		expect(feedbackB.embeds[1]!.description).toMatch(/Scene 1[^\n]*🔥\s*1/u);
		expect(world.bot.errors()).toEqual([]);
	});

	it('/progress where nothing is under way lists the server\'s readings with links', async () => {
		const { fake } = world;
		const guild = fake.addGuild({ channels: [{ name: 'reading' }, { name: 'chat' }], botPermissions: (await import('./world.js')).READER_PERMISSIONS });
		await world.bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guild.id);
		const [reading, chat] = guild.channels.map((channel) => ({ guildId: guild.id, channelId: channel.id }));
		await world.startReading(reading!);
		const reply = await fake.runCommand({ ...chat!, user: fake.user(), name: 'progress' }).reply();
		expect(reply.ephemeral).toBe(false);
		const scene1 = fake.messages(reading!.channelId).find((m) => m.content.includes('Scene 1 of 4'))!;
		expect(reply.content).toBe(
			'No reading is under way in this channel. Readings in this server:\n' +
				`- <#${reading!.channelId}>: **After The End** at scene 1 of 4 ([jump to it](https://discord.com/channels/${guild.id}/${reading!.channelId}/${scene1.id}))`,
		);
		// /next in the other channel does not move the first channel's reading.
		const next = await fake.runCommand({ ...chat!, user: fake.user(), name: 'next' }).reply();
		expect(next).toMatchObject({ ephemeral: true, content: 'There is no reading in this channel yet. Start one with `/read`.' });
		expect(sceneLabels(fake.messages(reading!.channelId))).toEqual(['Scene 1 of 4']);
	});
});

describe('private readings', () => {
	it('a DM reading and a server reading of the same story advance independently', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const reader = fake.user('solo');

		const title = await fake.runCommandInDM({ user: reader, name: 'read' }).reply();
		expect(title.ephemeral).toBe(false);
		expect(JSON.stringify(title.embeds)).toContain('After The End');
		const dm = title.channel_id;
		const scene1 = await fake.waitForMessage(dm, (m) => m.content.includes('Scene 1 of 4'));
		const scene2 = await fake.clickButton({ channelId: dm, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id!, user: reader }).reply();
		expect(scene2.content).toContain('Scene 2 of 4');
		const scene3 = await fake.runCommandInDM({ user: reader, name: 'next' }).reply();
		expect(scene3.content).toContain('Scene 3 of 4');
		expect(sceneLabels(fake.messages(dm, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		// No feedback emoji in a DM: the bot cannot hear reactions there.
		expect(fake.requests.some((r) => r.method === 'PUT' && r.path.startsWith(`/channels/${dm}/messages/`))).toBe(false);

		const progress = await fake.runCommandInDM({ user: reader, name: 'progress' }).reply();
		expect(progress.content).toContain('is at scene 3 of 4 in your private reading');
		// The server's reading stayed at scene 1.
		const serverProgress = await fake.runCommand({ ...server, user: fake.user(), name: 'progress' }).reply();
		expect(serverProgress.content).toContain('is at scene 1 of 4');
		expect(world.bot.errors()).toEqual([]);
	});

	it('a user-installed /read in a server the bot is not in gets a private reading, answered ephemerally', async () => {
		const { fake } = world;
		const reader = fake.user('traveller');
		const read = fake.runUserInstalledCommand({ user: reader, name: 'read' });
		const title = await read.reply();
		expect(title.ephemeral).toBe(true);
		expect(JSON.stringify(title.embeds)).toContain('After The End');
		const scene1 = await fake.waitForMessage(read.channelId, (m) => m.content.includes('Scene 1 of 4'));
		expect(scene1).toMatchObject({ ephemeral: true });
		expect(read.followUps().map((m) => m.id)).toContain(scene1.id);

		const scene2 = await fake.runUserInstalledCommand({ user: reader, name: 'next', guildId: read.guildId, channelId: read.channelId }).reply();
		expect(scene2).toMatchObject({ ephemeral: true });
		expect(scene2.content).toContain('Scene 2 of 4');
		// Its Next button works there too, and answers privately.
		const scene3 = await fake.clickButton({ channelId: read.channelId, messageId: scene2.id, customId: nextButtonOf(scene2)!.custom_id!, user: reader }).reply();
		expect(scene3).toMatchObject({ ephemeral: true });
		expect(scene3.content).toContain('Scene 3 of 4');
		// The same reading as in the reader's DM with the bot: it is the reader's own.
		const inDm = await fake.runCommandInDM({ user: reader, name: 'next' }).reply();
		expect(inDm.content).toContain('Scene 4 of 4');
		expect(fake.messages(read.channelId, { ephemeral: false })).toEqual([]);
		expect(world.bot.errors()).toEqual([]);
	});

	it('/progress and /feedback in a server the bot is not in say so, with the invite link', async () => {
		const { fake } = world;
		for (const name of ['progress', 'feedback']) {
			const reply = await fake.runUserInstalledCommand({ user: fake.user(), name }).reply();
			expect(reply.ephemeral).toBe(true);
			expect(reply.content).toContain("I'm not in this server");
			expect(reply.content).toContain(`https://discord.com/oauth2/authorize?client_id=${fake.applicationId}&scope=bot%20applications.commands&permissions=274877992000`);
			expect(reply.content).not.toContain('direct messages');
		}
	});
});

describe('registered commands', () => {
	it('carry integration_types and contexts on each, as the README says', () => {
		const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
		// The README's table: | `/read` | server (0), user (1) | servers (0), ... (1), ... (2) |
		const documented = new Map(
			[...readme.matchAll(/^\| `\/(\w+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((row) => [
				row[1],
				{ integration_types: [...row[2]!.matchAll(/\((\d)\)/g)].map((m) => Number(m[1])), contexts: [...row[3]!.matchAll(/\((\d)\)/g)].map((m) => Number(m[1])) },
			]),
		);
		const registered = world.fake.commands();
		expect(registered.map((command) => command.name).sort()).toEqual([...documented.keys()].sort());
		for (const command of registered) {
			expect({ name: command.name, integration_types: command.integration_types, contexts: command.contexts }).toEqual({ name: command.name, ...documented.get(command.name) });
		}
	});
});
