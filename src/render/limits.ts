/**
 * Discord's message and embed limits, counted in UTF-16 code units (JS `.length`). Discord counts
 * characters, which is never more than code units, so measuring `.length` is on the safe side.
 */
export const DISCORD_LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	embedAuthorName: 256,
	embedFooter: 2048,
	fieldName: 256,
	fieldValue: 1024,
	fields: 25,
	/** Title, description, footer, author name and field names and values of all embeds of one message together. */
	embedsTotal: 6000,
	embedsPerMessage: 10,
} as const;
