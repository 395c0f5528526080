import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { startBot, tempDir } from './harness.js';
import { startWorld, type World } from './world.js';

// A bot with several stories (test/fixtures/library: three of them, copied to a temp folder the
// bot watches): /read asks instead of guessing, /library lists them, autocomplete finds them, and
// edits to the folder go live while the bot runs.

type Component = { type: number; custom_id?: string; label?: string; disabled?: boolean; options?: Array<{ label: string; value: string; description?: string }> };
const componentsOf = (message: FakeMessage): Component[] => message.components.flatMap((row) => row.components as Component[]);

let world: World;
let stories: { path: string; remove(): Promise<void> };
beforeAll(async () => {
	stories = await tempDir('sfb-library-stories-');
	await cp(resolve('test/fixtures/library'), stories.path, { recursive: true });
	world = await startWorld({ storyDir: stories.path });
});
afterAll(async () => {
	await world?.close();
	await stories?.remove();
});

describe('three stories and no DEFAULT_STORY', () => {
	it('/read asks which story with a menu, and choosing one starts it here', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const reader = fake.user('ana');
		const asked = await fake.runCommand({ ...server, user: reader, name: 'read' }).reply();
		expect(asked.ephemeral).toBe(true);
		expect(asked.content).toBe('Which story should I start here? Pick one below.');
		const menu = componentsOf(asked).find((component) => component.type === 3)!;
		expect(menu.options?.map((option) => [option.label, option.description, option.value])).toEqual([
			['The Lantern Bearer', 'by Héloïse Marchetti', 'lantern'],
			['Letters from the Orchard', 'by Tomás Okafor', 'orchard'],
			['Tide Tables', 'by Wren Abernathy', 'tide-tables'],
		]);
		// Nothing was posted for the channel while asking.
		expect(fake.messages(server.channelId, { ephemeral: false })).toEqual([]);
		expect(() => fake.chooseFromMenu({ ...server, user: reader, messageId: asked.id, customId: menu.custom_id!, values: ['nope'] })).toThrow(/offers no "nope"/);

		const chosen = fake.chooseFromMenu({ ...server, user: reader, messageId: asked.id, customId: menu.custom_id!, values: ['orchard'] });
		const titleCard = await chosen.reply();
		expect(titleCard.ephemeral).toBe(false);
		expect(JSON.stringify(titleCard.embeds)).toContain('Letters from the Orchard');
		const scene = await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 3'));
		expect(scene.embeds[0]?.description).toContain('apple blossom');
		await world.served(chosen);
		// The reading is the chosen one: /next goes on with it.
		const next = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		expect(next.content).toContain('Scene 2 of 3');
		expect(world.bot.errors()).toEqual([]);
	});

	it('/read restart:True asks which story, and the one chosen starts over the reading under way (for a host only)', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const reader = fake.user('ana');
		const host = fake.user('host');
		const read = fake.runCommand({ ...server, user: reader, name: 'read', options: { story: 'lantern' } });
		await read.reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 2'));
		await world.served(read);
		const choose = async (user: typeof host, memberPermissions?: bigint) => {
			const asked = await fake.runCommand({ ...server, user, ...(memberPermissions ? { memberPermissions } : {}), name: 'read', options: { restart: true } }).reply();
			const menu = componentsOf(asked).find((component) => component.type === 3)!;
			return fake.chooseFromMenu({ ...server, user, ...(memberPermissions ? { memberPermissions } : {}), messageId: asked.id, customId: menu.custom_id!, values: ['orchard'] }).reply();
		};
		// A reader may not restart the channel's reading: told so, privately.
		const refused = await choose(reader);
		expect(refused.ephemeral).toBe(true);
		expect(refused.content).toContain('Manage Server');
		// A host's choice starts Letters from the Orchard over The Lantern Bearer (it answered "under way").
		const restarted = await choose(host, PermissionFlagsBits.ManageGuild);
		expect(restarted.ephemeral).toBe(false);
		expect(JSON.stringify(restarted.embeds)).toContain('Letters from the Orchard');
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Letters from the Orchard') && m.content.includes('Scene 1 of 3'));
		expect(world.bot.errors()).toEqual([]);
	});

	it('/library lists all three with their facts, privately, and a button starts one here', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const reader = fake.user('bo');
		const list = await fake.runCommand({ ...server, user: reader, name: 'library' }).reply();
		expect(list.ephemeral).toBe(true);
		const embed = list.embeds[0]!;
		expect(embed.title).toBe('The library: 3 stories');
		expect(embed.fields?.map((field) => field.name)).toEqual(['The Lantern Bearer', 'Letters from the Orchard', 'Tide Tables']);
		expect(embed.fields?.[0]?.value).toBe('by Héloïse Marchetti · 2 scenes · 16 words · about 1 min read · General Audiences · complete\nStart it here: `/read story:lantern`');
		expect(embed.fields?.[2]?.value).toMatch(/^by Wren Abernathy · 2 chapters · 18 words · about 1 min read · not rated · in progress, 2 of \?\n/);
		const buttons = componentsOf(list);
		expect(buttons.map((button) => button.custom_id)).toEqual(['library:read:lantern', 'library:read:orchard', 'library:read:tide-tables']);

		const start = fake.clickButton({ ...server, user: reader, messageId: list.id, customId: 'library:read:tide-tables' });
		expect(JSON.stringify((await start.reply()).embeds)).toContain('Tide Tables');
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Chapter 1'));
		await world.served(start);
		expect(world.bot.errors()).toEqual([]);
	});

	it('autocomplete finds a story by a word of its author\'s name, accents aside', async () => {
		const { fake } = world;
		const server = await world.newServer();
		const choices = await fake.autocomplete({ ...server, user: fake.user(), name: 'read', focused: 'story', value: 'okafor' });
		expect(choices).toEqual([{ name: 'Letters from the Orchard by Tomás Okafor', value: 'orchard' }]);
		const accents = await fake.autocomplete({ ...server, user: fake.user(), name: 'read', focused: 'story', value: 'heloise' });
		expect(accents.map((choice) => choice.value)).toEqual(['lantern']);
	});
});

