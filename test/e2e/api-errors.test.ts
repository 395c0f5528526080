import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './world.js';

// Discord refuses a post for a reason that is not the bot's role: the reader is told which, in
// words (the per-code sentences are in test/api-errors.test.ts; these go through the real client).

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const SOMETHING_WENT_WRONG = 'Something went wrong on my side and it has been logged. Please try again in a moment.';

describe('Discord refusals are named', () => {
	it("AutoMod blocking the scene (200000 on the command's answer): the reader is told AutoMod did it, and the reading stays put", async () => {
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 400, code: 200_000 });
		const next = fake.runCommand({ ...server, user: fake.user(), name: 'next' });
		const answer = await next.reply();
		await world.served(next);
		expect(answer.ephemeral).toBe(true);
		expect(answer.content).toContain("This server's AutoMod blocked my post");
		expect(answer.content).not.toBe(SOMETHING_WENT_WRONG);
		const refused = world.bot.logs.find((l) => l.interactionId === next.id && l.msg === 'interaction refused');
		expect(refused).toMatchObject({ level: 40, code: 200_000 });
		const progress = await fake.runCommand({ ...server, user: fake.user(), name: 'progress' }).reply();
		expect(progress.content).toContain('scene 1 of 4');
	});

	it("a post refused for the channel's kind (50024) on /read: the reader is told where a reading can go", async () => {
		const { fake } = world;
		const server = await world.newServer();
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 400, code: 50_024 });
		const read = fake.runCommand({ ...server, user: fake.user(), name: 'read' });
		const answer = await read.reply();
		await world.served(read);
		expect(answer.ephemeral).toBe(true);
		expect(answer.content).toContain("Discord doesn't allow posting a reading in this kind of channel");
	});

	it('harmful links (240000) on /read: the author is told to change the link', async () => {
		const { fake } = world;
		const server = await world.newServer();
		fake.failNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, status: 400, code: 240_000 });
		const answer = await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
		expect(answer.ephemeral).toBe(true);
		expect(answer.content).toContain('links to a site it considers harmful');
	});

	it('a message full of reactions (30010) stops the feedback emoji with one warning that says why', async () => {
		const { fake } = world;
		const server = await world.newServer();
		// This server's channel only: an earlier test's emoji may still be on their way (they go last in line).
		fake.failNext({ method: 'PUT', path: new RegExp(`/channels/${server.channelId}/messages/\\d+/reactions/`), status: 400, code: 30_010 });
		await world.startReading(server);
		const warning = await world.bot.waitForLog((l) => l.msg === 'could not add feedback emoji under a scene' && l.guildId === server.guildId);
		expect(warning.explanation).toContain('20 different reactions');
	});
});
