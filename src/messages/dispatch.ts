// Sentences of the one error path (src/discord/dispatch.ts) and of the bot's own state.
export const dispatchMessages = {
	storeDown: "I can't reach my storage right now, so nothing was changed. Please try again in a minute.",
	somethingWentWrong: 'Something went wrong on my side and it has been logged. Please try again in a moment.',
	unknownCommand: (name: string) => `I don't know \`/${name}\` any more; the command list will refresh shortly.`,
	unknownButton: 'That button is no longer in use.',
	threadLockedOrArchived:
		"Discord refused the post because this thread is locked or archived. A moderator can unlock or reopen it, or start a reading in another channel.",
	missingPermission:
		"Discord refused a message I tried to post because I'm missing a permission in this channel (View Channel, Send Messages, Embed Links, Add Reactions, Read Message History). Ask a server admin to check my role.",
	restarting: "I'm restarting. Please try again in a few seconds.",
};
