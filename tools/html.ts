// A recorded reading as one self-contained HTML page in Discord's dark theme: each step's header
// ("ana used /read"), the bot's messages with their Markdown rendered (bold, italics, underline,
// strikethrough, spoilers, block quotes, code, links), embeds with their colour bar and fields,
// buttons and reactions. Markdown is parsed by discord-markdown-parser (Discord's own rules, on
// simple-markdown); every piece of text is HTML-escaped, and only http(s) links become links.
// No scripts and no outside resources, so the page opens anywhere, offline.
import type { APIEmbed } from 'discord.js';
import { parse } from 'discord-markdown-parser';
import type { FakeComponent, FakeMessage } from '../fake-discord/index.js';
import { countReadingUnits, readingRate, storyLanguage } from '../src/story/language.js';
import type { RecordedReading } from './reading.js';
import { resolveMentions, type Names } from './terminal.js';

type Node = ReturnType<typeof parse>[number];

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Wraps emoji in already-escaped text so the colour emoji font draws them. */
function withColourEmoji(html: string): string {
	return html.replace(/\p{Extended_Pictographic}\uFE0F?/gu, (emoji) => `<span class="emoji">${emoji}</span>`);
}

function safeUrl(target: unknown): string | null {
	return typeof target === 'string' && /^https?:\/\//i.test(target) ? target : null;
}

function renderNodes(nodes: Node[] | Node | string | undefined): string {
	if (nodes === undefined) return '';
	if (typeof nodes === 'string') return escapeHtml(nodes);
	if (!Array.isArray(nodes)) return renderNode(nodes);
	return nodes.map(renderNode).join('');
}

