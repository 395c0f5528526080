import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../fake-discord/index.js';
import { startWorld, type World } from './world.js';

// Readers in their own language, with the real bot process: what only a reader sees follows their
// Discord client's locale; what everyone in a channel sees follows the server's preferred locale;
// the story's own text is never translated. The commands are registered with their translations.

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const nextButtonOf = (message: FakeMessage) => message.components[0]?.components[0];

/** The bot's own words in a message: its text, embed titles, authors, field names and values, footers and button labels (not the story text in descriptions). */
function botWords(message: FakeMessage): string {
	const embeds = message.embeds.flatMap((embed) => [embed.title ?? '', embed.author?.name ?? '', embed.footer?.text ?? '', ...(embed.fields ?? []).flatMap((field) => [field.name, field.value])]);
	const buttons = message.components.flatMap((row) => row.components.map((button) => button.label ?? ''));
	// Content notes are the story's words, behind a spoiler.
	return [message.content, ...embeds, ...buttons].join('\n').replace(/\|\|[^|]*\|\|/g, '');
}

/** English the bot would have used (the story's title, "After The End", is the story's own words). */
const ENGLISH = [/\bScene \d/, /\bscene \d/, /Next:/, /Read the ending/, /The end\b/, /Feedback on/, /Content notes/, /\bLength\b/, /min read/, /no reactions yet/, /Start it again/, /\bis at\b/, /\bby Serenade/, /Reader reactions/];
const englishIn = (text: string): string[] => ENGLISH.flatMap((pattern) => (pattern.test(text) ? [`${String(pattern)} in ${JSON.stringify(text)}`] : []));

