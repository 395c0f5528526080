import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

/**
 * Where each command can be installed and used, set on every command explicitly (Discord otherwise
 * falls back to the app's portal settings): https://discord.com/developers/docs/interactions/application-commands#interaction-contexts
 * - Reading commands (/read, /next): installed to a server or to a user; used in servers, in a DM
 *   with the bot, and in other DMs and group DMs (a private reading there).
 * - Server commands (/progress, /feedback): the same installs and places, so a user-installed copy
 *   can say where the server's readings are and how to add the bot; in a DM they show the reader's own.
 * The README's "Install" section lists the same.
 */
export const INTEGRATION_TYPES = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall] as const;
export const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel] as const;
