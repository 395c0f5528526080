import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// Readings in threads, with the real bot process: Discord gives a thread its parent's permissions
// but asks for Send Messages in Threads there, and syncs only active threads when the bot connects,
// so a thread archived while the bot was away is one it has to fetch.

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

/** What a server admin grants for readings in threads. */
const THREAD_READER_PERMISSIONS = READER_PERMISSIONS | PermissionFlagsBits.SendMessagesInThreads;

const nextButtonOf = (message: FakeMessage) => message.components[0]?.components[0];

/** A new server whose text channel has an active thread, known to the running bot. */
async function serverWithThread(botPermissions = THREAD_READER_PERMISSIONS) {
	const server = await world.newServer({ botPermissions });
	const threadId = world.fake.addThread(server.guildId, server.channelId, { name: 'book-club' });
	return { ...server, threadId };
}

/**
 * /read in the thread, resolved once scene 1 is saved and the last of its feedback emoji is under it
 * (so archiving the thread next cannot race the bot's own reactions).
 */
async function readInThread(server: { guildId: string; threadId: string }) {
	await world.startReading({ guildId: server.guildId, channelId: server.threadId });
	const scene1 = world.fake.messages(server.threadId).find((m) => m.content.includes('Scene 1 of 4'))!;
	await world.fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(scene1.id) && r.path.includes('👏'), { includePast: true });
}

/** The scenes posted in a channel, by their "Scene n of 4" label. */
const sceneLabels = (messages: FakeMessage[]) => messages.flatMap((m) => /Scene \d+ of \d+/.exec(m.content) ?? []);

describe('a reading in a thread', () => {
	it('/read in a thread posts the title card and scene 1 there, and /next there posts scene 2 there', async () => {
		const { fake } = world;
		const { guildId, channelId, threadId } = await serverWithThread();
		const ana = fake.user('ana');

		const read = fake.runCommand({ guildId, channelId: threadId, user: ana, name: 'read' });
		const titleCard = await read.reply();
		expect(titleCard).toMatchObject({ channel_id: threadId, ephemeral: false });
		expect(JSON.stringify(titleCard.embeds)).toContain('After The End');
		const scene1 = await fake.waitForMessage(threadId, (m) => m.content.includes('Scene 1 of 4'));
		expect(nextButtonOf(scene1)?.label).toBe('Next: scene 2 of 4');
		await world.served(read);
		// The feedback emoji go under the scene in the thread too.
		const emoji = await fake.waitForRequest((r) => r.method === 'PUT' && r.path.startsWith(`/channels/${threadId}/messages/${scene1.id}/reactions/`), { includePast: true });
		expect(emoji.status).toBe(204);

		const next = fake.runCommand({ guildId, channelId: threadId, user: ana, name: 'next' });
		const scene2 = await next.reply();
		expect(scene2).toMatchObject({ channel_id: threadId, ephemeral: false });
		expect(scene2.content).toContain('Scene 2 of 4');
		expect(nextButtonOf(scene2)?.label).toBe('Next: scene 3 of 4');
		await world.served(next); // saved: another channel's /progress reads the thread's reading without its lock

		expect(sceneLabels(fake.messages(threadId))).toEqual(['Scene 1 of 4', 'Scene 2 of 4']);
		expect(fake.messages(threadId).every((m) => !m.ephemeral)).toBe(true);
		expect(fake.messages(channelId)).toEqual([]); // the parent channel saw nothing, not even a private answer

		// The parent channel has no reading of its own: /progress there lists the server's, the thread's among them.
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('No reading is under way in this channel. Readings in this server:');
		expect(progress.content).toContain(`<#${threadId}>: **After The End** at scene 2 of 4`);
		expect(progress.content).toContain(`https://discord.com/channels/${guildId}/${threadId}/${scene2.id}`);

		// A reader's feedback on a scene in the thread is counted, and /feedback there shows it.
		const counted = world.bot.waitForLog((l) => l.msg === 'feedback recorded' && l.userId === ana.id, 10_000, false);
		await fake.react({ guildId, channelId: threadId, messageId: scene1.id, user: ana, emoji: '❤️' });
		await counted;
		const feedback = await fake.runCommand({ guildId, channelId: threadId, user: ana, name: 'feedback' }).reply();
		expect(feedback.channel_id).toBe(threadId);
		const scene1Line = feedback.embeds.map((e) => e.description ?? '').join('\n').split('\n').find((line) => line.includes('Scene 1'));
		expect(scene1Line).toMatch(/❤️\s*1\b/u);
		expect(world.bot.errors()).toEqual([]);
	});

	it('a thread that archived itself between scenes: the parent channel has its own (no) reading; once unarchived, /next in the thread goes on', async () => {
		const { fake } = world;
		const { guildId, channelId, threadId } = await serverWithThread();
		await readInThread({ guildId, threadId });
		fake.archiveThread(threadId); // Discord's auto-archive after a day without messages

		const fromParent = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(fromParent.ephemeral).toBe(true);
		expect(fromParent.content).toBe('There is no reading in this channel yet. Start one with `/read`.');
		expect(sceneLabels(fake.messages(threadId))).toEqual(['Scene 1 of 4']);
		fake.unarchiveThread(threadId); // a reader's message in it does this
		const scene2 = await fake.runCommand({ guildId, channelId: threadId, user: fake.user(), name: 'next' }).reply();
		expect(scene2.content).toContain('Scene 2 of 4');
		expect(fake.messages(channelId, { ephemeral: false })).toEqual([]);
	});

	it('without Send Messages in Threads (Send Messages does not count there), /read is refused privately and nothing is posted', async () => {
		const { fake } = world;
		const { guildId, channelId, threadId } = await serverWithThread(READER_PERMISSIONS);
		const reply = await fake.runCommand({ guildId, channelId: threadId, user: fake.user(), name: 'read' }).reply();
		expect(reply).toMatchObject({ channel_id: threadId, ephemeral: true });
		expect(reply.content).toContain(`I can't post the reading in <#${threadId}>: I'm missing Send Messages in Threads there.`);
		expect(fake.messages(threadId, { ephemeral: false })).toEqual([]);
		expect(fake.messages(channelId)).toEqual([]);

		// Send Messages in Threads without Send Messages is all a thread needs.
		const threadOnly = await serverWithThread(THREAD_READER_PERMISSIONS & ~PermissionFlagsBits.SendMessages);
		const read = fake.runCommand({ ...threadOnly, channelId: threadOnly.threadId, user: fake.user(), name: 'read' });
		expect((await read.reply()).ephemeral).toBe(false);
		await fake.waitForMessage(threadOnly.threadId, (m) => m.content.includes('Scene 1 of 4'));
	});
});

