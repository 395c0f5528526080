// `npm run deploy`: registers the slash commands with Discord (to DEV_GUILD_ID when set, where
// they appear at once; globally otherwise). The bot also does this on start when they changed.
// Every failure a person can fix is one line saying what to check, within LOGIN_TIMEOUT_SECONDS.
import { REST, Routes } from 'discord.js';
import { syncCommands } from './discord/command-sync.js';
import { withinLoginLimit } from './startup-checks.js';
import { exitWithWords, explainStartupError, readEnvOrExit } from './startup-errors.js';

const env = readEnvOrExit();
try {
	const rest = new REST(env.discordApiUrl ? { api: env.discordApiUrl } : {}).setToken(env.discordToken);
	const work = (async () => {
		const application = (await rest.get(Routes.currentApplication())) as { id: string; name: string };
		return { application, result: await syncCommands(rest, application.id, env.devGuildId, true) };
	})();
	const { application, result } = await withinLoginLimit(work, env.loginTimeoutMs, env.discordApiUrl);
	console.log(`Registered ${result.count} slash commands for ${application.name} (${result.scope}).`);
	if (result.scope === 'global') {
		console.log('Global commands can take a few minutes to appear in every server.');
		// Deploy has no gateway, so it does not know the bot's servers; the bot does (src/discord/commands-at-start.ts).
		console.log('Copies left in a server by an earlier DEV_GUILD_ID run are removed when the bot next starts.');
	}
} catch (error) {
	exitWithWords(explainStartupError(error, env) ?? [error instanceof Error ? error.message : String(error)]);
}
