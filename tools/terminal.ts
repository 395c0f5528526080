// A recorded message drawn as plain text, roughly as a reader sees it in Discord: the author, the
// content, each embed behind a "┃" bar (title, description, fields, footer), the buttons in
// brackets, and the reactions with their counts. Markdown is left as written, since a terminal
// cannot show bold or spoilers; mentions become names.
import type { APIEmbed } from 'discord.js';
import type { FakeMessage } from '../fake-discord/index.js';

export interface Names {
	names: Map<string, string>;
	channels: Map<string, string>;
}

/** `<@id>`, `<#id>` and `<@&id>` as a reader sees them (@name, #channel, @role). */
export function resolveMentions(text: string, { names, channels }: Names): string {
	return text
		.replace(/<@!?(\d+)>/g, (_, id: string) => `@${names.get(id) ?? 'someone'}`)
		.replace(/<#(\d+)>/g, (_, id: string) => `#${channels.get(id) ?? 'channel'}`)
		.replace(/<@&(\d+)>/g, '@role');
}

const BAR = '┃ ';

function embedLines(embed: APIEmbed, lookup: Names): string[] {
	const lines: string[] = [];
	const text = (value: string) => resolveMentions(value, lookup).split('\n');
	if (embed.author?.name) lines.push(...text(embed.author.name));
	if (embed.title) lines.push(...text(embed.title));
	if (embed.description) lines.push(...text(embed.description));
	for (const field of embed.fields ?? []) {
		lines.push('', ...text(field.name), ...text(field.value));
	}
	if (embed.footer?.text) lines.push('', ...text(embed.footer.text));
	return lines.map((line) => `${BAR}${line}`.trimEnd());
}

/** The message as lines of text; `ephemeral` messages say that only the reader sees them. */
export function drawMessage(message: FakeMessage, lookup: Names): string {
	const lines: string[] = [];
	const author = lookup.names.get(message.author.id) ?? message.author.username;
	lines.push(message.ephemeral ? `${author}  (only you can see this)` : author);
	if (message.content) lines.push(...resolveMentions(message.content, lookup).split('\n'));
	for (const embed of message.embeds) lines.push(...embedLines(embed, lookup));
	const buttons = message.components.flatMap((row) => row.components ?? []).filter((component) => component.type === 2);
	if (buttons.length > 0) lines.push(buttons.map((button) => `[ ${button.label ?? button.emoji?.name ?? '…'} ]`).join(' '));
	if (message.reactions.length > 0) lines.push(message.reactions.map((reaction) => `${reaction.emoji.name ?? '?'} ${reaction.count}`).join('  '));
	return lines.join('\n');
}