describe('a reading in a thread that was archived while the bot was away', () => {
	it('after a restart, once a reader has unarchived the thread, /next and the Next button in the thread post there', async () => {
		const { fake } = world;
		const { guildId, channelId, threadId } = await serverWithThread();
		await readInThread({ guildId, threadId });

		await world.bot.stop();
		fake.archiveThread(threadId);
		await world.restartBot();
		fake.unarchiveThread(threadId); // a reader's message in it does this; the bot gets THREAD_UPDATE

		const scene2 = await fake.runCommand({ guildId, channelId: threadId, user: fake.user(), name: 'next' }).reply();
		expect(scene2).toMatchObject({ channel_id: threadId, ephemeral: false });
		expect(scene2.content).toContain('Scene 2 of 4');

		const scene3 = await fake.clickButton({ guildId, channelId: threadId, messageId: scene2.id, customId: nextButtonOf(scene2)!.custom_id!, user: fake.user() }).reply();
		expect(scene3).toMatchObject({ channel_id: threadId, ephemeral: false });
		expect(scene3.content).toContain('Scene 3 of 4');
		expect(sceneLabels(fake.messages(threadId))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		expect(fake.messages(channelId)).toEqual([]);
		expect(world.bot.errors()).toEqual([]);
	});

	it('no request went to a route the fake does not know, and the fake never crashed', () => {
		expect(world.fake.unknownRequests()).toEqual([]);
		expect(world.fake.internalErrors).toEqual([]);
	});
});

describe('a reading in a thread a moderator locked', () => {
	it('the reading stays where it was, and the parent channel lists it', async () => {
		const { fake } = world;
		const { guildId, channelId, threadId } = await serverWithThread();
		await readInThread({ guildId, threadId });
		fake.archiveThread(threadId, { locked: true }); // without Manage Threads the bot may not post there

		const answer = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(answer.ephemeral).toBe(true);
		expect(sceneLabels(fake.messages(threadId))).toEqual(['Scene 1 of 4']);
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain(`<#${threadId}>: **After The End** at scene 1 of 4`);
		expect(world.bot.errors()).toEqual([]);
	});

	it("a thread locked without the bot hearing of it: Discord's refusal (160005) is explained, not reported as a fault", async () => {
		const { fake } = world;
		const { guildId, threadId } = await serverWithThread();
		await readInThread({ guildId, threadId });
		// Discord refuses the scene posted as the interaction's answer in the thread.
		fake.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 403, code: 160005 });
		const errorsBefore = world.bot.errors().length;

		const refused = await fake.runCommand({ guildId, channelId: threadId, user: fake.user(), name: 'next' }).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.content).toContain('this thread is locked or archived');
		expect(sceneLabels(fake.messages(threadId))).toEqual(['Scene 1 of 4']);
		expect(world.bot.errors()).toHaveLength(errorsBefore);
		// The claim was given back: once Discord takes posts again, /next posts scene 2.
		const scene2 = await fake.runCommand({ guildId, channelId: threadId, user: fake.user(), name: 'next' }).reply();
		expect(scene2.content).toContain('Scene 2 of 4');
	});
});
