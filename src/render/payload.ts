import type { APIEmbed } from 'discord-api-types/v10';

/**
 * One Discord message, with the option names discord.js takes in `channel.send()` and
 * `interaction.reply()`, so callers pass it through unchanged.
 */
export interface MessagePayload {
	content?: string;
	embeds: APIEmbed[];
	/** Always parse nothing: stories quote `@everyone` and mentions as text and must never ping. */
	allowedMentions: { parse: [] };
}

/** A fresh object each time, so a caller that mutates one payload cannot change another. */
export function noMentions(): { parse: [] } {
	return { parse: [] };
}

/**
 * What one message's embeds count towards Discord's 6,000-character total: title, description,
 * footer, author name and field names and values.
 */
export function embedCharacters(embed: APIEmbed): number {
	let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
	total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
	for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
	return total;
}

/** Accent colour of the bot's embeds (Discord blurple), so the bot's posts read as one series. */
export const EMBED_COLOR = 0x5865f2;