describe('hot reload of the story folder', () => {
	it('a good edit is live for the next part, a broken one keeps the old version and logs file:line, a new file appears', async () => {
		const { fake, bot } = world;
		const server = await world.newServer();
		const reader = fake.user('cy');
		const file = join(stories.path, 'orchard.md');
		const original = await readFile(file, 'utf8');

		await fake.runCommand({ ...server, user: reader, name: 'read', options: { story: 'orchard' } }).reply();
		await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 3'));

		// A good edit: scene 2 as now written is what the next /next posts.
		let reloaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.file === file, 15_000, false);
		await writeFile(file, original.replace('smelled of cut grass', 'smelled of rain'));
		await reloaded;
		const second = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		expect(second.embeds[0]?.description).toBe('The second letter smelled of rain.');

		// A broken edit: the bot says where, and keeps serving the version before it.
		const failed = bot.waitForLog((line) => line.event === 'storyReloadFailed' && line.file === file, 15_000, false);
		await writeFile(file, original.replace('# Scene: Autumn', '# Sceen: Autumn').replace('windfalls', 'crab apples'));
		const warning = await failed;
		expect(warning.level).toBe(40);
		expect(warning.msg).toContain(`${file}:14: unknown heading "# Sceen: Autumn"`);
		// The bot serves on; a restart would leave the file out as it is: the warning says so.
		expect(warning.msg).toMatch(/\. Until it is fixed, a restart leaves this file out \(its readings then answer that its file has a mistake\)\.$/u);
		const third = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
		expect(third.content).toContain('Scene 3 of 3');
		expect(third.embeds[0]?.description).toBe('There was no third letter, only a basket of windfalls.');

		// A new file that does not load: the warning says it was not loaded (there is no previous version) and points at its `id:` line.
		const clashing = join(stories.path, 'clash.md');
		const refused = bot.waitForLog((line) => line.event === 'storyReloadFailed' && line.file === clashing, 15_000, false);
		await writeFile(clashing, '---\nid: orchard\ntitle: Clash\nauthor: Ines Vidal\n---\n\n# Scene\n\nBoats.\n');
		const refusal = await refused;
		expect(refusal.level).toBe(40);
		expect(refusal.msg).toMatch(new RegExp(`^did not load ${clashing} \\(no earlier version of it was loaded, so none is kept\\): ${clashing}:2: duplicate story id "orchard"`));
		expect(refusal.msg).not.toContain('kept the previous version');
		await rm(clashing);

		// A new file: in /library and autocomplete without a restart.
		reloaded = bot.waitForLog((line) => line.event === 'storyReloaded' && line.storyId === 'quay', 15_000, false);
		await writeFile(join(stories.path, 'quay.md'), '---\nid: quay\ntitle: The Quay\nauthor: Ines Vidal\n---\n\n# Scene\n\nBoats.\n');
		await reloaded;
		const list = await fake.runCommand({ ...server, user: reader, name: 'library' }).reply();
		expect(list.embeds[0]?.fields?.map((field) => field.name)).toContain('The Quay');
		const found = await fake.autocomplete({ ...server, user: reader, name: 'read', focused: 'story', value: 'vidal' });
		expect(found.map((choice) => choice.value)).toEqual(['quay']);

		// A removed file: the reading of it says the story is gone.
		const elsewhere = await world.newServer();
		await fake.runCommand({ ...elsewhere, user: reader, name: 'read', options: { story: 'quay' } }).reply();
		await fake.waitForMessage(elsewhere.channelId, (m) => m.content.includes('Scene 1 of 1'));
		const scheduled = await fake
			.runCommand({ ...elsewhere, user: reader, memberPermissions: PermissionFlagsBits.ManageGuild, name: 'schedule', subcommand: 'set', options: { timezone: 'UTC', time: '09:00' } })
			.reply();
		expect(scheduled.ephemeral).toBe(false);
		const removed = bot.waitForLog((line) => line.event === 'storyRemoved' && line.storyId === 'quay', 15_000, false);
		await rm(join(stories.path, 'quay.md'));
		await removed;
		const gone = await fake.runCommand({ ...elsewhere, user: reader, name: 'next' }).reply();
		expect(gone.ephemeral).toBe(true);
		expect(gone.content).toContain('no longer available (`quay`)');
		// /feedback there says the same, instead of asking which of the other stories.
		const feedback = await fake.runCommand({ ...elsewhere, user: reader, name: 'feedback' }).reply();
		expect(feedback.ephemeral).toBe(true);
		expect(feedback.content).toBe(gone.content);
		// So does /schedule show, instead of "this channel's reading has no schedule".
		const shown = await fake.runCommand({ ...elsewhere, user: reader, name: 'schedule', subcommand: 'show' }).reply();
		expect(shown.ephemeral).toBe(true);
		expect(shown.content).toBe(gone.content);
		expect(bot.errors()).toEqual([]);
	});
});

