import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// The real bot process and the real discord.js client against the fake Discord: each scenario is
// what a reader or an admin would do in a server, and what they would then see in the channel.

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const nextButtonOf = (message: { components: Array<{ components: Array<{ custom_id?: string; label?: string }> }> }) =>
	message.components[0]?.components[0];

describe('a reading from /read to the end card', () => {
	it('whole reading: title card, four scenes one at a time, the ending, then a clear "it is over"', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const ana = fake.user('ana');

		const read = fake.runCommand({ guildId, channelId, user: ana, name: 'read' });
		const titleCard = await read.reply();
		expect(titleCard.ephemeral).toBe(false);
		expect(JSON.stringify(titleCard.embeds)).toContain('After The End');
		expect(JSON.stringify(titleCard.embeds)).toMatch(/\|\|[^|]*dissection[^|]*\|\|/); // content note behind a spoiler

		const scene1 = await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4'));
		expect(scene1.embeds[0]?.description).toMatch(/^Lex leaned against the cold metal of the wall/);
		expect(nextButtonOf(scene1)?.label).toBe('Next: scene 2 of 4');

		for (const scene of [2, 3, 4]) {
			const next = fake.runCommand({ guildId, channelId, user: ana, name: 'next' });
			const posted = await next.reply();
			expect(posted.ephemeral).toBe(false);
			expect(posted.content).toContain(`Scene ${scene} of 4`);
		}
		const last = fake.messages(channelId).at(-1)!;
		expect(last.embeds.map((e) => e.description).join('\n\n')).toMatch(/walked out of the ruins together\.$/);
		expect(nextButtonOf(last)?.label).toBe('Read the ending');

		const ending = await fake.runCommand({ guildId, channelId, user: ana, name: 'next' }).reply();
		expect(JSON.stringify(ending)).toContain('If you enjoyed this story, please send feedback to Serenade');
		expect(ending.components ?? []).toHaveLength(0);

		const over = await fake.runCommand({ guildId, channelId, user: ana, name: 'next' }).reply();
		expect(over.ephemeral).toBe(true);
		expect(over.content).toMatch(/is over.*Start it again with `\/read`/s);
		// /progress says where the finished reading stands, and does not add that the server has none.
		const progress = await fake.runCommand({ guildId, channelId, user: ana, name: 'progress' }).reply();
		expect(progress.content).toMatch(/^\*\*After The End\*\* is at the end \(all 4 parts posted\) in <#\d+>.*Start it again with `\/read`\.$/s);

		// Title card, four scenes, end card, the /progress answer; nothing else, and nothing pinged anyone.
		const posted = fake.messages(channelId).filter((m) => !m.ephemeral);
		expect(posted).toHaveLength(7);
		for (const message of posted) expect(message.allowed_mentions).toEqual({ parse: [] });
		expect(world.bot.errors()).toEqual([]);
	});

	it('/read again while a reading is under way says where it stands instead of restarting', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4'));
		const before = fake.messages(channelId).length;

		const again = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.content).toMatch(/is at scene 1 of 4 in <#\d+>/);
		expect(again.content).toContain(`https://discord.com/channels/${guildId}/${channelId}/`);
		expect(nextButtonOf(again)?.custom_id).toBe('next:after-the-end:1');
		expect(fake.messages(channelId).filter((m) => !m.ephemeral)).toHaveLength(before);
	});

	it('restart needs Manage Server: a reader is refused in words, a moderator starts over', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await world.startReading({ guildId, channelId });
		expect((await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply()).content).toContain('Scene 2 of 4');

		const refused = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read', options: { restart: true } }).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.content).toContain('Manage Server');

		const moderator = fake.user('mod');
		const restarted = await fake
			.runCommand({ guildId, channelId, user: moderator, name: 'read', options: { restart: true }, memberPermissions: PermissionFlagsBits.ManageGuild })
			.reply();
		expect(restarted.ephemeral).toBe(false);
		await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4') && m.id > restarted.id);
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 1 of 4');
	});
});

