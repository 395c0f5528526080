import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, RESTJSONErrorCodes, Routes, type Message } from 'discord.js';
import type { BotContext } from '../context.js';
import { wordsForApiError } from './api-errors.js';

/** Emoji Discord refused with 10014 in this process: each is logged once, not under every scene. */
const refusedEmoji = new Set<string>();

/**
 * The time between two reactions in one channel, ms: Discord's reaction route allows one per 0.25 s
 * per channel (discord/discord-api-docs#182; discord.js#2795 keys it per channel), plus the 50 ms
 * discord.js adds to every reset. discord.js waits this itself once it knows the route's bucket, but
 * it learns the bucket from the first answer and then sends the next reaction through a new queue
 * that knows nothing of the limit just used (@discordjs/rest SequentialHandler), so a fresh process
 * would get a 429 on the second emoji of every part it reacts to before then.
 */
export const REACTION_SPACING_MS = 300;

/**
 * Parts whose emoji are being added at once, per process. Discord allows one reaction per 0.25 s per
 * channel, so 16 parts (in 16 channels) can fill the global pace (45 requests/s: src/rest-pacer.ts);
 * more would only queue inside discord.js's REST, where a wait counts towards its 15 s timeout.
 */
export const EMOJI_PARTS_AT_ONCE = 16;
let emojiParts = 0;
const waitingParts: Array<() => void> = [];

async function emojiTurn(): Promise<() => void> {
	if (emojiParts >= EMOJI_PARTS_AT_ONCE) await new Promise<void>((resolve) => waitingParts.push(resolve));
	else emojiParts++;
	return () => {
		const next = waitingParts.shift();
		if (next) next();
		else emojiParts--;
	};
}

/**
 * Adds `emojis` (a story's feedback emoji) under a part, in order, without holding up the reply to the
 * reader. Cosmetic work, last in line: it waits while scheduled releases are queued or running (so
 * every due part is posted before any emoji), and at most EMOJI_PARTS_AT_ONCE parts get their emoji
 * at a time. It is not awaited on shutdown, and its requests carry `ctx.shutdown` as
 * their AbortSignal, so a request still queued (say behind a long 429 on the reaction route) is
 * dropped when shutdown starts instead of keeping the process alive.
 *
 * Discord answers 10014 Unknown Emoji for some valid Unicode emoji (newer than its emoji set, or
 * spelled without U+FE0F): that emoji is skipped, the others are still added, and it is logged once
 * per process. Any other error (no Add Reactions, the message deleted, the thread archived) would
 * refuse the rest too, so it ends the loop with one warning.
 */
export function offerFeedbackEmoji(ctx: BotContext, message: Message, emojis: readonly string[]): void {
	const log = { guildId: message.guildId, channelId: message.channelId, messageId: message.id };
	// @discordjs/rest adds an abort listener to a request's signal and never removes it, so the
	// requests get a signal of their own, tied to ctx.shutdown for as long as this task lives.
	const stop = new AbortController();
	const abort = () => stop.abort();
	ctx.shutdown.addEventListener('abort', abort, { once: true });
	const addEach = async (): Promise<void> => {
		let answeredAt: number | undefined;
		for (const emoji of emojis) {
			if (stop.signal.aborted) return;
			await ctx.schedules.whenIdle();
			if (answeredAt !== undefined) await sleep(answeredAt + REACTION_SPACING_MS - Date.now(), undefined, { signal: stop.signal }).catch(() => undefined);
			if (stop.signal.aborted) return;
			try {
				// message.react() takes no AbortSignal; this is the same request with one.
				await message.client.rest.put(Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(emoji)), { signal: stop.signal });
			} catch (error) {
				if (stop.signal.aborted) return;
				if (!(error instanceof DiscordAPIError) || error.code !== RESTJSONErrorCodes.UnknownEmoji) throw error;
				if (!refusedEmoji.has(emoji)) {
					refusedEmoji.add(emoji);
					ctx.logger.warn(
						{ ...log, emoji, code: error.code },
						'Discord does not know this feedback emoji (10014): it is skipped under every scene; pick another in the story\'s feedback-emoji',
					);
				}
			} finally {
				answeredAt = Date.now();
			}
		}
	};
	void (async () => {
		const done = await emojiTurn();
		try {
			await addEach();
		} finally {
			done();
		}
	})()
		.catch((error: unknown) => {
			ctx.logger.warn({ err: error, ...log, explanation: wordsForApiError(error) }, 'could not add feedback emoji under a scene');
		})
		.finally(() => ctx.shutdown.removeEventListener('abort', abort));
}
