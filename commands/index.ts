import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from '../src/context.js';
import type { Responder } from '../src/discord/responder.js';
import feedback from './feedback.js';
import next from './next.js';
import progress from './progress.js';
import read from './read.js';

export interface Command {
	data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
	execute(interaction: ChatInputCommandInteraction<'cached'>, responder: Responder, ctx: BotContext): Promise<void>;
	autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void>;
}

/** Every slash command the bot has. Explicit, so what is deployed is what is listed here. */
export const commands: readonly Command[] = [read, next, progress, feedback];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((command) => [command.data.name, command]));
