import type { Client } from 'discord.js';
import type { Logger } from '../logger.js';
import { clearGuildCopies } from './command-sync.js';

/**
 * With global commands registered, removes the guild copies a DEV_GUILD_ID run left in the
 * servers this process is in (see clearGuildCopies for the bound), logging one line per server.
 */
export async function clearGuildCopiesAtStart(client: Client<true>, logger: Logger): Promise<void> {
	const { cleared, keptOthers, notScanned } = await clearGuildCopies(client.rest, client.application.id, [...client.guilds.cache.keys()]);
	for (const guildId of cleared) {
		logger.info({ event: 'guildCommandsCleared', guildId }, 'removed the server copies of the slash commands left from DEV_GUILD_ID: the global ones remain');
	}
	for (const guildId of keptOthers) {
		logger.warn({ event: 'guildCommandsKept', guildId }, 'this server has server-only commands of this app that are not ours: left as they are');
	}
	if (notScanned > 0) logger.info({ event: 'guildCommandsNotScanned', notScanned }, 'did not look for leftover DEV_GUILD_ID commands in the remaining servers');
}
