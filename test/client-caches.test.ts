import { once } from 'node:events';
import { Client, Events, PermissionFlagsBits, type Interaction, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOptions } from '../src/bot.js';
import { readEnv } from '../src/env.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';

// Memory per server is what limits a bot in many servers, so what the client keeps of each one is
// checked against real GUILD_CREATE and INTERACTION_CREATE payloads from the fake.

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
	await client?.destroy();
	await fake?.close();
	client = undefined;
	fake = undefined;
});

async function loginWithBotOptions(discord: FakeDiscord): Promise<Client> {
	const env = readEnv({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restUrl, LOG_FORMAT: 'json' });
	const started = new Client(clientOptions(env));
	const ready = once(started, Events.ClientReady);
	await started.login(discord.token);
	await ready;
	return started;
}

describe("the bot's client caches", () => {
	it('keep channels, roles and its own member in each server, and nothing of emojis or readers', async () => {
		fake = await startFakeDiscord();
		const first = fake.addGuild({ emojis: ['wave', 'tea', 'moon'] });
		const second = fake.addGuild({ emojis: ['sun'] });
		client = await loginWithBotOptions(fake);
		const [guildA, guildB] = [client.guilds.cache.get(first.id)!, client.guilds.cache.get(second.id)!];

		// What permission checks need is there, per server.
		const me = guildA.members.me!;
		expect(me.id).toBe(client.user!.id);
		expect(guildB.members.me?.id).toBe(client.user!.id);
		expect(guildA.members.cache).not.toBe(guildB.members.cache);
		expect(guildA.roles.cache.size).toBe(2);
		const channel = guildA.channels.cache.get(first.textChannelId)!;
		expect(channel.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(true);

		// Caches limited to nothing hold nothing, and are one collection however many servers there are.
		expect(guildA.emojis.cache.size).toBe(0);
		expect(guildB.emojis.cache.size).toBe(0);
		expect(guildA.emojis.cache).toBe(guildB.emojis.cache);
		expect(guildA.stickers.cache).toBe(guildB.presences.cache);

		// A reader who uses a command is not kept.
		const reader = fake.user('reader');
		const received = new Promise<Interaction>((resolve) => client!.once(Events.InteractionCreate, resolve));
		const handle = fake.runCommand({ guildId: first.id, channelId: first.textChannelId, user: reader, name: 'progress' });
		const interaction = await received;
		expect(interaction.user.id).toBe(reader.id);
		if (interaction.isRepliable()) await interaction.reply({ content: 'ok' });
		await handle.acknowledged;
		expect([...guildA.members.cache.keys()]).toEqual([client.user!.id]);
		expect(client.users.cache.has(reader.id)).toBe(false);
	});

	it("keep threads in the client's, the server's and the parent's channels, with the parent's permissions", async () => {
		fake = await startFakeDiscord();
		const server = fake.addGuild({ botPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessagesInThreads });
		const synced = fake.addThread(server.id, server.textChannelId, { name: 'book-club' });
		client = await loginWithBotOptions(fake);
		const created = once(client, Events.ThreadCreate);
		const later = fake.addThread(server.id, server.textChannelId, { name: 'second-book' });
		await created;

		const guild = client.guilds.cache.get(server.id)!;
		const parent = guild.channels.cache.get(server.textChannelId) as TextChannel;
		for (const id of [synced, later]) {
			const thread = client.channels.cache.get(id);
			expect(thread?.isThread() && thread.parentId).toBe(server.textChannelId);
			expect(guild.channels.cache.get(id)).toBe(thread);
			// Permissions go through the parent, so they work without the parent's thread list.
			expect(thread?.isThread() && thread.permissionsFor(guild.members.me!)?.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(true);
		}
		// discord.js tidies threads through their parent's list (parent deleted, THREAD_LIST_SYNC), so it is kept.
		expect([...parent.threads.cache.keys()].sort()).toEqual([synced, later].sort());
	});
});
