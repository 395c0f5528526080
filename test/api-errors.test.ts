import { DiscordAPIError, HTTPError, RESTJSONErrorCodes as Code } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { wordsForApiError } from '../src/discord/api-errors.js';

// Every Discord refusal the bot can meet on its routes is named in words, not "something went wrong".

const API = 'https://discord.com/api/v10';
const ROUTES = {
	post: ['POST', `${API}/channels/1/messages`],
	edit: ['PATCH', `${API}/webhooks/2/tok/messages/%40original`],
	callback: ['POST', `${API}/interactions/3/tok/callback`],
	followUp: ['POST', `${API}/webhooks/2/tok`],
	fetchMessage: ['GET', `${API}/channels/1/messages/4`],
	fetchChannel: ['GET', `${API}/channels/1`],
	react: ['PUT', `${API}/channels/1/messages/4/reactions/%F0%9F%94%A5/%40me`],
	listReactions: ['GET', `${API}/channels/1/messages/4/reactions/%F0%9F%94%A5`],
	commands: ['PUT', `${API}/applications/5/commands`],
	guildCommands: ['PUT', `${API}/applications/5/guilds/6/commands`],
} as const;

function refusal(code: number, route: keyof typeof ROUTES, status = 400): DiscordAPIError {
	const [method, url] = ROUTES[route];
	return new DiscordAPIError({ code, message: `Discord's message for ${code}` }, code, status, method, url, {});
}

// [code, route it comes from, what the reader (or operator) must be told]
const CASES: Array<[number, keyof typeof ROUTES, RegExp]> = [
	[Code.MissingAccess, 'post', /won't let me see the reading's channel.*View Channel.*voice channel's chat, Connect/],
	[Code.MissingAccess, 'fetchChannel', /won't let me see/],
	[Code.MissingPermissions, 'post', /missing a permission.*timed me out/],
	[Code.UnknownChannel, 'fetchChannel', /channel no longer exists.*another channel with `\/read`/],
	[Code.UnknownMessage, 'fetchMessage', /was deleted.*try again/],
	[Code.UnknownMessage, 'edit', /was deleted/],
	[Code.ThreadLocked, 'post', /thread is locked or archived/],
	[Code.InvalidActionOnArchivedThread, 'followUp', /thread is locked or archived/],
	[Code.CannotSendMessagesInNonTextChannel, 'post', /not a text channel/],
	[Code.CannotExecuteActionOnThisChannelType, 'post', /this kind of channel.*voice channel's chat/],
	[Code.CannotSendAMessageInAForumChannel, 'post', /forum or media channel takes only posts/],
	[Code.MessageWasBlockedByAutomaticModeration, 'callback', /AutoMod blocked my post.*Exempt Roles/],
	[Code.MessageBlockedByHarmfulLinksFilter, 'post', /harmful/],
	[Code.ChannelSendRateLimit, 'post', /how fast messages can be posted in this channel/],
	[Code.ServerSendRateLimit, 'post', /in this server/],
	[Code.AnnouncementEditLimitExceeded, 'edit', /announcement channels/],
	[Code.SendMessagesHasBeenTemporarilyDisabled, 'post', /temporarily stopped me/],
	[Code.VerifyYourAccount, 'post', /verified/],
	[Code.ChannelVerificationLevelTooHighForYouToGainAccess, 'post', /verification level/],
	[Code.UnknownInteraction, 'callback', /already given up on this command/],
	[Code.InteractionHasAlreadyBeenAcknowledged, 'callback', /second copy of me/],
	[Code.InvalidWebhookToken, 'followUp', /15 minutes/],
	[Code.UnknownWebhook, 'edit', /answer window/],
	[Code.ThisInteractionHasHitTheMaximumNumberOfFollowUpMessages, 'followUp', /how many messages one command may post/],
	[Code.InvalidFormBodyOrContentType, 'post', /bug on my side/],
	[Code.APIResourceOverloaded, 'fetchMessage', /overloaded/],
	[Code.UnknownEmoji, 'react', /does not know this emoji.*U\+FE0F/],
	[Code.MaximumNumberOfReactionsReached, 'react', /20 different reactions/],
	[Code.MissingPermissions, 'react', /Add Reactions/],
	[Code.MissingAccess, 'listReactions', /cannot see the channel/],
	[Code.UnknownMessage, 'react', /scene was deleted/],
	[Code.InvalidActionOnArchivedThread, 'react', /archived/],
	[Code.MissingAccess, 'guildCommands', /DEV_GUILD_ID.*applications\.commands/],
	[Code.NotAuthorizedToPerformThisActionOnThisApplication, 'commands', /another application/],
	[Code.MaximumNumberOfApplicationCommandsReached, 'commands', /most slash commands/],
	[Code.MaximumDailyApplicationCommandCreatesReached, 'commands', /200 new slash commands a day/],
	[Code.ApplicationCommandWithThatNameAlreadyExists, 'guildCommands', /same name/],
	[Code.InvalidFormBodyOrContentType, 'commands', /slash command's definition/],
];

describe('wordsForApiError', () => {
	it.each(CASES)('%i on the %s route is named', (code, route, words) => {
		expect(wordsForApiError(refusal(code, route))).toMatch(words);
	});

	it('one code means different things on different routes', () => {
		const onChannel = wordsForApiError(refusal(Code.MissingAccess, 'post'));
		const onCommands = wordsForApiError(refusal(Code.MissingAccess, 'guildCommands'));
		expect(onChannel).not.toBe(onCommands);
	});

	it('anything else is left to "something went wrong": unknown codes, codes the bot cannot meet, other errors', () => {
		expect(wordsForApiError(refusal(99_999, 'post'))).toBeUndefined();
		// Slowmode does not apply to bots (Discord's channel object, rate_limit_per_user).
		expect(wordsForApiError(refusal(Code.ActionCannotBePerformedDueToSlowmodeRateLimit, 'post'))).toBeUndefined();
		expect(wordsForApiError(new HTTPError(500, 'Internal Server Error', 'POST', `${API}/channels/1/messages`, {}))).toBeUndefined();
		expect(wordsForApiError(new Error('boom'))).toBeUndefined();
		expect(wordsForApiError(undefined)).toBeUndefined();
	});
});
