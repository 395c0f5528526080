// The renderer's own words in another language, on a chaptered story read in sittings (A Scandal
// in Bohemia): labels, notes' titles, the Next button, the title and end cards; the story's text
// comes out the same in every language.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardWordsIn } from '../src/messages/index.js';
import { describePart, linkToPartStart, nextButtonLabel, partCount, renderEndCard, renderPart, renderTitleCard, type MessagePayload } from '../src/render/index.js';
import { formatStoryError, parseStory } from '../src/story/parse.js';

const result = parseStory(readFileSync(new URL('./fixtures/real/a-scandal-in-bohemia.md', import.meta.url)), 'test/fixtures/real/a-scandal-in-bohemia.md');
if ('errors' in result) throw new Error(result.errors.map(formatStoryError).join('\n'));
const story = result.story;
const descriptions = (payloads: readonly MessagePayload[]): string[] => payloads.flatMap((payload) => payload.embeds.map((embed) => embed.description ?? ''));
const ENGLISH_LABELS = /\b(Chapter|sitting|Scene|Next|Length|Summary|Feedback|The end|Reader reactions|message \d+ of|back to the start|min read)\b/;

describe('a chaptered story in French and Spanish', () => {
	const fr = cardWordsIn('fr');
	const es = cardWordsIn('es');

	it('labels every part in the language and carries the same story text', () => {
		expect(story.chapters?.length).toBeGreaterThan(1);
		for (let part = 1; part <= partCount(story); part++) {
			const english = renderPart(story, part);
			const french = renderPart(story, part, fr);
			expect(descriptions(french)).toEqual(descriptions(english));
			for (const message of french) expect(message.content).not.toMatch(ENGLISH_LABELS);
			expect(french[0]!.content).toMatch(/Chapitre \d+/);
			expect(renderPart(story, part, es)[0]!.content).toMatch(/Capítulo \d+/);
		}
		expect(describePart(story, 1, fr)).toMatch(/^Chapitre 1 sur \d+/);
		expect(nextButtonLabel(story, 0, es)).toMatch(/^Siguiente: Capítulo 1 de \d+.* · \d+ min$/);
		expect(nextButtonLabel(story, partCount(story), fr)).toBe('Lire la fin');
		expect(linkToPartStart({ content: 'x', embeds: [], allowedMentions: { parse: [] } }, 'https://discord.com/channels/1/2/3', es).content).toBe('x · [↑ volver al inicio](<https://discord.com/channels/1/2/3>)');
	});

	it('titles the cards in the language', () => {
		const title = renderTitleCard(story, fr);
		const names = title.embeds[0]!.fields!.map((field) => field.name);
		expect(names).toContain('Longueur');
		expect(title.embeds[0]!.fields!.find((field) => field.name === 'Longueur')!.value).toMatch(/^\d+ chapitres · \d+ séances · environ \d+ min de lecture/);
		expect(JSON.stringify(title)).not.toMatch(ENGLISH_LABELS);
		const end = renderEndCard(story, { emojis: ['❤️'], counts: [[2]] }, es);
		expect(end.embeds.map((embed) => embed.title)).toEqual([`Fin de ${story.meta.title}`, 'Reacciones de los lectores']);
		expect(end.embeds[1]!.description).toMatch(/^Capítulo 1/);
		expect(end.embeds[1]!.description).toContain('**Total** · ❤️ 2 · 2 reacciones');
	});
});
