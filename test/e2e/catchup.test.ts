import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { startWorld, type World } from './world.js';

// /catchup: a latecomer reads what was posted so far, privately, one part per answer, while the
// channel and the reading stay exactly as they were.

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
