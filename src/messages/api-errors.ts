// What a user is told when Discord refuses a request, by the JSON error code Discord answered with
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes).
// Chosen by src/discord/api-errors.ts from the route that failed. Sentences for readers say what
// happened and who can fix it; those for the operator (reactions, command registration) go to the log.
import { RESTJSONErrorCodes as Code } from 'discord-api-types/v10';

const RESTART_ELSEWHERE = 'start a reading in another channel with `/read`';

const THREAD_CLOSED =
	"Discord refused the post because this thread is locked or archived. A moderator can unlock or reopen it, or start a reading in another channel.";

/** Posting, editing or reading the reading's messages, and answering the command: shown to the reader. */
export const POSTING_ERROR_WORDS: Readonly<Record<number, string>> = {
	// In a voice channel's text chat Discord also wants Connect, or answers 50001 (discord/discord-api-docs#5111).
	[Code.MissingAccess]:
		"Discord won't let me see the reading's channel. Ask a server admin to give my role View Channel and Read Message History there (in a voice channel's chat, Connect too; in a private thread, add me to the thread).",
	// Timed-out members lose every permission but View Channel and Read Message History, whatever their
	// roles (Discord's API changelog on timeouts, as quoted in discordjs/discord.js#7135); Discord answers 50013.
	[Code.MissingPermissions]:
		"Discord refused a message I tried to post because I'm missing a permission in the reading's channel (View Channel, Send Messages, Embed Links, Add Reactions, Read Message History). Ask a server admin to check my role, and whether a moderator has timed me out: while timed out I can't post, whatever my role.",
	[Code.UnknownChannel]: `The reading's channel no longer exists (it was deleted). To go on reading, ${RESTART_ELSEWHERE}.`,
	[Code.UnknownMessage]: 'A message I needed was deleted while I was working on it. Please try again.',
	[Code.ThreadLocked]: THREAD_CLOSED,
	[Code.InvalidActionOnArchivedThread]: THREAD_CLOSED,
	[Code.CannotSendMessagesInNonTextChannel]: `Discord doesn't take messages in the reading's channel (it is not a text channel any more). To go on reading, ${RESTART_ELSEWHERE}.`,
	[Code.CannotExecuteActionOnThisChannelType]: `Discord doesn't allow posting a reading in this kind of channel. Use \`/read\` in a text channel, a thread, or a voice channel's chat; or ${RESTART_ELSEWHERE}.`,
	[Code.CannotSendAMessageInAForumChannel]:
		"A forum or media channel takes only posts, not messages. Open a post in it and use `/read` inside the post, or use a text channel.",
	[Code.MessageWasBlockedByAutomaticModeration]:
		"This server's AutoMod blocked my post (one of its rules matched the story's text). A server admin can let my role through in Server Settings › AutoMod (Exempt Roles), or the reading can move to a channel the rule leaves out.",
	[Code.MessageBlockedByHarmfulLinksFilter]: "Discord blocked my post because the story's text links to a site it considers harmful. The story's author should remove or change that link.",
	[Code.ChannelSendRateLimit]: 'Discord is limiting how fast messages can be posted in this channel right now. Please try again in a minute.',
	[Code.ServerSendRateLimit]: 'Discord is limiting how fast messages can be posted in this server right now. Please try again in a minute.',
	[Code.AnnouncementEditLimitExceeded]: "Discord limits edits of published messages in announcement channels, and this one hit the limit. Please try again in an hour, or read in a channel that isn't an announcement channel.",
	[Code.SendMessagesHasBeenTemporarilyDisabled]: 'Discord has temporarily stopped me from sending messages. Please try again later; if it lasts, tell whoever runs me.',
	[Code.VerifyYourAccount]: "Discord wants my account verified before I can post here (this server's verification level). Whoever runs me must verify the bot's account in the Developer Portal.",
	[Code.ChannelVerificationLevelTooHighForYouToGainAccess]: "This channel's verification level keeps me out. A server admin can lower it, or let my role through.",
	[Code.UnknownInteraction]: 'Discord had already given up on this command before I could answer it. Please try again.',
	[Code.InteractionHasAlreadyBeenAcknowledged]:
		'This command was already answered, probably by a second copy of me running with the same token. Please try again; whoever runs me should stop the other copy.',
	[Code.InvalidWebhookToken]: "This command's answer window (15 minutes) had closed before I finished. Please use the command again.",
	[Code.UnknownWebhook]: "This command's answer window had closed before I finished. Please use the command again.",
	[Code.ThisInteractionHasHitTheMaximumNumberOfFollowUpMessages]:
		"Discord limits how many messages one command may post, and this scene needs more. Use `/next` in another channel (the scene is then posted straight into the reading's channel).",
	[Code.InvalidFormBodyOrContentType]: "Discord refused a message I built (its shape was invalid). That's a bug on my side and it has been logged.",
	[Code.APIResourceOverloaded]: 'Discord is overloaded right now. Please try again in a minute.',
};

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
