// /catchup and its More button: a reader sees, privately, the parts a reading has posted so far,
// one part per answer, without posting in the channel or moving the reading.
import { ActionRowBuilder, ButtonBuilder } from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import { readingMessagesIn, scheduleMessagesIn } from '../messages/index.js';
import type { InteractionPlace } from './place.js';
import type { Responder } from './responder.js';

const PREFIX = 'catchup';

/** `catchup:<story>:<part>`: the More button that shows part `part` of the story. */
export function catchUpButtonId(storyId: string, part: number): string {
	return `${PREFIX}:${storyId}:${part}`;
}

export function parseCatchUpButton(customId: string): { storyId: string; part: number } | undefined {
	const [prefix, storyId, part] = customId.split(':');
	if (prefix !== PREFIX || !storyId || !part || !/^\d+$/.test(part)) return undefined;
	return { storyId, part: Number(part) };
}

/**
 * Shows part `from` (1-based) of the reading at the interaction's place, privately, with a More
 * button for the next one while it is posted already. Throws UserError when there is no reading,
 * when nothing is posted yet, when `from` is past the newest part, or (for a More button) when the
 * place now reads another story.
 */
export async function showCatchUp(ctx: BotContext, responder: Responder, where: InteractionPlace, from: number, storyId?: string): Promise<void> {
	// Catch-up is private: the reader's language.
	const language = where.languages.reader;
	const readingMessages = readingMessagesIn(language);
	const scheduleMessages = scheduleMessagesIn(language);
	const status = await ctx.readings.status(where.place);
	if (status.kind === 'noReading') throw new UserError(where.kind === 'server' ? readingMessages.noReadingHere : readingMessages.noPrivateReading);
	if (status.kind === 'storyGone') throw new UserError(readingMessages.storyMissing(status.record.storyId, status.refusedFile !== undefined));
	const { record, story } = status;
	if (storyId !== undefined && storyId !== story.id) throw new UserError(scheduleMessages.catchUpOtherStory);
	const partCount = ctx.stories.partCount(story);
	const posted = Math.min(record.position, partCount);
	if (posted === 0) throw new UserError(scheduleMessages.catchUpNothingYet);
	if (from > posted) throw new UserError(scheduleMessages.catchUpPastNewest(posted, ctx.stories.describePart(story, posted, language)));
	const payloads = ctx.stories.partMessages(story, from, language);
	for (const [index, payload] of payloads.entries()) {
		const last = index === payloads.length - 1;
		const more =
			last && from < posted
				? [
						new ActionRowBuilder<ButtonBuilder>().addComponents(
							new ButtonBuilder()
								.setCustomId(catchUpButtonId(story.id, from + 1))
								.setLabel(scheduleMessages.catchUpMore(ctx.stories.describePart(story, from + 1, language)))
								.setStyle(ButtonStyle.Secondary),
						),
					]
				: [];
		await responder.send({ ...payload, components: more }, { asNewMessage: true, ephemeral: true });
	}
	if (from === posted) await responder.sendEphemeral(scheduleMessages.caughtUp);
}
