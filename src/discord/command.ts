import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from '../context.js';
import type { InteractionPlace } from './place.js';
import type { Responder } from './responder.js';

/** One slash command: its definition for Discord, and what it does. Listed in commands/index.ts. */
export interface Command {
	data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
	/** `where`: the reading's place and how to answer there (see placeOf). */
	execute(interaction: ChatInputCommandInteraction, responder: Responder, ctx: BotContext, where: InteractionPlace): Promise<void>;
	autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}
