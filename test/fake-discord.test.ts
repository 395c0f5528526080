import { once } from 'node:events';
import {
	ActionRowBuilder,
	ButtonBuilder,
	ButtonStyle,
	ChannelType,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	MessageFlags,
	Partials,
	PermissionFlagsBits,
	Routes,
	type ChatInputCommandInteraction,
	type Interaction,
	type TextChannel,
	type ThreadChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotPermissions, startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from '../fake-discord/index.js';

// The fake is only useful if the real discord.js Client works against it unchanged, so every test
// here drives a real in-process Client through REST and the gateway.

function newClient(fake: FakeDiscord, extra: { shards?: 'auto' } = {}): Client {
	return new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
		partials: [Partials.Message, Partials.Reaction, Partials.User],
		rest: { api: fake.restUrl, globalRequestsPerSecond: 10_000, offset: 0 },
		...extra,
	});
}

async function login(client: Client, fake: FakeDiscord): Promise<void> {
	const ready = once(client, Events.ClientReady);
	await client.login(fake.token);
	await ready;
}

/** Runs `handler` for the next interaction the client receives, and reports its failure to the test. */
function answerNext(client: Client, handler: (interaction: Interaction) => Promise<void>): Promise<void> {
	return new Promise((resolve, reject) => {
		client.once(Events.InteractionCreate, (interaction) => {
			handler(interaction).then(resolve, reject);
		});
	});
}