describe('a library of twelve stories', () => {
	it('/library turns its pages in place, and its buttons start the story shown', async () => {
		const many = await tempDir('sfb-library-many-');
		for (let index = 1; index <= 12; index++) {
			const id = `tale-${String(index).padStart(2, '0')}`;
			await writeFile(join(many.path, `${id}.md`), `---\ntitle: Tale ${index}\nauthor: Teller ${index}\n---\n\n# Scene\n\nOnce, tale ${index}.\n`);
		}
		const big = await startWorld({ storyDir: many.path });
		try {
			const { fake } = big;
			const server = await big.newServer();
			const reader = fake.user('di');
			const list = await fake.runCommand({ ...server, user: reader, name: 'library' }).reply();
			expect(list.embeds[0]?.footer?.text).toBe('Page 1 of 2');
			expect(list.embeds[0]?.fields).toHaveLength(10);
			const turned = await fake.clickButton({ ...server, user: reader, messageId: list.id, customId: 'library:page:1' }).reply();
			// The same private message, now showing page 2.
			expect(turned.id).toBe(list.id);
			expect(turned.ephemeral).toBe(true);
			expect(turned.embeds[0]?.footer?.text).toBe('Page 2 of 2');
			expect(turned.embeds[0]?.fields?.map((field) => field.name)).toEqual(['Tale 11', 'Tale 12']);
			const start = fake.clickButton({ ...server, user: reader, messageId: turned.id, customId: 'library:read:tale-12' });
			expect(JSON.stringify((await start.reply()).embeds)).toContain('Tale 12');
			await big.served(start);
			expect(big.bot.errors()).toEqual([]);
		} finally {
			await big.close();
			await many.remove();
		}
	});
});

describe('DEFAULT_STORY', () => {
	it('makes /read without `story:` start that story', async () => {
		const defaulted = await startWorld({ storyDir: resolve('test/fixtures/library'), env: { DEFAULT_STORY: 'tide-tables', STORY_WATCH: 'off' } });
		try {
			const { fake } = defaulted;
			const server = await defaulted.newServer();
			const titleCard = await fake.runCommand({ ...server, user: fake.user(), name: 'read' }).reply();
			expect(titleCard.ephemeral).toBe(false);
			expect(JSON.stringify(titleCard.embeds)).toContain('Tide Tables');
			expect((await defaulted.bot.waitForLog((line) => line.event === 'storiesLoaded')).watching).toBe(false);
		} finally {
			await defaulted.close();
		}
	});

	it('naming no story there is stops the bot at start with one line naming the ids there are', async () => {
		const dir = await tempDir();
		try {
			const bot = startBot({ restUrl: 'http://127.0.0.1:9', token: 'x.y.z', dataDir: dir.path, storyDir: resolve('test/fixtures/library'), env: { DEFAULT_STORY: 'tides' } });
			expect(await bot.exited).toBe(1);
			expect(bot.stderr.join('')).toBe(
				'serial-fiction-bot: DEFAULT_STORY is "tides", but no story has that id. Stories loaded: lantern, orchard, tide-tables. Set DEFAULT_STORY to one of them, or leave it empty.\n',
			);
		} finally {
			await dir.remove();
		}
	});
});