function renderNode(node: Node): string {
	const inner = () => renderNodes(node.content as Node[] | string | undefined);
	switch (node.type) {
		case 'text':
			return escapeHtml(String(node.content ?? ''));
		case 'br':
		case 'newline':
			return '<br>';
		case 'strong':
			return `<strong>${inner()}</strong>`;
		case 'em':
			return `<em>${inner()}</em>`;
		case 'underline':
			return `<u>${inner()}</u>`;
		case 'strikethrough':
			return `<s>${inner()}</s>`;
		case 'spoiler':
			// Hidden until hovered or focused (keyboard), as Discord hides it until clicked.
			return `<span class="spoiler" tabindex="0" title="Spoiler">${inner()}</span>`;
		case 'inlineCode':
			return `<code>${escapeHtml(String(node.content ?? ''))}</code>`;
		case 'codeBlock':
			return `<pre><code>${escapeHtml(String(node.content ?? ''))}</code></pre>`;
		case 'blockQuote':
			return `<blockquote>${inner()}</blockquote>`;
		case 'heading':
			return `<div class="h${Math.min(3, Number(node.level) || 1)}">${inner()}</div>`;
		case 'subtext':
			return `<div class="subtext">${inner()}</div>`;
		case 'link':
		case 'url':
		case 'autolink': {
			const url = safeUrl(node.target);
			return url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${inner()}</a>` : inner();
		}
		case 'everyone':
			return '<span class="mention">@everyone</span>';
		case 'here':
			return '<span class="mention">@here</span>';
		case 'twemoji':
			return `<span class="emoji">${escapeHtml(String(node.name ?? ''))}</span>`;
		case 'emoji':
			return escapeHtml(`:${String(node.name ?? '')}:`);
		case 'slashCommand':
			return `<span class="mention">/${escapeHtml(String(node.fullName ?? node.name ?? ''))}</span>`;
		case 'timestamp':
			return `<code>${escapeHtml(new Date(Number(node.timestamp) * 1000).toISOString())}</code>`;
		default:
			return Array.isArray(node.content) || typeof node.content === 'string' ? inner() : '';
	}
}

/** Discord Markdown (as the bot sent it) to HTML, mentions drawn as names. */
export function markdownToHtml(text: string, lookup: Names): string {
	// 'extended' adds masked links ([text](url)), which Discord shows in bot messages and embeds.
	return renderNodes(parse(resolveMentions(text, lookup), 'extended'));
}

function colour(embed: APIEmbed): string {
	return typeof embed.color === 'number' ? `#${embed.color.toString(16).padStart(6, '0')}` : '#1e1f22';
}

function renderEmbed(embed: APIEmbed, lookup: Names): string {
	const md = (text: string) => markdownToHtml(text, lookup);
	const parts: string[] = [];
	if (embed.author?.name) parts.push(`<div class="embed-author">${escapeHtml(embed.author.name)}</div>`);
	if (embed.title) {
		const url = safeUrl(embed.url);
		parts.push(`<div class="embed-title">${url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${md(embed.title)}</a>` : md(embed.title)}</div>`);
	}
	if (embed.description) parts.push(`<div class="embed-description">${md(embed.description)}</div>`);
	if (embed.fields?.length) {
		const fields = embed.fields
			.map((field) => `<div class="embed-field${field.inline ? ' inline' : ''}"><div class="embed-field-name">${md(field.name)}</div><div class="embed-field-value">${md(field.value)}</div></div>`)
			.join('');
		parts.push(`<div class="embed-fields">${fields}</div>`);
	}
	if (embed.footer?.text) parts.push(`<div class="embed-footer">${escapeHtml(embed.footer.text)}</div>`);
	return `<div class="embed" style="border-left-color:${colour(embed)}">${parts.join('')}</div>`;
}

const BUTTON_STYLES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link' };

function renderButton(button: FakeComponent): string {
	const label = escapeHtml(button.label ?? '');
	const emoji = button.emoji?.name ? `${escapeHtml(button.emoji.name)} ` : '';
	const style = BUTTON_STYLES[button.style ?? 2] ?? 'secondary';
	return `<span class="button ${style}${button.disabled ? ' disabled' : ''}" role="button">${emoji}${label}${style === 'link' ? ' ↗' : ''}</span>`;
}

function renderMessage(message: FakeMessage, lookup: Names): string {
	const author = escapeHtml(lookup.names.get(message.author.id) ?? message.author.username);
	const body: string[] = [];
	if (message.content) body.push(`<div class="content">${markdownToHtml(message.content, lookup)}</div>`);
	for (const embed of message.embeds) body.push(renderEmbed(embed, lookup));
	for (const row of message.components) {
		const buttons = (row.components ?? []).filter((component) => component.type === 2);
		if (buttons.length > 0) body.push(`<div class="buttons">${buttons.map(renderButton).join('')}</div>`);
	}
	if (message.reactions.length > 0) {
		const pills = message.reactions.map((reaction) => `<span class="reaction"><span class="emoji">${escapeHtml(reaction.emoji.name ?? '?')}</span> ${reaction.count}</span>`);
		body.push(`<div class="reactions">${pills.join('')}</div>`);
	}
	if (message.ephemeral) body.push('<div class="ephemeral">👁 Only you can see this</div>');
	return `<article class="message${message.ephemeral ? ' is-ephemeral' : ''}" data-message-id="${escapeHtml(message.id)}">
<div class="avatar" aria-hidden="true">${author.slice(0, 1)}</div>
<div class="main"><div class="header"><span class="author">${author}</span>${message.author.bot ? '<span class="app">APP</span>' : ''}</div>${body.join('\n')}</div>
</article>`;
}

/** Per step: what it cost and how long its text takes to read. */
export interface StepSummary {
	action: string;
	messages: number;
	characters: number;
	/** Reading time of the step's text at the story language's rate (src/story/language.ts), to a tenth of a minute. */
	minutes: number;
	restCalls: number;
}

/** The texts of a message that Discord counts against its limits: content, and each embed's title, description, fields, footer and author. */
function messageTexts(message: FakeMessage): string[] {
	return [message.content, ...message.embeds.flatMap((embed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]), embed.footer?.text ?? '', embed.author?.name ?? ''])];
}

export function summarize(reading: RecordedReading): StepSummary[] {
	const byId = new Map(reading.messages.map((message) => [message.id, message]));
	const language = storyLanguage(reading.story.meta);
	const rate = readingRate(language).perMinute;
	return reading.steps.map((step) => {
		const messages = step.messageIds.flatMap((id) => byId.get(id) ?? []);
		const texts = messages.flatMap(messageTexts);
		const units = countReadingUnits(texts.join('\n'), language);
		const characters = texts.reduce((sum, text) => sum + text.length, 0);
		return { action: step.action, messages: messages.length, characters, minutes: Math.round((units / rate) * 10) / 10, restCalls: step.restCalls };
	});
}

/** The whole page. */
export function renderPage(reading: RecordedReading): string {
	const lookup: Names = { names: reading.names, channels: reading.channels };
	const byId = new Map(reading.messages.map((message) => [message.id, message]));
	const steps = reading.steps
		.map((step, index) => {
			const messages = step.messageIds.flatMap((id) => byId.get(id) ?? []);
			return `<section class="step" id="step-${index + 1}">
<div class="action"><span class="action-line" aria-hidden="true"></span>${withColourEmoji(escapeHtml(step.action))}</div>
${messages.map((message) => renderMessage(message, lookup)).join('\n')}
</section>`;
		})
		.join('\n');
	const title = `${reading.story.meta.title} · preview`;
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="channel"><span class="hash">#</span>${escapeHtml(reading.channelName)}<span class="guild">${escapeHtml(reading.guildName)} · a preview of ${escapeHtml(reading.story.meta.title)}, drawn from what the real bot sent</span></header>
<main>
${steps}
</main>
</body>
</html>
`;
}

// Discord's dark theme colours (2024 palette); the system font stack stands in for gg sans.
const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#313338;color:#dbdee1;font:16px/1.375 "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif;overflow-wrap:anywhere}
.channel{position:sticky;top:0;z-index:1;background:#313338;border-bottom:1px solid #1f2023;padding:12px 16px;font-weight:600;color:#f2f3f5}
.channel .hash{color:#80848e;margin-right:6px;font-size:1.2em}
.channel .guild{display:block;font-weight:400;font-size:12px;color:#949ba4}
main{max-width:860px;margin:0 auto;padding:8px 0 32px}
.step{padding:8px 0}
.action{margin:8px 16px 0 72px;font-size:14px;color:#949ba4;position:relative}
.action-line{position:absolute;left:-36px;top:9px;width:30px;height:10px;border-left:2px solid #4e5058;border-top:2px solid #4e5058;border-top-left-radius:6px}
.message{display:flex;gap:16px;padding:4px 16px}
.message:hover{background:#2e3035}
.avatar{flex:none;width:40px;height:40px;border-radius:50%;background:#5865f2;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
.main{min-width:0;flex:1}
.header{display:flex;align-items:baseline;gap:6px;flex-wrap:wrap}
.author{font-weight:600;color:#f2f3f5}
.app{background:#5865f2;color:#fff;font-size:10px;font-weight:700;padding:1px 4px;border-radius:3px;align-self:center}
.time{font-size:12px;color:#949ba4}
.content{white-space:normal}
blockquote{margin:4px 0;padding:0 8px 0 12px;border-left:4px solid #4e5058}
code{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:0 3px;font-size:.875em}
pre{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:8px;white-space:pre-wrap}
a{color:#00a8fc;text-decoration:none}
a:hover{text-decoration:underline}
.spoiler{background:#1e1f22;color:transparent;border-radius:3px;padding:0 2px;cursor:pointer}
.spoiler *{color:transparent}
.spoiler:hover,.spoiler:focus{background:#3a3c42;color:inherit;outline:none}
.spoiler:hover *,.spoiler:focus *{color:inherit}
.mention{background:rgba(88,101,242,.3);color:#c9cdfb;border-radius:3px;padding:0 2px}
.h1{font-size:1.5em;font-weight:700;margin:8px 0 4px}.h2{font-size:1.25em;font-weight:700;margin:8px 0 4px}.h3{font-size:1em;font-weight:700;margin:8px 0 4px}
.subtext{font-size:12px;color:#949ba4}
.emoji{font-family:"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji",sans-serif}
.embed{margin-top:4px;max-width:520px;background:#2b2d31;border-left:4px solid #1e1f22;border-radius:4px;padding:8px 16px 16px 12px;font-size:14px}
.embed-author{font-weight:600;font-size:14px;margin-top:8px;color:#f2f3f5}
.embed-title{font-weight:600;font-size:16px;margin-top:8px;color:#f2f3f5}
.embed-description{margin-top:8px}
.embed-fields{display:flex;flex-wrap:wrap;gap:8px 16px;margin-top:8px}
.embed-field{flex:1 1 100%;min-width:0}
.embed-field.inline{flex:1 1 150px}
.embed-field-name{font-weight:600;color:#f2f3f5;margin-bottom:2px}
.embed-footer{margin-top:8px;font-size:12px;color:#949ba4}
.buttons{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.button{display:inline-flex;align-items:center;min-height:32px;padding:2px 16px;border-radius:3px;font-size:14px;font-weight:500;color:#fff;background:#4e5058;max-width:100%}
.button.primary{background:#5865f2}.button.success{background:#248046}.button.danger{background:#da373c}.button.link{background:#4e5058}
.button.disabled{opacity:.5}
.reactions{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.reaction{display:inline-flex;align-items:center;gap:6px;padding:2px 8px;border-radius:8px;background:#2b2d31;border:1px solid transparent;font-size:14px;font-weight:600;color:#b5bac1}
.ephemeral{margin-top:4px;font-size:12px;color:#949ba4}
.is-ephemeral{background:rgba(88,101,242,.05)}
@media (max-width:480px){
 .message{gap:10px;padding:4px 10px}
 .avatar{width:32px;height:32px;font-size:14px}
 .action{margin-left:52px}
 .action-line{left:-30px;width:24px}
 .embed{padding:6px 10px 12px 10px}
}
`;