async function expectDiscordError(promise: Promise<unknown>, code: number): Promise<DiscordAPIError> {
	const error = await promise.then(
		() => {
			throw new Error(`expected Discord error ${code}, got success`);
		},
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(DiscordAPIError);
	expect((error as DiscordAPIError).code).toBe(code);
	return error as DiscordAPIError;
}

describe('fake Discord with a real discord.js client', () => {
	let fake: FakeDiscord;
	let client: Client;
	let guild: FakeGuild;
	let channelId: string;
	let channel: TextChannel;

	beforeAll(async () => {
		fake = await startFakeDiscord();
		guild = fake.addGuild({ name: 'Library', channels: [{ name: 'reading-room' }, { name: 'lobby' }] });
		channelId = guild.textChannelId;
		client = newClient(fake);
		await login(client, fake);
		channel = client.channels.cache.get(channelId) as TextChannel;
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.close();
	});

	it('login reaches ready with the guild, its channels and the bot\'s permissions cached', async () => {
		await fake.waitForReady();
		expect(fake.connected).toBe(true);
		expect(fake.identifyCount).toBe(1);
		const cachedGuild = client.guilds.cache.get(guild.id);
		expect(cachedGuild?.name).toBe('Library');
		expect(channel?.type).toBe(ChannelType.GuildText);
		expect(channel.name).toBe('reading-room');
		expect(client.user?.id).toBe(fake.botUser.id);
		const permissions = channel.permissionsFor(client.user!.id);
		expect(permissions?.bitfield).toBe(defaultBotPermissions);

		const joined = once(client, Events.GuildCreate);
		const later = fake.addGuild({ name: 'Second' });
		const [created] = await joined;
		expect(created.id).toBe(later.id);
		expect(client.channels.cache.has(later.textChannelId)).toBe(true);
	});

	it('a slash command arrives with guild and channel set; interaction.reply lands in fake.messages', async () => {
		const reader = fake.user('ana');
		const handled = answerNext(client, async (interaction) => {
			if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
			expect(interaction.commandName).toBe('read');
			expect(interaction.channelId).toBe(channelId);
			expect(interaction.guildId).toBe(guild.id);
			expect(interaction.channel?.id).toBe(channelId);
			expect(interaction.user.id).toBe(reader.id);
			expect(interaction.options.getInteger('chapter')).toBe(2);
			expect(interaction.options.getBoolean('restart')).toBe(true);
			expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
			expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
			expect(Date.now() - interaction.createdTimestamp).toBeLessThan(2000);
			await interaction.reply({ content: 'Scene 1 of 4', allowedMentions: { parse: [] } });
		});
		const handle = fake.runCommand({ guildId: guild.id, channelId, user: reader, name: 'read', options: { chapter: 2, restart: true } });
		const reply = await handle.reply();
		await handled;
		expect((await handle.acknowledged).type).toBe(4);
		expect(reply).toMatchObject({ content: 'Scene 1 of 4', ephemeral: false, channel_id: channelId, allowed_mentions: { parse: [] } });
		expect(fake.messages(channelId).map((message) => message.id)).toContain(reply.id);
	});

	it('deferReply + editReply: the edit is the reply; an ephemeral follow-up is flagged', async () => {
		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			await command.deferReply();
			await command.editReply('Scene 2 of 4');
			await command.followUp({ content: 'only you', flags: MessageFlags.Ephemeral });
		});
		const handle = fake.runCommand({ channelId, user: fake.user(), name: 'next' });
		expect((await handle.acknowledged).type).toBe(5);
		const reply = await handle.reply();
		await handled;
		expect(reply.content).toBe('Scene 2 of 4');
		expect(handle.original()?.flags ?? 0).toBe(0);
		expect(handle.followUps()).toMatchObject([{ content: 'only you', ephemeral: true }]);
		expect(fake.messages(channelId, { ephemeral: false }).some((message) => message.content === 'only you')).toBe(false);
	});

	it('a second callback for one interaction gets 40060 and is recorded on the handle', async () => {
		let handle: InteractionHandle | undefined;
		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			await command.reply('first');
			// discord.js refuses a second reply locally, so send the raw callback as a racing handler would.
			const second = client.rest.post(Routes.interactionCallback(command.id, command.token), { body: { type: 4, data: { content: 'second' } }, auth: false });
			await expectDiscordError(second, 40060);
		});
		handle = fake.runCommand({ channelId, user: fake.user(), name: 'progress' });
		await handled;
		expect((await handle.reply()).content).toBe('first');
		expect(handle.errors).toEqual([expect.objectContaining({ method: 'POST', status: 400, code: 40060 })]);
	});

	it('a button on a posted message: the click carries the message, update() edits it', async () => {
		const posted = await channel.send({
			content: 'Scene 1',
			components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('next:1').setLabel('Next').setStyle(ButtonStyle.Primary))],
		});
		const stored = await fake.waitForMessage(channelId, (message) => message.id === posted.id);
		expect(stored.components[0]?.components[0]?.custom_id).toBe('next:1');

		const handled = answerNext(client, async (interaction) => {
			if (!interaction.isButton()) throw new Error('expected a button');
			expect(interaction.customId).toBe('next:1');
			expect(interaction.message.id).toBe(posted.id);
			expect(interaction.channelId).toBe(channelId);
			await interaction.update({ content: 'Scene 1 (read)', components: [] });
		});
		const handle = fake.clickButton({ guildId: guild.id, channelId, messageId: posted.id, customId: 'next:1', user: fake.user() });
		const updated = await handle.reply();
		await handled;
		expect((await handle.acknowledged).type).toBe(7);
		expect(updated).toMatchObject({ id: posted.id, content: 'Scene 1 (read)', components: [] });
		expect(() => fake.clickButton({ channelId, messageId: posted.id, customId: 'next:1', user: fake.user() })).toThrow(/no button/);
	});

	it('reactions on a message the client never cached arrive as partials; removals too', async () => {
		// Posted through raw REST, so discord.js has no Message object for it.
		const raw = (await client.rest.post(Routes.channelMessages(channelId), { body: { content: 'uncached scene' } })) as { id: string };
		expect(channel.messages.cache.has(raw.id)).toBe(false);
		const reader = fake.user('ben');

		const added = once(client, Events.MessageReactionAdd);
		await fake.react({ guildId: guild.id, channelId, messageId: raw.id, user: reader, emoji: '❤️' });
		const [reaction, user] = await added;
		expect(reaction.partial).toBe(true);
		expect(reaction.message.partial).toBe(true);
		expect(reaction.message.id).toBe(raw.id);
		expect(reaction.emoji.name).toBe('❤️');
		expect(user.id).toBe(reader.id);
		expect(fake.message(raw.id)?.reactions).toEqual([{ emoji: { id: null, name: '❤️' }, count: 1, me: false, users: [reader.id], burstUsers: [] }]);

		const fetched = await reaction.fetch();
		expect(fetched.count).toBe(1);
		const users = await fetched.users.fetch({ limit: 100 });
		expect([...users.keys()]).toEqual([reader.id]);

		const removed = once(client, Events.MessageReactionRemove);
		await fake.unreact({ channelId, messageId: raw.id, user: reader, emoji: '❤️' });
		const [removedReaction, removedBy] = await removed;
		expect(removedReaction.emoji.name).toBe('❤️');
		expect(removedBy.id).toBe(reader.id);

		await fake.react({ channelId, messageId: raw.id, user: reader, emoji: '😮' });
		const clearedEmoji = once(client, Events.MessageReactionRemoveEmoji);
		await fake.removeEmoji({ channelId, messageId: raw.id, emoji: '😮' });
		await clearedEmoji;
		const clearedAll = once(client, Events.MessageReactionRemoveAll);
		await fake.removeAllReactions({ channelId, messageId: raw.id });
		await clearedAll;
		expect(fake.message(raw.id)?.reactions).toEqual([]);
	});

	it('super (burst) reactions arrive with burst: true and are listed apart: count_details and GET reactions type=1', async () => {
		const raw = (await client.rest.post(Routes.channelMessages(channelId), { body: { content: 'super scene' } })) as { id: string };
		const [ana, ben] = [fake.user(), fake.user()];
		const added = once(client, Events.MessageReactionAdd);
		await fake.react({ channelId, messageId: raw.id, user: ana, emoji: '❤️', burst: true });
		const [reaction, , details] = await added;
		expect(details).toMatchObject({ burst: true, type: 1 });
		await fake.react({ channelId, messageId: raw.id, user: ana, emoji: '❤️' });
		await fake.react({ channelId, messageId: raw.id, user: ben, emoji: '❤️' });
		// (reaction.fetch() would not do: discord.js patches it from a MessageReaction, whose countDetails it does not read.)
		const message = await channel.messages.fetch({ message: raw.id, force: true });
		const fetched = message.reactions.cache.find((r) => r.emoji.name === reaction.emoji.name)!;
		expect(fetched.count).toBe(3);
		expect(fetched.countDetails).toEqual({ burst: 1, normal: 2 });
		expect([...(await fetched.users.fetch({ type: 1 })).keys()]).toEqual([ana.id]);
		expect([...(await fetched.users.fetch({ type: 0 })).keys()].sort()).toEqual([ana.id, ben.id].sort());
		const removed = once(client, Events.MessageReactionRemove);
		await fake.unreact({ channelId, messageId: raw.id, user: ana, emoji: '❤️', burst: true });
		expect((await removed)[2]).toMatchObject({ burst: true, type: 1 });
		expect(fake.message(raw.id)?.reactions).toMatchObject([{ count: 2, users: [ana.id, ben.id], burstUsers: [] }]);
	});

	it('an emoji the fake is told Discord does not know is refused with 10014', async () => {
		const picky = await startFakeDiscord({ unknownEmoji: ['🫠'] });
		const pickyGuild = picky.addGuild({ channels: [{ type: 0 }] });
		const other = newClient(picky);
		try {
			await login(other, picky);
			const posted = (await other.rest.post(Routes.channelMessages(pickyGuild.textChannelId), { body: { content: 'x' } })) as { id: string };
			await expectDiscordError(other.rest.put(Routes.channelMessageOwnReaction(pickyGuild.textChannelId, posted.id, encodeURIComponent('🫠'))), 10014);
			await other.rest.put(Routes.channelMessageOwnReaction(pickyGuild.textChannelId, posted.id, encodeURIComponent('🔥')));
			expect(picky.message(posted.id)?.reactions.map((r) => r.emoji.name)).toEqual(['🔥']);
		} finally {
			await other.destroy();
			await picky.close();
		}
	});

	it('the bot\'s own reactions are stored with me: true and need Add Reactions', async () => {
		const message = await channel.send('react to me');
		await message.react('🔥');
		expect(fake.message(message.id)?.reactions).toMatchObject([{ emoji: { name: '🔥' }, count: 1, me: true }]);
		const put = fake.requests.find((request) => request.method === 'PUT' && request.path.includes(message.id));
		expect(put?.path).toBe(`/channels/${channelId}/messages/${message.id}/reactions/🔥/@me`);
		expect(put?.status).toBe(204);
	});

	it('a 429 on POST message is retried by discord.js without the caller noticing; so is a 500', async () => {
		const before = fake.requests.length;
		fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, retryAfterSeconds: 0.05 });
		fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500 });
		const sent = await channel.send('after the storm');
		const posts = fake.requests.slice(before).filter((request) => request.method === 'POST');
		expect(posts.map((request) => request.status)).toEqual([429, 500, 200]);
		expect(posts[0]?.injected).toBe(true);
		expect(fake.messages(channelId).filter((message) => message.content === 'after the storm').map((message) => message.id)).toEqual([sent.id]);
	});

	it('holdNext keeps one matching request unanswered until released; others, on the same route too, are answered meanwhile', async () => {
		const held = fake.holdNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ });
		let answered = false;
		const slow = channel.send('held back').then((message) => ((answered = true), message));
		expect(await held.arrived).toEqual({ method: 'POST', path: `/channels/${channelId}/messages` });
		// Another channel's post: discord.js queues one channel's posts behind each other.
		const other = fake.addGuild({ name: 'Elsewhere' });
		await client.rest.post(Routes.channelMessages(other.textChannelId), { body: { content: 'not held' } });
		expect(fake.messages(other.textChannelId).map((message) => message.content)).toEqual(['not held']);
		expect(answered).toBe(false);
		expect(fake.messages(channelId).map((message) => message.content)).not.toContain('held back');
		held.release();
		const sent = await slow;
		expect(fake.message(sent.id)?.content).toBe('held back');
	});

	it('Discord\'s validation: an over-long embed is 50035, an empty message 50006', async () => {
		const tooLong = await expectDiscordError(channel.send({ embeds: [{ description: 'x'.repeat(4097) }] }), 50035);
		expect(tooLong.rawError).toMatchObject({ errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
		const tooBig = await expectDiscordError(channel.send({ embeds: [{ description: 'x'.repeat(3500) }, { description: 'y'.repeat(3500) }] }), 50035);
		expect(tooBig.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
		await expectDiscordError(channel.send({ content: 'z'.repeat(2001) }), 50035);
		await expectDiscordError(client.rest.post(Routes.channelMessages(channelId), { body: { content: '' } }), 50006);

		const button = (customId: string) => ({ type: 2, style: 1, label: 'Go', custom_id: customId });
		const sixButtons = { content: 'x', components: [{ type: 1, components: ['a', 'b', 'c', 'd', 'e', 'f'].map(button) }] };
		const crowded = await expectDiscordError(client.rest.post(Routes.channelMessages(channelId), { body: sixButtons }), 50035);
		expect(crowded.rawError).toMatchObject({ errors: { components: { 0: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } });
		const sixRows = { content: 'x', components: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ type: 1, components: [button(id)] })) };
		await expectDiscordError(client.rest.post(Routes.channelMessages(channelId), { body: sixRows }), 50035);
		await expectDiscordError(client.rest.post(Routes.channelMessages(channelId), { body: { content: 'x', components: [{ type: 1, components: [button('i'.repeat(101))] }] } }), 50035);
	});

	it('mentions are computed from content and allowed_mentions', async () => {
		const quiet = await channel.send({ content: '@everyone look at this', allowedMentions: { parse: [] } });
		const loud = await channel.send({ content: '@everyone look at this' });
		expect(fake.message(quiet.id)).toMatchObject({ mention_everyone: false, mentions: [], allowed_mentions: { parse: [] } });
		expect(fake.message(loud.id)).toMatchObject({ mention_everyone: true, allowed_mentions: null });
	});

	it('missing permissions: REST answers 50013, app_permissions and the client cache agree', async () => {
		const lobbyId = guild.channels[1]!.id;
		const updated = once(client, Events.ChannelUpdate);
		fake.setChannelPermissions(lobbyId, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
		await updated;
		const lobby = client.channels.cache.get(lobbyId) as TextChannel;
		expect(lobby.permissionsFor(client.user!.id)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
		await expectDiscordError(lobby.send('hello?'), 50013);

		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			expect(command.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(false);
			await command.reply({ content: 'I cannot post here', flags: MessageFlags.Ephemeral });
		});
		const reply = await fake.runCommand({ channelId: lobbyId, user: fake.user(), name: 'read', memberPermissions: PermissionFlagsBits.ManageGuild }).reply();
		await handled;
		expect(reply.ephemeral).toBe(true);
	});

	it('registered commands drive autocomplete; DMs carry a user and no guild', async () => {
		await client.application!.commands.set([
			{ name: 'read', description: 'Start reading', options: [{ type: 3, name: 'story', description: 'Which story', autocomplete: true }] },
		]);
		expect(fake.commands().map((command) => command.name)).toEqual(['read']);

		const suggested = answerNext(client, async (interaction) => {
			if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
			expect(interaction.options.getFocused()).toBe('aft');
			await interaction.respond([{ name: 'After The End', value: 'after-the-end' }]);
		});
		const choices = await fake.autocomplete({ channelId, user: fake.user(), name: 'read', focused: 'story', value: 'aft' });
		await suggested;
		expect(choices).toEqual([{ name: 'After The End', value: 'after-the-end' }]);
		expect(() => fake.runCommand({ channelId, user: fake.user(), name: 'nope' })).toThrow(/not registered/);

		const reader = fake.user('dee');
		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			expect(command.guildId).toBeNull();
			expect(command.user.id).toBe(reader.id);
			await command.reply({ content: 'use a server', flags: MessageFlags.Ephemeral });
		});
		const reply = await fake.runCommandInDM({ user: reader, name: 'read' }).reply();
		await handled;
		expect(reply).toMatchObject({ content: 'use a server', ephemeral: true, guild_id: null });
	});

	it('lists command localizations only with_localizations=true; interactions carry the reader\'s locale and the server\'s preferred locale', async () => {
		await client.application!.commands.set([
			{ name: 'read', name_localizations: { fr: 'lire' }, description: 'Start reading', options: [{ type: 3, name: 'story', name_localizations: { fr: 'histoire' }, description: 'Which story' }] },
		]);
		const route = Routes.applicationCommands(fake.applicationId);
		const plain = (await client.rest.get(route)) as Array<Record<string, unknown>>;
		expect(plain[0]).not.toHaveProperty('name_localizations');
		expect((plain[0]!.options as Array<Record<string, unknown>>)[0]).not.toHaveProperty('name_localizations');
		const full = (await client.rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as Array<Record<string, unknown>>;
		expect(full[0]!.name_localizations).toEqual({ fr: 'lire' });
		expect((full[0]!.options as Array<Record<string, unknown>>)[0]!.name_localizations).toEqual({ fr: 'histoire' });

		const joined = once(client, Events.GuildCreate);
		const spanish = fake.addGuild({ name: 'Club de lectura', preferredLocale: 'es-ES' });
		await joined;
		expect(client.guilds.cache.get(spanish.id)?.preferredLocale).toBe('es-ES');
		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			expect([command.locale, command.guildLocale]).toEqual(['fr', 'es-ES']);
			await command.reply({ content: 'hola', flags: MessageFlags.Ephemeral });
		});
		await fake.runCommand({ guildId: spanish.id, channelId: spanish.textChannelId, user: fake.user(), locale: 'fr', name: 'read' }).reply();
		await handled;
		const inDm = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			expect([command.locale, command.guildLocale]).toEqual(['en-US', null]);
			await command.reply({ content: 'hi', flags: MessageFlags.Ephemeral });
		});
		await fake.runCommandInDM({ user: fake.user(), name: 'read' }).reply();
		await inDm;
	});

	it('a dropped connection resumes; events sent meanwhile are replayed; interactions keep working', async () => {
		const message = await channel.send('while you were away');
		const identifies = fake.identifyCount;
		const resumes = fake.resumeCount;
		const resumed = once(client, Events.ShardResume);
		await fake.dropConnection();
		expect(fake.connected).toBe(false);
		const added = once(client, Events.MessageReactionAdd);
		// Sent while the socket is closed: resolves once RESUME replays it.
		await fake.react({ channelId, messageId: message.id, user: fake.user(), emoji: '👏' });
		const [, replayedEvents] = await resumed;
		expect(replayedEvents).toBeGreaterThanOrEqual(1);
		await added;
		expect(fake.resumeCount).toBe(resumes + 1);
		expect(fake.identifyCount).toBe(identifies);

		const handled = answerNext(client, async (interaction) => {
			await (interaction as ChatInputCommandInteraction).reply('still here');
		});
		expect((await fake.runCommand({ channelId, user: fake.user(), name: 'read' }).reply()).content).toBe('still here');
		await handled;
	});

	it('heartbeats are acknowledged, and a resumable INVALID_SESSION is answered with RESUME', async () => {
		await fake.requestHeartbeat();
		const resumes = fake.resumeCount;
		const resumed = once(client, Events.ShardResume);
		fake.invalidateSession({ resumable: true });
		await resumed;
		expect(fake.resumeCount).toBe(resumes + 1);
		expect(fake.connected).toBe(true);
	});

	it('no request went to a route the fake does not know, and the fake never crashed', () => {
		expect(fake.unknownRequests()).toEqual([]);
		expect(fake.internalErrors).toEqual([]);
	});
});

