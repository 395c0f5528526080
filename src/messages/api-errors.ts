// What a user is told when Discord refuses a request, by the JSON error code Discord answered with
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes).
// Chosen by src/discord/api-errors.ts from the route that failed. Sentences for readers say what
// happened and who can fix it, in their language; those for the operator (reactions, command
// registration) go to the log, in English.
import { RESTJSONErrorCodes as Code } from 'discord-api-types/v10';
import { FALLBACK_LANGUAGE, translator } from './i18n.js';

/**
 * Posting, editing or reading the reading's messages, and answering the command: shown to the reader,
 * in `language`. The sentences are in ./locales under `postingErrors` (by code; locked and archived
 * threads share one).
 */
export function postingErrorWordsIn(language: string = FALLBACK_LANGUAGE): Readonly<Record<number, string>> {
	let words = postingCache.get(language);
	if (words === undefined) {
		const t = translator(language);
		words = Object.fromEntries(POSTING_ERROR_CODES.map((code) => [code, t(`postingErrors.${POSTING_ERROR_KEYS[code] ?? String(code)}`)]));
		postingCache.set(language, words);
	}
	return words;
}

const postingCache = new Map<string, Readonly<Record<number, string>>>();

const POSTING_ERROR_CODES: readonly number[] = [
	// In a voice channel's text chat Discord also wants Connect, or answers 50001 (discord/discord-api-docs#5111).
	Code.MissingAccess,
	// Timed-out members lose every permission but View Channel and Read Message History, whatever their
	// roles (Discord's API changelog on timeouts, as quoted in discordjs/discord.js#7135); Discord answers 50013.
	Code.MissingPermissions,
	Code.UnknownChannel,
	Code.UnknownMessage,
	Code.ThreadLocked,
	Code.InvalidActionOnArchivedThread,
	Code.CannotSendMessagesInNonTextChannel,
	Code.CannotExecuteActionOnThisChannelType,
	Code.CannotSendAMessageInAForumChannel,
	Code.MessageWasBlockedByAutomaticModeration,
	Code.MessageBlockedByHarmfulLinksFilter,
	Code.ChannelSendRateLimit,
	Code.ServerSendRateLimit,
	Code.AnnouncementEditLimitExceeded,
	Code.SendMessagesHasBeenTemporarilyDisabled,
	Code.VerifyYourAccount,
	Code.ChannelVerificationLevelTooHighForYouToGainAccess,
	Code.UnknownInteraction,
	Code.InteractionHasAlreadyBeenAcknowledged,
	Code.InvalidWebhookToken,
	Code.UnknownWebhook,
	Code.ThisInteractionHasHitTheMaximumNumberOfFollowUpMessages,
	Code.InvalidFormBodyOrContentType,
	Code.APIResourceOverloaded,
];

/** Codes that share a sentence; every other code's key is the code itself. */
const POSTING_ERROR_KEYS: Readonly<Record<number, string>> = {
	[Code.ThreadLocked]: 'threadClosed',
	[Code.InvalidActionOnArchivedThread]: 'threadClosed',
};

/** The posting refusals in English. */
export const POSTING_ERROR_WORDS: Readonly<Record<number, string>> = postingErrorWordsIn(FALLBACK_LANGUAGE);

/** Adding the feedback emoji under a scene: for the operator's log. */
export const REACTION_ERROR_WORDS: Readonly<Record<number, string>> = {
	[Code.UnknownEmoji]: "Discord does not know this emoji (newer than its emoji set, or spelled without U+FE0F): pick another in the story's feedback-emoji.",
	[Code.MaximumNumberOfReactionsReached]: 'the message already holds 20 different reactions, the most Discord allows.',
	[Code.MissingPermissions]: 'the bot lacks Add Reactions (or is timed out) in the channel.',
	[Code.MissingAccess]: 'the bot cannot see the channel any more.',
	[Code.UnknownMessage]: 'the scene was deleted before its emoji were added.',
	[Code.InvalidActionOnArchivedThread]: 'the thread was archived before the emoji were added.',
};

/** Registering the slash commands (on start, or `npm run deploy`): for the operator. */
export const COMMAND_REGISTRATION_ERROR_WORDS: Readonly<Record<number, string>> = {
	[Code.MissingAccess]:
		'Discord refused to register the commands in DEV_GUILD_ID: the bot is not in that server, or was invited without the applications.commands scope. Invite it again with the invite link in the README, or unset DEV_GUILD_ID.',
	[Code.NotAuthorizedToPerformThisActionOnThisApplication]: "DISCORD_TOKEN belongs to another application than the one whose commands are being registered: check the token.",
	[Code.MaximumNumberOfApplicationCommandsReached]: 'The application already has the most slash commands Discord allows; remove some in the Developer Portal or with another tool.',
	[Code.MaximumDailyApplicationCommandCreatesReached]: 'Discord allows 200 new slash commands a day per application, and that is used up: try again tomorrow (commands already registered keep working).',
	[Code.ApplicationCommandWithThatNameAlreadyExists]: 'Two slash commands have the same name: the command list in commands/index.ts names one twice.',
	[Code.InvalidFormBodyOrContentType]: "Discord refused a slash command's definition (invalid form body): see the error's details in the log.",
};
