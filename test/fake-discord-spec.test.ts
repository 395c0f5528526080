import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, Routes, type ChatInputCommandInteraction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeGuild } from '../fake-discord/index.js';
import { buildRoutes } from '../fake-discord/routes.js';
import { operationFor } from '../fake-discord/spec.js';

// The fake holds bots to Discord's own OpenAPI spec: a payload Discord refuses must be refused here
// too, with Discord's 50035 and an `errors` tree naming the field, or the tests would pass bots that
// fail in production. The payloads are raw (client.rest), since discord.js's builders would catch
// some of them before they left the process.

let fake: FakeDiscord;
let client: Client;
let guild: FakeGuild;

beforeAll(async () => {
	fake = await startFakeDiscord();
	guild = fake.addGuild({ name: 'Library' });
	client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl, globalRequestsPerSecond: 10_000, offset: 0 } });
	const ready = once(client, Events.ClientReady);
	await client.login(fake.token);
	await ready;
});
afterAll(async () => {
	await client?.destroy();
	await fake?.close();
});

async function refusal(request: Promise<unknown>): Promise<{ errors: unknown }> {
	const error = await request.then(
		() => {
			throw new Error('expected 50035, the fake accepted the payload');
		},
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(DiscordAPIError);
	expect((error as DiscordAPIError).code).toBe(50035);
	expect((error as DiscordAPIError).status).toBe(400);
	return (error as DiscordAPIError).rawError as { errors: unknown };
}

const post = (body: unknown) => client.rest.post(Routes.channelMessages(guild.textChannelId), { body });
const command = { name: 'read', description: 'Start the story', type: 1 };

describe('the fake refuses what Discord refuses (50035, errors shaped like Discord\'s)', () => {
	it('a button with an empty custom_id', async () => {
		const body = await refusal(post({ content: 'hi', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: '' }] }] }));
		expect(body.errors).toMatchObject({ components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } } } } } });
	});

	it('an embed title that is a number', async () => {
		const body = await refusal(post({ embeds: [{ title: 42, description: 'x' }] }));
		expect(body.errors).toEqual({ embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_STRING', message: expect.any(String) }] } } } });
	});

	it('tts "yes"', async () => {
		const body = await refusal(post({ content: 'hi', tts: 'yes' }));
		expect(body.errors).toEqual({ tts: { _errors: [{ code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' }] } });
	});

	it('allowed_mentions.users ["abc"]', async () => {
		const body = await refusal(post({ content: 'hi', allowed_mentions: { parse: [], users: ['abc'] } }));
		expect(body.errors).toMatchObject({ allowed_mentions: { users: { 0: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } } });
	});

	it('a command with contexts [7], and one with contexts [0, 0]', async () => {
		const unknownContext = await refusal(client.rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ ...command, contexts: [7] }] }));
		expect(unknownContext.errors).toMatchObject({ 0: { contexts: { 0: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } } });
		const repeated = await refusal(client.rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ ...command, contexts: [0, 0] }] }));
		expect(repeated.errors).toMatchObject({ 0: { contexts: { _errors: [{ code: 'SET_TYPE_ALREADY_CONTAINS_VALUE' }] } } });
		expect(fake.commands()).toEqual([]);
	});

	it('an integer option with a string choice', async () => {
		const option = { type: 4, name: 'scene', description: 'Which scene', choices: [{ name: 'first', value: 'one' }] };
		const body = await refusal(client.rest.post(Routes.applicationCommands(fake.applicationId), { body: { ...command, options: [option] } }));
		expect(JSON.stringify(body.errors)).toContain('"choices":{"0":{"value"');
	});

	it('a modal whose title is 46 characters', async () => {
		await client.application!.commands.set([{ name: 'read', description: 'Start the story' }]);
		const received = new Promise<ChatInputCommandInteraction>((resolve) => client.once(Events.InteractionCreate, (interaction) => resolve(interaction as ChatInputCommandInteraction)));
		const handle = fake.runCommand({ guildId: guild.id, channelId: guild.textChannelId, user: fake.user('ana'), name: 'read' });
		const interaction = await received;
		const modal = { custom_id: 'note', title: 'x'.repeat(46), components: [{ type: 18, label: 'Note', component: { type: 4, custom_id: 'text', style: 1 } }] };
		const body = await refusal(client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 9, data: modal }, auth: false }));
		expect(body.errors).toMatchObject({ data: { title: { _errors: [{ code: expect.stringMatching(/^BASE_TYPE_(BAD|MAX)_LENGTH$/) }] } } });
		expect(handle.errors).toEqual([expect.objectContaining({ status: 400, code: 50035 })]);
		// The refused callback did not count: the interaction can still be answered.
		await interaction.reply({ content: 'ok' });
		expect((await handle.reply()).content).toBe('ok');
	});

	it('where Discord\'s docs are stricter than the spec, the docs win: content over 2,000 characters', async () => {
		const body = await refusal(post({ content: 'x'.repeat(2001) }));
		expect(body.errors).toMatchObject({ content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } });
	});

	it('accepts a valid message, and its own answers pass the spec\'s response schemas', async () => {
		await post({ content: 'hi', embeds: [{ title: 'T', fields: [{ name: 'a', value: 'b' }] }], components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: 'next' }] }], allowed_mentions: { parse: [] } });
		await client.rest.get(Routes.gatewayBot());
		await client.rest.get(Routes.user('@me'));
		expect(fake.specViolations).toEqual([]);
		expect(fake.internalErrors).toEqual([]);
	});

	it('reports max_concurrency 1, as a typical bot gets', async () => {
		const gateway = (await client.rest.get(Routes.gatewayBot())) as { session_start_limit: { max_concurrency: number } };
		expect(gateway.session_start_limit.max_concurrency).toBe(1);
	});
});