describe('threads', () => {
	let fake: FakeDiscord;
	let client: Client;
	let guild: FakeGuild;
	let textId: string;
	let newsId: string;
	let activeId: string;
	let archivedId: string;
	let lockedId: string;
	const guildCreates: Array<{ channels: Array<{ id: string }>; threads: Array<Record<string, unknown>> }> = [];
	const threadBot = defaultBotPermissions | PermissionFlagsBits.SendMessagesInThreads;

	async function connect(): Promise<void> {
		client = newClient(fake);
		client.on(Events.Raw, (packet: { t?: string; d: (typeof guildCreates)[number] }) => {
			if (packet.t === 'GUILD_CREATE') guildCreates.push(packet.d);
		});
		await login(client, fake);
	}

	beforeAll(async () => {
		fake = await startFakeDiscord();
		guild = fake.addGuild({ channels: [{ name: 'reading-room' }, { name: 'news', type: ChannelType.GuildAnnouncement }], botPermissions: threadBot });
		[textId, newsId] = guild.channels.map((channel) => channel.id) as [string, string];
		activeId = fake.addThread(guild.id, textId, { name: 'book-club' });
		archivedId = fake.addThread(guild.id, textId, { name: 'last-season', archived: true });
		await connect();
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.close();
	});

	it("an active thread comes in GUILD_CREATE's threads, not its channels, and is cached as a thread of its parent", () => {
		const payload = guildCreates.at(-1)!;
		expect(payload.channels.map((channel) => channel.id)).toEqual([textId, newsId]);
		expect(payload.threads.map((thread) => thread.id)).toEqual([activeId]);
		expect(payload.threads[0]).toMatchObject({
			type: ChannelType.PublicThread,
			guild_id: guild.id,
			parent_id: textId,
			owner_id: guild.ownerId,
			message_count: 0,
			member_count: 1,
			thread_metadata: { archived: false, locked: false, auto_archive_duration: 1440 },
		});

		const thread = client.channels.cache.get(activeId);
		if (!thread?.isThread()) throw new Error(`expected a thread in client.channels, got ${thread?.type}`);
		expect(thread.type).toBe(ChannelType.PublicThread);
		expect(thread.name).toBe('book-club');
		expect(thread.parentId).toBe(textId);
		expect(thread.parent?.id).toBe(textId);
		expect(thread.guildId).toBe(guild.id);
		expect(thread.ownerId).toBe(guild.ownerId);
		expect(thread.archived).toBe(false);
		expect(client.guilds.cache.get(guild.id)?.channels.cache.get(activeId)).toBe(thread);
		expect(client.channels.cache.has(archivedId)).toBe(false);
	});

	it('an archived thread is not synced but can be fetched; the guild\'s channel list has no threads', async () => {
		const fetched = await client.channels.fetch(archivedId);
		if (!fetched?.isThread()) throw new Error('expected GET /channels/:id to give a thread');
		expect(fetched).toMatchObject({ name: 'last-season', parentId: textId, archived: true, locked: false });
		expect(fetched.parent?.id).toBe(textId);
		expect(client.channels.cache.get(archivedId)).toBe(fetched);
		const listed = (await client.rest.get(Routes.guildChannels(guild.id))) as Array<{ id: string }>;
		expect(listed.map((channel) => channel.id)).toEqual([textId, newsId]);
	});

	it('a new thread arrives with THREAD_CREATE; archiving it with THREAD_UPDATE', async () => {
		const created = once(client, Events.ThreadCreate);
		const newsThreadId = fake.addThread(guild.id, newsId, { name: 'press' });
		const [thread, newlyCreated] = (await created) as [ThreadChannel, boolean];
		expect(thread.id).toBe(newsThreadId);
		expect(thread.type).toBe(ChannelType.AnnouncementThread);
		expect(thread.parent?.id).toBe(newsId);
		expect(newlyCreated).toBe(true);

		const updated = once(client, Events.ThreadUpdate);
		fake.archiveThread(newsThreadId);
		const [, after] = (await updated) as [ThreadChannel, ThreadChannel];
		expect(after.id).toBe(newsThreadId);
		expect(after.archived).toBe(true);

		expect(() => fake.addThread(guild.id, newsId, { type: ChannelType.PrivateThread })).toThrow(/holds threads of type 10/);
		expect(() => fake.addThread(guild.id, activeId)).toThrow(/text or announcement channel/);
		expect(() => fake.setChannelPermissions(activeId, 0n)).toThrow(/parent/);
	});

	it("permissions are the parent's, and a thread needs Send Messages in Threads, not Send Messages", async () => {
		const thread = client.channels.cache.get(activeId) as ThreadChannel;
		const parent = client.channels.cache.get(textId) as TextChannel;
		const me = client.user!.id;
		expect(thread.permissionsFor(me)?.bitfield).toBe(threadBot);
		const posted = await thread.send('Scene 1 of 4');
		await posted.react('❤️');
		expect(fake.messages(activeId).map((message) => message.id)).toEqual([posted.id]);
		expect(fake.message(posted.id)?.reactions).toMatchObject([{ emoji: { name: '❤️' }, me: true }]);
		expect(fake.messages(textId).some((message) => message.id === posted.id)).toBe(false);

		const narrowed = once(client, Events.ChannelUpdate);
		fake.setChannelPermissions(textId, defaultBotPermissions);
		await narrowed;
		expect(thread.permissionsFor(me)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
		expect(thread.permissionsFor(me)?.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(false);
		await expectDiscordError(thread.send('Scene 2 of 4'), 50013);
		await parent.send('the parent still takes messages');

		const restored = once(client, Events.ChannelUpdate);
		fake.setChannelPermissions(textId, threadBot);
		await restored;
	});

	it('a command in a thread carries the thread and its permissions; the reply lands in the thread', async () => {
		const handled = answerNext(client, async (interaction) => {
			const command = interaction as ChatInputCommandInteraction;
			expect(command.channelId).toBe(activeId);
			expect(command.channel?.isThread() && command.channel.parentId).toBe(textId);
			expect(command.appPermissions.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(true);
			await command.reply('Scene 1 of 4');
		});
		const reply = await fake.runCommand({ guildId: guild.id, channelId: activeId, user: fake.user(), name: 'read' }).reply();
		await handled;
		expect(reply.channel_id).toBe(activeId);
		expect(fake.messages(textId).some((message) => message.id === reply.id)).toBe(false);
	});

	it('posting in an archived thread unarchives it, unless it is locked; nothing else happens in an archived thread', async () => {
		const thread = client.channels.cache.get(archivedId) as ThreadChannel;
		const unarchived = once(client, Events.ThreadUpdate);
		const posted = await thread.send('back again');
		const [, after] = (await unarchived) as [ThreadChannel, ThreadChannel];
		expect(after.archived).toBe(false);
		expect(fake.messages(archivedId).map((message) => message.id)).toEqual([posted.id]);

		fake.archiveThread(archivedId);
		await expectDiscordError(posted.react('👍'), 50083);
		expect(() => fake.react({ channelId: archivedId, messageId: posted.id, user: fake.user(), emoji: '👍' })).toThrow(/archived/);
		expect(() => fake.runCommand({ channelId: archivedId, user: fake.user(), name: 'read' })).toThrow(/archived/);

		// A moderator's lock: no posts without Manage Threads, and posting does not unarchive.
		lockedId = fake.addThread(guild.id, textId, { name: 'closed', locked: true });
		const locked = (await client.channels.fetch(lockedId)) as ThreadChannel;
		expect(locked.locked).toBe(true);
		await expectDiscordError(locked.send('hello?'), 160005);
		const lockedAway = once(client, Events.ThreadUpdate);
		fake.archiveThread(archivedId, { locked: true });
		const [, lockedThread] = (await lockedAway) as [ThreadChannel, ThreadChannel];
		expect(lockedThread).toMatchObject({ archived: true, locked: true });
		await expectDiscordError(thread.send('hello?'), 50083);
	});

	it('a fresh session syncs only the active threads', async () => {
		await client.destroy();
		await connect();
		expect(guildCreates.at(-1)!.threads.map((thread) => thread.id)).toEqual([activeId, lockedId]);
		expect(client.channels.cache.get(activeId)?.isThread()).toBe(true);
		expect(client.channels.cache.has(archivedId)).toBe(false);
		expect(fake.unknownRequests()).toEqual([]);
		expect(fake.internalErrors).toEqual([]);
	});
});

describe('interaction deadline', () => {
	let fake: FakeDiscord;
	let client: Client;

	beforeAll(async () => {
		fake = await startFakeDiscord({ interactionDeadlineMs: 150 });
		client = newClient(fake);
		fake.addGuild();
		await login(client, fake);
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.close();
	});

	it('a reply after the deadline gets 10062 Unknown interaction', async () => {
		const guild = [...client.guilds.cache.values()][0]!;
		const channelId = guild.channels.cache.first()!.id;
		let handle: InteractionHandle | undefined;
		const handled = answerNext(client, async (interaction) => {
			// Wait for the fake's own deadline to pass instead of sleeping a fixed time.
			await handle!.acknowledged.catch(() => undefined);
			await expectDiscordError((interaction as ChatInputCommandInteraction).reply('too late'), 10062);
		});
		handle = fake.runCommand({ channelId, user: fake.user(), name: 'read' });
		await expect(handle.acknowledged).rejects.toThrow(/did not acknowledge/);
		await handled;
		expect(handle.errors).toEqual([expect.objectContaining({ status: 404, code: 10062 })]);
		await expect(handle.reply()).rejects.toThrow(/did not acknowledge/);
	});
});

describe('sharding', () => {
	let fake: FakeDiscord;
	let client: Client;

	beforeAll(async () => {
		fake = await startFakeDiscord({ recommendedShards: 2 });
		fake.addGuilds(4);
		client = newClient(fake, { shards: 'auto' });
		await login(client, fake);
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.close();
	});

	it('each shard identifies and gets its own guilds; a guild\'s interactions come through its shard', async () => {
		await fake.waitForReady();
		expect(fake.identifyCount).toBe(2);
		expect(client.ws.shards.size).toBe(2);
		const guilds = [...client.guilds.cache.values()];
		expect(guilds).toHaveLength(4);
		for (const cached of guilds) expect(cached.shardId).toBe(Number((BigInt(cached.id) >> 22n) % 2n));
		expect(new Set(guilds.map((cached) => cached.shardId))).toEqual(new Set([0, 1]));

		const onShardOne = guilds.find((cached) => cached.shardId === 1)!;
		const handled = answerNext(client, async (interaction) => {
			expect(interaction.guild?.shardId).toBe(1);
			await (interaction as ChatInputCommandInteraction).reply('from shard 1');
		});
		const reply = await fake.runCommand({ channelId: onShardOne.channels.cache.first()!.id, user: fake.user(), name: 'read' }).reply();
		await handled;
		expect(reply.content).toBe('from shard 1');
	});
});