describe('Next button', () => {
	it('the newest scene\'s button posts the next scene; an older one answers privately with a link', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4'));

		const click = await fake.clickButton({ guildId, channelId, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id!, user: fake.user() }).reply();
		expect(click.content).toContain('Scene 2 of 4');
		const count = fake.messages(channelId).length;

		const stale = await fake.clickButton({ guildId, channelId, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id!, user: fake.user() }).reply();
		expect(stale.ephemeral).toBe(true);
		expect(stale.content).toMatch(/earlier scene.*scene 2 of 4/);
		expect(stale.content).toContain(`/${click.id}`);
		expect(fake.messages(channelId).length).toBe(count + 1); // only the private answer
	});

	it('two readers pressing Next at the same moment advance the story once; the second is told what was posted', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4'));
		const customId = nextButtonOf(scene1)!.custom_id!;

		const [a, b] = [fake.user('a'), fake.user('b')].map((user) => fake.clickButton({ guildId, channelId, messageId: scene1.id, customId, user }));
		const replies = await Promise.all([a!.reply(), b!.reply()]);
		expect(replies.filter((r) => !r.ephemeral && r.content.includes('Scene 2 of 4'))).toHaveLength(1);
		const told = replies.find((r) => r.ephemeral)!;
		expect(told.content).toContain('scene 2 of 4');
		expect(fake.messages(channelId).filter((m) => m.content.includes('Scene 3 of 4'))).toHaveLength(0);
	});

	it('two /next sent at the same moment post one scene', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		await fake.waitForMessage(channelId, (m) => m.content.includes('Scene 1 of 4'));

		const both = [fake.user('a'), fake.user('b')].map((user) => fake.runCommand({ guildId, channelId, user, name: 'next' }));
		const replies = await Promise.all(both.map((handle) => handle.reply()));
		expect(replies.filter((r) => !r.ephemeral)).toHaveLength(1);
		expect(replies.find((r) => r.ephemeral)?.content).toMatch(/just posted scene 2 of 4/);
		const progress = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 2 of 4');
	});
});

describe('clear answers where a command cannot work', () => {
	it('/next with no reading says how to start one', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const reply = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'next' }).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.content).toBe('There is no reading in this channel yet. Start one with `/read`.');
	});

	it('/progress with no reading answers for everyone to see', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer();
		const reply = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'progress' }).reply();
		expect(reply.ephemeral).toBe(false);
		expect(reply.content).toContain('No reading in this server yet');
	});

	it('missing permissions are named, and nothing is posted', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer({
			botPermissions: READER_PERMISSIONS & ~PermissionFlagsBits.EmbedLinks & ~PermissionFlagsBits.AddReactions,
		});
		const reply = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.content).toContain("I'm missing Embed Links and Add Reactions");
		expect(fake.messages(channelId).filter((m) => !m.ephemeral)).toHaveLength(0);
	});

	it('/next in direct messages before any private reading says how to start one', async () => {
		const reply = await world.fake.runCommandInDM({ user: world.fake.user(), name: 'next' }).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.content).toBe('You have no private reading yet. Start one with `/read`.');
	});

	it('a channel that cannot hold a reading (a forum) gets an answer, not an error', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer({ channelType: 15 });
		const reply = await fake.runCommand({ guildId, channelId, user: fake.user(), name: 'read' }).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.content).toMatch(/needs a text channel or thread/);
	});
});

describe('slash commands', () => {
	it('are registered on start, and not rewritten when unchanged', async () => {
		const { fake } = world;
		expect(fake.commands().map((c: { name: string }) => c.name).sort()).toEqual(['catchup', 'discussion', 'feedback', 'library', 'next', 'progress', 'read', 'schedule']);
		const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands')).length;
		expect(puts()).toBe(1);
		await world.bot.stop();
		await world.restartBot();
		await world.bot.waitForLog((line) => line.msg === 'slash commands up to date');
		expect(puts()).toBe(1);
	});
});

describe("Discord's 3-second deadline", () => {
	it('work that takes longer is deferred in time and then answered in place', async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		// A restarted bot has not seen the scene's reactions, so /feedback re-reads them from Discord
		// (the bot that posted it would not need to); here Discord makes it wait 3.5 s.
		await world.bot.kill();
		await world.restartBot();
		fake.failNext({ method: 'GET', path: /\/channels\/\d+\/messages\/\d+$/, status: 429, retryAfterSeconds: 3.5 });
		const feedback = fake.runCommand({ ...server, user: fake.user(), name: 'feedback' });
		expect((await feedback.acknowledged).type).toBe(5); // "thinking…", sent before the deadline
		const reply = await feedback.reply({ timeoutMs: 10_000 });
		expect(reply.ephemeral).toBe(false);
		expect(JSON.stringify(reply.embeds)).toContain('Scene 1');
		expect(feedback.errors).toEqual([]);
	});
});
