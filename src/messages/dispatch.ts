// Sentences of the one error path (src/discord/dispatch.ts) and of the bot's own state.
export const dispatchMessages = {
	storeDown: "I can't reach my storage right now, so nothing was changed. Please try again in a minute.",
	somethingWentWrong: 'Something went wrong on my side and it has been logged. Please try again in a moment.',
	unknownCommand: (name: string) => `I don't know \`/${name}\` any more; the command list will refresh shortly.`,
	unknownButton: 'That button is no longer in use.',
	restarting: "I'm restarting. Please try again in a few seconds.",
};