describe('the fake\'s answers pass the spec\'s response schemas', () => {
	it('every route the fake serves is an operation of the spec, so every body is checked', () => {
		const routes = buildRoutes(() => {
			throw new Error('not called');
		});
		expect(routes.length).toBeGreaterThan(30);
		expect(routes.filter((route) => operationFor(route.method, route.pattern) === null).map((route) => `${route.method} ${route.pattern}`)).toEqual([]);
	});

	it('every read route a bot uses, after a message with an embed, a button and a reaction', async () => {
		const from = fake.requests.length;
		await client.application!.commands.set([{ name: 'read', description: 'Start the story', options: [{ type: 4, name: 'scene', description: 'Which scene', min_value: 1 }] }]);
		const message = (await post({ content: 'hi', embeds: [{ title: 'T', fields: [{ name: 'a', value: 'b' }] }], components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: 'next' }] }] })) as { id: string };
		await client.rest.put(Routes.channelMessageOwnReaction(guild.textChannelId, message.id, encodeURIComponent('❤️')));
		await fake.react({ channelId: guild.textChannelId, messageId: message.id, user: fake.user('bo'), emoji: '❤️' });
		await client.rest.patch(Routes.channelMessage(guild.textChannelId, message.id), { body: { content: 'edited' } });
		const reads = [
			Routes.gatewayBot(),
			Routes.user('@me'),
			Routes.currentApplication(),
			Routes.applicationCommands(fake.applicationId),
			Routes.guild(guild.id),
			Routes.guildChannels(guild.id),
			Routes.guildRoles(guild.id),
			Routes.guildMember(guild.id, fake.botUser.id),
			Routes.channel(guild.textChannelId),
			Routes.channelMessages(guild.textChannelId),
			Routes.channelMessage(guild.textChannelId, message.id),
			Routes.channelMessageReaction(guild.textChannelId, message.id, encodeURIComponent('❤️')),
		];
		for (const route of reads) await client.rest.get(route);
		expect(fake.requests.slice(from).filter((request) => request.status >= 400)).toEqual([]);
		expect(fake.requests.length - from).toBeGreaterThanOrEqual(reads.length + 4);
		expect(fake.specViolations).toEqual([]);
	});
});
