import type { ChildProcess } from 'node:child_process';
import { createClient } from '@keyv/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fake-discord/index.js';
import { freePort, redisServerInstalled, redisTarget, startRedisServer } from '../helpers/stores.js';
import { startBot, tempDir, type BotProcess } from './harness.js';
import { READER_PERMISSIONS, startWorld, type World } from './world.js';

// Exactly once, across processes: before posting, a reading claims its next position in the store
// with compare-and-set. Two bot processes on one token and one store (an overlapping deploy, an
// orphaned `npm start`) both receive every interaction; each scene is posted once. A store that
// refuses writes gives one post, then refusals, never a second copy.

const sceneLabels = (messages: FakeMessage[]) => messages.flatMap((m) => /Scene \d+ of \d+/.exec(m.content) ?? []);
const nextButtonOf = (message: FakeMessage) => message.components[0]?.components[0];

interface TwoBots {
	fake: FakeDiscord;
	bots: BotProcess[];
	close(): Promise<void>;
}

async function twoBotsOn(keyvUrl: (dir: string) => string): Promise<TwoBots> {
	const fake = await startFakeDiscord({ everySession: true });
	const dir = await tempDir();
	const url = keyvUrl(dir.path);
	const bots: BotProcess[] = [];
	for (let i = 0; i < 2; i++) {
		const bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, keyvUrl: url });
		bots.push(bot);
		await bot.ready();
	}
	return {
		fake,
		bots,
		async close() {
			await Promise.all(bots.map((bot) => bot.stop()));
			await fake.close();
			await dir.remove();
		},
	};
}

const stores = [
	{ name: 'SQLite', skip: false, url: (dir: string) => `sqlite://${dir}/store.sqlite` },
	{ name: 'Redis', skip: redisTarget === undefined, url: () => redisTarget ?? '' },
];

describe.each(stores)('two bot processes on one $name store, both receiving every interaction', ({ skip, url }) => {
	let world: TwoBots | undefined;
	afterEach(async () => {
		await world?.close();
		world = undefined;
	});

	it.skipIf(skip)('post each scene once, however the reading is moved on', async () => {
		world = await twoBotsOn(url);
		const { fake, bots } = world;
		const guild = fake.addGuild({ botPermissions: READER_PERMISSIONS });
		for (const bot of bots) await bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guild.id);
		const here = { guildId: guild.id, channelId: guild.textChannelId };
		const ana = fake.user('ana');

		await fake.runCommand({ ...here, user: ana, name: 'read' }).reply();
		const scene1 = await fake.waitForMessage(here.channelId, (m) => m.content.includes('Scene 1 of 4'));
		expect((await fake.runCommand({ ...here, user: ana, name: 'next' }).reply()).content).toContain('Scene 2 of 4');
		// Pressed the moment scene 2 shows, maybe before the process that posted it has saved it.
		const scene2 = await fake.waitForMessage(here.channelId, (m) => m.content.includes('Scene 2 of 4'));
		expect((await fake.clickButton({ ...here, messageId: scene2.id, customId: nextButtonOf(scene2)!.custom_id!, user: ana }).reply()).content).toContain('Scene 3 of 4');
		// Two readers at the same moment, each command going to both processes.
		const both = [fake.runCommand({ ...here, user: fake.user('b1'), name: 'next' }), fake.runCommand({ ...here, user: fake.user('b2'), name: 'next' })];
		await Promise.all(both.map((interaction) => interaction.reply()));
		expect(nextButtonOf(scene1)?.custom_id).toBe('next:after-the-end:1');

		// Both processes got every interaction (one answered, the other stayed silent): 5 each.
		for (const bot of bots) await bot.waitForLog((line) => /^interaction (served|refused)$/.test(line.msg) && bot.logs.filter((l) => /^interaction (served|refused)$/.test(l.msg)).length >= 5);
		expect(sceneLabels(fake.messages(here.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4', 'Scene 4 of 4']);
		expect(fake.messages(here.channelId, { ephemeral: false }).filter((m) => JSON.stringify(m.embeds).includes('by Serenade') && !m.content.includes('Scene'))).toHaveLength(1);
		for (const bot of bots) expect(bot.errors()).toEqual([]);
	});
});

describe.skipIf(!redisServerInstalled)('a store that refuses writes (needs redis-server)', () => {
	let world: World | undefined;
	let redis: ChildProcess | undefined;
	afterEach(async () => {
		await world?.close();
		redis?.kill('SIGKILL');
		world = redis = undefined;
	});

	it('gives one post, then private refusals, and carries on once it takes writes again', async () => {
		const port = await freePort();
		redis = await startRedisServer(port);
		world = await startWorld({ keyvUrl: `redis://127.0.0.1:${port}` });
		const { fake } = world;
		const server = await world.newServer();
		await world.startReading(server);
		const admin = createClient({ url: `redis://127.0.0.1:${port}` });
		await admin.connect();
		try {
			// Discord is slow to take scene 2; while it waits, the store starts refusing writes (as a
			// full disk does): the claim is saved, the post goes out, its save fails.
			const webhook = /^\/interactions\/\d+\/[^/]+\/callback$/;
			fake.failNext({ method: 'POST', path: webhook, status: 429, retryAfterSeconds: 0.3 });
			const first = fake.runCommand({ ...server, user: fake.user(), name: 'next' });
			await fake.waitForRequest((request) => request.method === 'POST' && webhook.test(request.path) && request.status === 429);
			await admin.configSet('min-replicas-to-write', '1'); // no replica: Redis refuses every write
			expect((await first.reply()).content).toContain('Scene 2 of 4');
			await world.served(first);
			expect(first.followUps().at(-1)).toMatchObject({ ephemeral: true, content: expect.stringContaining("I won't post it again") });

			for (let attempt = 0; attempt < 3; attempt++) {
				const refused = await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply();
				expect(refused.ephemeral).toBe(true);
				expect(refused.content).toContain("I can't save the reading right now");
			}
			expect(sceneLabels(fake.messages(server.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4']);

			await admin.configSet('min-replicas-to-write', '0');
			expect((await fake.runCommand({ ...server, user: fake.user(), name: 'next' }).reply()).content).toContain('Scene 3 of 4');
			expect(sceneLabels(fake.messages(server.channelId, { ephemeral: false }))).toEqual(['Scene 1 of 4', 'Scene 2 of 4', 'Scene 3 of 4']);
		} finally {
			await admin.close();
		}
	});
});