describe('a reader whose Discord is in French', () => {
	it('gets every answer of a whole private reading in French: /read, Next, /next to the end, /progress, /feedback and a refusal', async () => {
		const { fake } = world;
		const reader = fake.user('camille');
		const fr = { user: reader, locale: 'fr' };

		const title = await fake.runCommandInDM({ ...fr, name: 'read' }).reply();
		expect(title.content).toBe('**After The End**, de Serenade');
		expect(title.embeds[0]!.author?.name).toBe('de Serenade');
		expect(title.embeds[0]!.fields!.map((field) => field.name)).toEqual(['Avertissements de contenu', 'Longueur', 'Vos avis', 'Source']);
		expect(title.embeds[0]!.fields![1]!.value).toMatch(/^4 scènes · environ \d+ min de lecture$/);
		expect(title.embeds[0]!.fields![2]!.value).toContain('Réagissez sous n’importe quelle scène avec');
		const dm = title.channel_id;

		const scene1 = await fake.waitForMessage(dm, (m) => m.content.includes('Scène 1 sur 4'));
		// The story's text stays as the author wrote it.
		expect(scene1.embeds[0]?.description).toMatch(/^Lex leaned against the cold metal of the wall/);
		expect(nextButtonOf(scene1)?.label).toBe('Suite : scène 2 sur 4');

		const scene2 = await fake.clickButton({ ...fr, channelId: dm, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id! }).reply();
		expect(scene2.content).toContain('Scène 2 sur 4');

		const progress = await fake.runCommandInDM({ ...fr, name: 'progress' }).reply();
		expect(progress.content).toMatch(/^\*\*After The End\*\* en est à la scène 2 sur 4 dans votre lecture privée \(\[y aller\]\(https:\/\/discord\.com\/channels\/@me\/\d+\/\d+\)\) ; avancée <t:\d+:R>\.$/);
		expect(nextButtonOf(progress)?.label).toBe('Suite : scène 3 sur 4');

		// An old Next button: refused, privately, in French.
		const stale = await fake.clickButton({ ...fr, channelId: dm, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id! }).reply();
		expect(stale.ephemeral).toBe(true);
		expect(stale.content).toMatch(/^Ce bouton Suite appartient à une scène précédente\. La lecture en est à la scène 2 sur 4 : \[aller à la plus récente\]/);

		for (const scene of [3, 4]) expect((await fake.runCommandInDM({ ...fr, name: 'next' }).reply()).content).toContain(`Scène ${scene} sur 4`);
		expect(nextButtonOf(fake.messages(dm).at(-1)!)?.label).toBe('Lire la fin');

		const ending = await fake.runCommandInDM({ ...fr, name: 'next' }).reply();
		expect(ending.content).toBe('**After The End** · Fin');
		expect(ending.embeds[0]!.title).toBe('Fin de After The End');
		expect(ending.embeds[1]!.title).toBe('Réactions des lecteurs');
		expect(ending.embeds[1]!.description).toContain('**Total** · aucune réaction pour l’instant');

		const over = await fake.runCommandInDM({ ...fr, name: 'next' }).reply();
		expect(over.ephemeral).toBe(true);
		expect(over.content).toMatch(/^La lecture de \*\*After The End\*\* est terminée : les 4 parties et la fin sont publiées .*Recommencez-la avec `\/read`\.$/);

		const feedback = await fake.runCommandInDM({ ...fr, name: 'feedback' }).reply();
		expect(feedback.embeds[0]!.title).toBe('Avis sur After The End');
		expect(feedback.embeds[0]!.description).toMatch(/^Scène 1 · /);

		const missing = await fake.runCommandInDM({ ...fr, name: 'feedback', options: { story: 'no-such-story' } }).reply();
		expect(missing.content).toBe('Il n’y a pas d’histoire appelée `no-such-story`.');

		// Not one English sentence of the bot's in the whole reading (the feedback summaries included).
		const everything = fake.messages(dm).map((message) => [botWords(message), message === feedback || message === ending ? message.embeds.map((e) => e.description ?? '').join('\n') : ''].join('\n'));
		expect(everything.flatMap(englishIn)).toEqual([]);
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('a reader whose Discord is in Latin American Spanish (es-419, served by the Spanish catalog)', () => {
	it('gets a whole private reading in Spanish', async () => {
		const { fake } = world;
		const es = { user: fake.user('lucia'), locale: 'es-419' };
		const title = await fake.runCommandInDM({ ...es, name: 'read' }).reply();
		expect(title.content).toBe('**After The End**, de Serenade');
		const dm = title.channel_id;
		const scene1 = await fake.waitForMessage(dm, (m) => m.content.includes('Escena 1 de 4'));
		expect(nextButtonOf(scene1)?.label).toBe('Siguiente: escena 2 de 4');
		expect((await fake.clickButton({ ...es, channelId: dm, messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id! }).reply()).content).toContain('Escena 2 de 4');
		const progress = await fake.runCommandInDM({ ...es, name: 'progress' }).reply();
		expect(progress.content).toMatch(/^\*\*After The End\*\* va por la escena 2 de 4 en tu lectura privada /);
		for (const scene of [3, 4]) expect((await fake.runCommandInDM({ ...es, name: 'next' }).reply()).content).toContain(`Escena ${scene} de 4`);
		const ending = await fake.runCommandInDM({ ...es, name: 'next' }).reply();
		expect(ending.embeds.map((embed) => embed.title)).toEqual(['Fin de After The End', 'Reacciones de los lectores']);
		const over = await fake.runCommandInDM({ ...es, name: 'next' }).reply();
		expect(over.ephemeral).toBe(true);
		expect(over.content).toMatch(/^La lectura de \*\*After The End\*\* ha terminado: las 4 partes y el final están publicados /);
		const feedback = await fake.runCommandInDM({ ...es, name: 'feedback' }).reply();
		expect(feedback.embeds[0]!.title).toBe('Opiniones sobre After The End');
		expect(feedback.embeds[0]!.description).toContain('**Total** · aún no hay reacciones');

		const everything = fake.messages(dm).map((message) => [botWords(message), message === feedback || message === ending ? message.embeds.map((e) => e.description ?? '').join('\n') : ''].join('\n'));
		expect(everything.flatMap(englishIn)).toEqual([]);
	});
});

describe('a server whose preferred locale is Spanish (es-ES)', () => {
	it('posts the bot’s own words in Spanish for everyone, the story’s in its own language, and answers each reader privately in theirs', async () => {
		const { fake } = world;
		const { guildId, channelId } = await world.newServer({ preferredLocale: 'es-ES' });
		const here = { guildId, channelId };
		const ana = fake.user('ana'); // Discord in English (en-US, the default)
		const camille = fake.user('camille');

		const title = await fake.runCommand({ ...here, user: ana, name: 'read' }).reply();
		expect(title.ephemeral).toBe(false);
		expect(title.content).toBe('**After The End**, de Serenade');
		expect(title.embeds[0]!.fields!.map((field) => field.name)).toEqual(['Avisos de contenido', 'Extensión', 'Opiniones', 'Fuente']);
		const scene1 = await fake.waitForMessage(channelId, (m) => m.content.includes('Escena 1 de 4'));
		expect(scene1.embeds[0]?.description).toMatch(/^Lex leaned against the cold metal of the wall/);
		expect(nextButtonOf(scene1)?.label).toBe('Siguiente: escena 2 de 4');

		// /progress in public: for everyone in the channel, so in the server's language.
		const progress = await fake.runCommand({ ...here, user: ana, name: 'progress' }).reply();
		expect(progress.ephemeral).toBe(false);
		expect(progress.content).toMatch(new RegExp(`^\\*\\*After The End\\*\\* va por la escena 1 de 4 en <#${channelId}> .*; la avanzó <@${ana.id}> <t:\\d+:R>\\.$`));

		// Answers only the reader sees: in the reader's language.
		const again = await fake.runCommand({ ...here, user: ana, name: 'read' }).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.content).toMatch(/is at scene 1 of 4 in <#\d+>/);
		expect(nextButtonOf(again)?.label).toBe('Next: scene 2 of 4');
		const refused = await fake.runCommand({ ...here, user: camille, locale: 'fr', name: 'read', options: { restart: true } }).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.content).toBe('Seuls les membres ayant la permission Gérer le serveur peuvent recommencer une lecture en cours.');

		// A French reader's Next press posts for everyone: in Spanish.
		const scene2 = await fake.clickButton({ ...here, user: camille, locale: 'fr', messageId: scene1.id, customId: nextButtonOf(scene1)!.custom_id! }).reply();
		expect(scene2.ephemeral).toBe(false);
		expect(scene2.content).toContain('Escena 2 de 4');
		for (let i = 0; i < 2; i++) await fake.runCommand({ ...here, user: ana, name: 'next' }).reply();
		const ending = await fake.runCommand({ ...here, user: ana, name: 'next' }).reply();
		expect(ending.content).toBe('**After The End** · Fin');
		expect(ending.embeds.map((embed) => embed.title)).toEqual(['Fin de After The End', 'Reacciones de los lectores']);
		expect(ending.embeds[1]!.description).toMatch(/^Escena 1 · /);

		const feedback = await fake.runCommand({ ...here, user: camille, locale: 'fr', name: 'feedback' }).reply();
		expect(feedback.ephemeral).toBe(false);
		expect(feedback.embeds[0]!.title).toBe('Opiniones sobre After The End');

		const posted = fake.messages(channelId, { ephemeral: false });
		expect(posted.flatMap((message) => englishIn(botWords(message)))).toEqual([]);
		expect(world.bot.errors()).toEqual([]);
	});
});

describe('the registered commands', () => {
	it('carry their names and descriptions in every shipped language, options included', () => {
		const commands = world.fake.commands();
		const read = commands.find((command) => command.name === 'read')!;
		expect(read.name_localizations).toEqual({ fr: 'lire', 'es-ES': 'leer', 'es-419': 'leer' });
		expect(read.description_localizations).toMatchObject({ fr: expect.stringMatching(/^Commencer la lecture/), 'es-ES': expect.stringMatching(/^Empezar a leer/) });
		const options = (read as unknown as { options: Array<{ name: string; name_localizations: Record<string, string> }> }).options;
		expect(options.map((option) => [option.name, option.name_localizations.fr, option.name_localizations['es-ES']])).toEqual([
			['story', 'histoire', 'historia'],
			['restart', 'recommencer', 'reiniciar'],
		]);
		const french = (name: string) => (commands.find((command) => command.name === name)?.name_localizations as Record<string, string> | null)?.fr;
		expect(['read', 'next', 'progress', 'feedback'].map(french)).toEqual(['lire', 'suivant', 'progression', 'avis']);
	});

	it('translate /schedule, /catchup and /discussion down to their subcommands, options and choices', () => {
		type Item = { name: string; name_localizations?: Record<string, string> | null; description_localizations?: Record<string, string> | null; options?: Item[]; choices?: Item[] };
		const commands = world.fake.commands() as unknown as Item[];
		const find = (items: Item[] | undefined, name: string): Item => items!.find((item) => item.name === name)!;
		const inFrenchAndSpanish = (item: Item) => [item.name, item.name_localizations?.fr, item.name_localizations?.['es-ES'], item.name_localizations?.['es-419']];
		const schedule = find(commands, 'schedule');
		expect(inFrenchAndSpanish(schedule)).toEqual(['schedule', 'programme', 'programa', 'programa']);
		expect(schedule.options!.map(inFrenchAndSpanish)).toEqual([
			['set', 'fixer', 'fijar', 'fijar'],
			['show', 'voir', 'ver', 'ver'],
			['pause', 'pause', 'pausar', 'pausar'],
			['resume', 'reprendre', 'reanudar', 'reanudar'],
			['clear', 'supprimer', 'quitar', 'quitar'],
		]);
		expect(find(schedule.options, 'set').options!.map(inFrenchAndSpanish)).toEqual([
			['timezone', 'fuseau', 'zona', 'zona'],
			['time', 'heure', 'hora', 'hora'],
			['days', 'jours', 'dias', 'dias'],
			['every', 'intervalle', 'intervalo', 'intervalo'],
			['cron', 'cron', 'cron', 'cron'],
			['role', 'role', 'rol', 'rol'],
		]);
		expect(find(find(schedule.options, 'set').options, 'timezone').description_localizations?.fr).toMatch(/^Fuseau horaire IANA/);
		const catchup = find(commands, 'catchup');
		expect([catchup, ...catchup.options!].map(inFrenchAndSpanish)).toEqual([
			['catchup', 'rattraper', 'ponerse-al-dia', 'ponerse-al-dia'],
			['from', 'depuis', 'desde', 'desde'],
		]);
		const discussion = find(commands, 'discussion');
		const threads = find(discussion.options, 'threads');
		expect([discussion, threads].map(inFrenchAndSpanish)).toEqual([
			['discussion', 'discussion', 'debate', 'debate'],
			['threads', 'fils', 'hilos', 'hilos'],
		]);
		expect(threads.choices!.map((choice) => choice.name_localizations?.fr)).toEqual([
			'Désactivés',
			'Archiver après 1 heure sans message',
			'Archiver après 1 jour sans message',
			'Archiver après 3 jours sans message',
			'Archiver après 1 semaine sans message',
		]);
		expect(threads.choices!.map((choice) => choice.name_localizations?.['es-ES'])).toEqual([
			'Desactivados',
			'Archivar tras 1 hora sin mensajes',
			'Archivar tras 1 día sin mensajes',
			'Archivar tras 3 días sin mensajes',
			'Archivar tras 1 semana sin mensajes',
		]);
	});

	it('are registered again on start when Discord holds them without their translations', async () => {
		const { fake } = world;
		// What the release before registered: the same commands, no localizations.
		const bare = fake.commands().map(({ name, description, options, contexts, integration_types }) => ({
			name,
			description,
			contexts,
			integration_types,
			...(options ? { options: (options as Array<Record<string, unknown>>).map(({ name_localizations: _n, description_localizations: _d, ...option }) => option) } : {}),
		}));
		const put = await fetch(`${fake.restUrl}/v10/applications/${fake.applicationId}/commands`, {
			method: 'PUT',
			headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
			body: JSON.stringify(bare),
		});
		expect(put.status).toBe(200);
		expect(fake.commands().find((command) => command.name === 'read')!.name_localizations).toBeNull();

		await world.bot.stop();
		const bot = await world.restartBot();
		const synced = await bot.waitForLog((line) => /^slash commands (registered|up to date)$/.test(line.msg));
		expect(synced.msg).toBe('slash commands registered');
		expect(fake.commands().find((command) => command.name === 'read')!.name_localizations).toEqual({ fr: 'lire', 'es-ES': 'leer', 'es-419': 'leer' });
	});
});
