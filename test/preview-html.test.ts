import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../tools/html.js';

// The preview draws the bot's Discord Markdown as HTML: what Discord formats is formatted, and
// nothing in a story (or a reader's name) can add markup or a script to the page.
const lookup = { names: new Map([['111111111111111111', 'ana']]), channels: new Map([['222222222222222222', 'stories']]) };

describe('the preview\'s Markdown', () => {
	it('draws bold, italics, underline, strikethrough, spoilers, block quotes, code and links as Discord does', () => {
		const html = markdownToHtml('**bold** *it* __under__ ~~gone~~ ||secret|| `code` [site](https://example.com)\n> quoted', lookup);
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('<em>it</em>');
		expect(html).toContain('<u>under</u>');
		expect(html).toContain('<s>gone</s>');
		expect(html).toMatch(/<span class="spoiler"[^>]*>secret<\/span>/);
		expect(html).toContain('<code>code</code>');
		expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer">site</a>');
		expect(html).toContain('<blockquote>quoted');
	});

	it('escapes everything else: markup, scripts, and links that are not http(s)', () => {
		const html = markdownToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "quotes" & \\*not italic\\*', lookup);
		expect(html).not.toMatch(/<(script|img)/i);
		expect(html).not.toContain('href="javascript');
		expect(html).toContain('&#60;script&#62;');
		expect(html).toContain('*not italic*');
		expect(html).not.toContain('<em>');
	});

	it('shows mentions as names, as a reader sees them', () => {
		expect(markdownToHtml('<@111111111111111111> in <#222222222222222222>', lookup)).toBe('@ana in #stories');
	});
});
