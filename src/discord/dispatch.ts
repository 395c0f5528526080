import { DiscordAPIError, type Interaction } from 'discord.js';
import { commandsByName } from '../../commands/index.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import { dispatchMessagesIn, languageFor } from '../messages/index.js';
import { parseNextButton } from '../reading/service.js';
import { StoreUnavailableError } from '../store.js';
import { wordsForApiError } from './api-errors.js';
import { parseCatchUpButton, showCatchUp } from './catchup.js';
import { parseLibraryComponent, useLibraryComponent } from './library.js';
import { toggleNotice } from './notify.js';
import { placeOf } from './place.js';
import { parseNotifyButton } from './poster.js';
import { advanceHere } from './reading.js';
import { Responder } from './responder.js';

/** The one `interactionCreate` handler: finds the command or button, runs it, and owns the error path to the user. */
export async function dispatchInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
	const started = performance.now();
	const what = describe(interaction);
	const log = ctx.logger.child({ interaction: what, interactionId: interaction.id, guildId: interaction.guildId, userId: interaction.user.id });
	log.debug('interaction received');

	if (interaction.isAutocomplete()) {
		const command = commandsByName.get(interaction.commandName);
		if (!command?.autocomplete) return interaction.respond([]).catch(() => undefined);
		await command.autocomplete(interaction, ctx).catch((error: unknown) => log.error({ err: error }, 'autocomplete failed'));
		return;
	}
	if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isStringSelectMenu()) return;

	const responder = new Responder(interaction);
	// Refusals are seen by the user alone: in their language, then the server's, then English.
	const language = languageFor(interaction.locale, interaction.guildLocale);
	const said = dispatchMessagesIn(language);
	try {
		// A server channel, a DM with the bot, or a private reading where the bot is not present.
		const where = placeOf(interaction);
		if (interaction.isChatInputCommand()) {
			const command = commandsByName.get(interaction.commandName);
			if (!command) throw new UserError(said.unknownCommand(interaction.commandName));
			responder.autoDefer(undefined, { ephemeral: where.private });
			await command.execute(interaction, responder, ctx, where);
		} else if (parseLibraryComponent(interaction.customId) !== undefined) {
			const component = parseLibraryComponent(interaction.customId)!;
			// Turning a page only edits the private list; a story chosen is posted like /read's.
			if (component.kind !== 'page') responder.autoDefer(undefined, { ephemeral: where.private });
			await useLibraryComponent(ctx, interaction, responder, where, component);
		} else if (!interaction.isButton()) {
			throw new UserError(said.unknownButton);
		} else if (parseCatchUpButton(interaction.customId) !== undefined) {
			const { storyId, part } = parseCatchUpButton(interaction.customId)!;
			responder.autoDefer(undefined, { ephemeral: true });
			await showCatchUp(ctx, responder, where, part, storyId);
		} else if (parseNotifyButton(interaction.customId) !== undefined) {
			responder.autoDefer(undefined, { ephemeral: true });
			await toggleNotice(ctx, interaction, responder, where, parseNotifyButton(interaction.customId)!);
		} else {
			const button = parseNextButton(interaction.customId);
			if (!button) throw new UserError(said.unknownButton);
			responder.autoDefer(undefined, { ephemeral: where.private });
			await advanceHere(ctx, interaction, responder, where, { kind: 'button', ...button });
		}
		log.info({ ms: round(performance.now() - started) }, 'interaction served');
	} catch (error) {
		const words = wordsForUser(error, language);
		if (words && error instanceof DiscordAPIError) log.warn({ err: error, code: error.code, ms: round(performance.now() - started), answer: words }, 'interaction refused');
		else if (words) log.info({ ms: round(performance.now() - started), answer: words }, 'interaction refused');
		else log.error({ err: error, ms: round(performance.now() - started) }, 'interaction failed');
		await responder.sendEphemeral(words ?? said.somethingWentWrong).catch((replyError: unknown) => {
			log.warn({ err: replyError }, 'could not tell the user about the failure');
		});
	}
}

function wordsForUser(error: unknown, language: string): string | undefined {
	if (error instanceof UserError) return error.message;
	if (error instanceof StoreUnavailableError) return dispatchMessagesIn(language).storeDown;
	// Discord refused a request (a thread locked after the checks above, AutoMod, a deleted channel...).
	return wordsForApiError(error, language);
}

function describe(interaction: Interaction): string {
	if (interaction.isChatInputCommand() || interaction.isAutocomplete()) return `/${interaction.commandName}`;
	if (interaction.isButton()) return `button:${interaction.customId}`;
	if (interaction.isStringSelectMenu()) return `menu:${interaction.customId}`;
	return `type:${interaction.type}`;
}

function round(ms: number): number {
	return Math.round(ms * 100) / 100;
}
