import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fake-discord/index.js';
import { PROJECT_ROOT, startBot, tempDir, type BotProcess, type StartOptions } from './harness.js';

/** A fake Discord, one bot process, and a temp folder for its SQLite store: what each scenario file starts from. */
export interface World {
	fake: FakeDiscord;
	bot: BotProcess;
	dataDir: string;
	/** Starts the bot again on the same store (after `bot.kill()` or `bot.stop()`). */
	restartBot(): Promise<BotProcess>;
	/** A new server with one text channel, known to the running bot. */
	newServer(options?: { botPermissions?: bigint; channelType?: number; preferredLocale?: string }): Promise<{ guildId: string; channelId: string }>;
	/** /read in the server, resolved once scene 1 is in the channel and the bot has saved the reading. */
	startReading(server: { guildId: string; channelId: string }): Promise<void>;
	/** Resolves when the bot has finished with an interaction: answered, refused or failed, and saved. */
	served(interaction: { id: string }): Promise<unknown>;
	close(): Promise<void>;
}

export const READER_PERMISSIONS =
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.ReadMessageHistory |
	PermissionFlagsBits.UseApplicationCommands;

export async function startWorld(options: Partial<Pick<StartOptions, 'keyvUrl' | 'storyDir' | 'env'>> & { fake?: FakeDiscordOptions } = {}): Promise<World> {
	const { fake: fakeOptions, ...botOptions } = options;
	const fake = await startFakeDiscord(fakeOptions);
	const dir = await tempDir();
	// The bot runs in a folder holding the README's `.env` (a copy of .env.example, every optional
	// variable present and empty), as a user's first start would; the harness's variables take precedence.
	await copyFile(join(PROJECT_ROOT, '.env.example'), join(dir.path, '.env'));
	const launch = async () => {
		const bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, ...botOptions });
		await bot.ready();
		return bot;
	};
	const world: World = {
		fake,
		bot: await launch(),
		dataDir: dir.path,
		async restartBot() {
			world.bot = await launch();
			return world.bot;
		},
		async newServer(serverOptions = {}) {
			const guild = fake.addGuild({
				channels: [{ type: serverOptions.channelType ?? 0 }],
				botPermissions: serverOptions.botPermissions ?? READER_PERMISSIONS,
				...(serverOptions.preferredLocale !== undefined ? { preferredLocale: serverOptions.preferredLocale } : {}),
			});
			const guildId = guild.id;
			await world.bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guildId);
			return { guildId, channelId: guild.channels[0]!.id };
		},
		async startReading(server) {
			const read = fake.runCommand({ ...server, user: fake.user(), name: 'read' });
			await read.reply();
			await fake.waitForMessage(server.channelId, (m) => m.content.includes('Scene 1 of'));
			await world.served(read);
		},
		served(interaction) {
			return world.bot.waitForLog((line) => line.interactionId === interaction.id && /^interaction (served|refused|failed)$/.test(line.msg));
		},
		async close() {
			await world.bot.stop();
			await fake.close();
			await dir.remove();
			// The fake's answers must stay inside Discord's spec, or the scenarios prove nothing about Discord.
			if (fake.specViolations.length > 0) throw new Error(`the fake answered outside Discord's spec: ${JSON.stringify(fake.specViolations, null, 1)}`);
		},
	};
	return world;
}