describe('an edit that changes a story\'s id while the bot runs', () => {
	it('warns that readings of the old id will not find it, how to keep them, and that DEFAULT_STORY is gone', async () => {
		const dir = await tempDir('sfb-library-idchange-');
		await cp(resolve('test/fixtures/library'), dir.path, { recursive: true });
		const running = await startWorld({ storyDir: dir.path, env: { DEFAULT_STORY: 'orchard' } });
		try {
			const { fake, bot } = running;
			const server = await running.newServer();
			const reader = fake.user('ed');
			await fake.runCommand({ ...server, user: reader, name: 'read' }).reply();
			await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of 3'));

			const file = join(dir.path, 'orchard.md');
			const changed = bot.waitForLog((line) => line.event === 'storyIdChanged', 15_000, false);
			const defaultGone = bot.waitForLog((line) => line.event === 'defaultStoryGone', 15_000, false);
			await writeFile(file, (await readFile(file, 'utf8')).replace('---\n', '---\nid: red-circle\n'));
			const warning = await changed;
			expect(warning.level).toBe(40);
			expect(warning.msg).toBe(
				`${file}: the story's id changed from "orchard" to "red-circle": readings of "orchard" will not find it (they answer that the story is no longer available). To keep them, keep the old id: "id: orchard" in its front matter.`,
			);
			const gone = await defaultGone;
			expect(gone.level).toBe(40);
			expect(gone.msg).toContain('DEFAULT_STORY is "orchard", but no story has that id any more');
			// What the warning says: the channel's reading of "orchard" no longer finds the story.
			const next = await fake.runCommand({ ...server, user: reader, name: 'next' }).reply();
			expect(next.content).toContain('no longer available (`orchard`)');
			expect(bot.errors()).toEqual([]);
		} finally {
			await running.close();
			await dir.remove();
		}
	});
});

describe('a Chinese and a Hebrew story in the library', () => {
	it('/library counts the Chinese one in characters and isolates the Hebrew title and author, as do the /read menu and the buttons', async () => {
		const dir = await tempDir('sfb-library-languages-');
		for (const name of ['kong-yiji.md', 'bereshit.md']) await cp(resolve('test/fixtures/languages', name), join(dir.path, name));
		const shelf = await startWorld({ storyDir: dir.path, env: { STORY_WATCH: 'off' } });
		try {
			const { fake } = shelf;
			const server = await shelf.newServer();
			const reader = fake.user('fa');
			const FSI = '\u2068';
			const PDI = '\u2069';
			const list = await fake.runCommand({ ...server, user: reader, locale: 'fr', name: 'library' }).reply();
			const fields = list.embeds[0]!.fields!;
			expect(fields.map((field) => field.name)).toEqual([`${FSI}בראשית${PDI}`, '孔乙己']);
			expect(fields[0]!.value).toMatch(new RegExp(`^de ${FSI}התורה${PDI} · 2 scènes · 90 mots · `));
			expect(fields[1]!.value).toMatch(/^de 鲁迅 · 3 chapitres · 2\u202f188 caractères · /);
			expect(componentsOf(list).map((button) => button.label)).toEqual([`Lire ${FSI}בראשית${PDI}`, 'Lire 孔乙己']);

			const asked = await fake.runCommand({ ...server, user: reader, name: 'read' }).reply();
			const menu = componentsOf(asked).find((component) => component.type === 3)!;
			expect(menu.options?.map((option) => [option.label, option.description])).toEqual([
				[`${FSI}בראשית${PDI}`, `by ${FSI}התורה${PDI}`],
				['孔乙己', 'by 鲁迅'],
			]);
			// /read's autocomplete: the choice is the bot's sentence "Title by Author", each isolated.
			const choices = await fake.autocomplete({ ...server, user: reader, name: 'read', focused: 'story', value: 'התורה' });
			expect(choices).toEqual([{ name: `${FSI}בראשית${PDI} by ${FSI}התורה${PDI}`, value: 'bereshit' }]);
			const french = await fake.autocomplete({ ...server, user: reader, locale: 'fr', name: 'feedback', focused: 'story', value: 'בראשית' });
			expect(french).toEqual([{ name: `${FSI}בראשית${PDI}`, value: 'bereshit' }]);
			expect(shelf.bot.errors()).toEqual([]);
		} finally {
			await shelf.close();
			await dir.remove();
		}
	});
});
