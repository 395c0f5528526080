// `npm run deploy`: registers the slash commands with Discord (to DEV_GUILD_ID when set, where
// they appear at once; globally otherwise). The bot also does this on start when they changed.
import { REST, Routes } from 'discord.js';
import { EnvError, readEnv } from './env.js';
import { syncCommands } from './discord/command-sync.js';

try {
	const env = readEnv();
	const rest = new REST(env.discordApiUrl ? { api: env.discordApiUrl } : {}).setToken(env.discordToken);
	const application = (await rest.get(Routes.currentApplication())) as { id: string; name: string };
	const result = await syncCommands(rest, application.id, env.devGuildId, true);
	console.log(`Registered ${result.count} slash commands for ${application.name} (${result.scope}).`);
	if (result.scope === 'global') console.log('Global commands can take a few minutes to appear in every server.');
} catch (error) {
	const message = error instanceof EnvError ? error.problems.join('\n') : error instanceof Error ? error.message : String(error);
	for (const line of message.split('\n')) console.error(`serial-fiction-bot: ${line}`);
	process.exit(1);
}
