import { DiscordAPIError } from 'discord.js';
import { COMMAND_REGISTRATION_ERROR_WORDS, postingErrorWordsIn, REACTION_ERROR_WORDS } from '../messages/api-errors.js';

/**
 * Plain words for a Discord API refusal, or undefined when `error` is not a DiscordAPIError or its
 * code is not one the bot can meet on the route that failed (the caller then says "something went
 * wrong" and logs it). The route is read from the request's URL, because one code means different
 * things on different routes (50001 on a channel is "can't see it", on command registration "not in
 * that server"): command registration, the reaction routes, and everything else the bot calls
 * (interaction callbacks and follow-ups, channel messages and channels), which is posting.
 *
 * Codes considered and left out, as the bot cannot meet them on its routes: 20016 (slowmode: bots
 * are unaffected, per the channel object's `rate_limit_per_user` in Discord's docs), 200001 (AutoMod
 * on a title: the bot names no thread or forum post), 30046 (edits of messages older than an hour:
 * it edits only its answer within the 15-minute interaction window), 160002/160009 (it sends no
 * replies or references), 50006 (its messages are never empty), 90001 (a
 * reaction blocked by the message's author: the author is the bot).
 *
 * Posting refusals are for the reader, in `language` (default English); the others, for the operator's log, are English.
 */
export function wordsForApiError(error: unknown, language?: string): string | undefined {
	if (!(error instanceof DiscordAPIError) || typeof error.code !== 'number') return undefined;
	const path = routePath(error.url);
	const table = /\/applications\/\d+\/(guilds\/\d+\/)?commands/.test(path)
		? COMMAND_REGISTRATION_ERROR_WORDS
		: /\/reactions(\/|$)/.test(path)
			? REACTION_ERROR_WORDS
			: postingErrorWordsIn(language);
	return table[error.code];
}

function routePath(url: string): string {
	try {
		return decodeURIComponent(new URL(url).pathname);
	} catch {
		return url;
	}
}
