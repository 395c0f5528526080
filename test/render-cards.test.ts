import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unescapeBlockMarkdown } from '../src/render/escape.js';
import { DISCORD_LIMITS, embedCharacters, reactionBar, renderEndCard, renderFeedbackSummary, renderTitleCard, readingMinutes, type MessagePayload, type Tally } from '../src/render/index.js';
import type { Scene, Story, StoryMeta } from '../src/story/types.js';

function words(count: number): string {
	return Array.from({ length: count }, (_, index) => `word${index}`).join(' ');
}

function story(overrides: Partial<StoryMeta> = {}, scenes: Array<Partial<Scene>> = [{}, {}, {}, {}], afterword: string[] = ['Thank you for reading.']): Story {
	return {
		id: 'after-the-end',
		file: 'story/after-the-end.md',
		meta: {
			title: 'After The End',
			author: 'Sam Writer',
			contentNotes: ['death of a parent', 'grief'],
			feedback: 'Reply in #feedback or email sam@example.com',
			source: 'https://example.com/after-the-end',
			feedbackEmoji: ['❤️', '😂', '😮'],
			notes: 'Written over one long weekend.',
			challenge: 'Flash fiction challenge #12',
			disclaimer: 'All characters are fictional.',
			...overrides,
		},
		scenes: scenes.map((scene, index) => ({ number: index + 1, line: index * 10 + 1, paragraphs: [words(250)], ...scene })),
		afterword,
	};
}

/** Every limit Discord enforces on one message. */
function expectWithinLimits(payload: MessagePayload): void {
	expect(payload.allowedMentions).toEqual({ parse: [] });
	expect((payload.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
	expect(payload.content ?? '').not.toMatch(/@(everyone|here)/);
	expect(payload.embeds.length).toBeGreaterThan(0);
	expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
	let total = 0;
	for (const embed of payload.embeds) {
		if (embed.title !== undefined) expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
		if (embed.description !== undefined) {
			expect(embed.description.length).toBeGreaterThan(0);
			expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		}
		if (embed.author !== undefined) expect(embed.author.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedAuthorName);
		if (embed.footer !== undefined) expect(embed.footer.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFooter);
		expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
		for (const field of embed.fields ?? []) {
			expect(field.name.length).toBeGreaterThan(0);
			expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
			expect(field.value.length).toBeGreaterThan(0);
			expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
		}
		total += embedCharacters(embed);
	}
	expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
}

function allText(payload: MessagePayload): string {
	return [payload.content ?? '', ...payload.embeds.flatMap((embed) => [embed.title, embed.author?.name, embed.description, ...(embed.fields ?? []).flatMap((field) => [field.name, field.value])])].join('\n');
}

// Metadata of any length and shape: Markdown, mentions, line breaks, emoji.
const metaText = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.tuple(fc.constantFrom('Title *with* ||marks|| @everyone <@1>\n# heading\n- item ', 'x', '👩‍👩‍👧‍👦 ', 'word '), fc.integer({ min: 1, max: 3000 })).map(([text, times]) => text.repeat(times)),
);
const optionalMeta = fc.option(metaText, { nil: undefined });
const anyMeta = fc.record({
	title: metaText,
	author: metaText,
	notes: optionalMeta,
	challenge: optionalMeta,
	disclaimer: optionalMeta,
	contentNotes: fc.array(metaText, { maxLength: 30 }),
	feedback: optionalMeta,
	source: optionalMeta,
	feedbackEmoji: fc.subarray(['❤️', '😂', '😮', '😢', '🔥'], { minLength: 1 }),
});
function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
const anyTally = (scenes: number) =>
	fc.record({ emojis: fc.constant(['❤️', '😂', '😮', '😢', '🔥']).map((emojis) => [...emojis]), counts: fc.array(fc.array(fc.nat(10_000), { minLength: 5, maxLength: 5 }), { minLength: scenes, maxLength: scenes }) });

describe('renderTitleCard', () => {
	it('shows title, byline, notes, the content notes behind a spoiler, length, reading time and where feedback goes', () => {
		const payload = renderTitleCard(story());
		expectWithinLimits(payload);
		expect(payload.content).toBe('**After The End** by Sam Writer');
		const [embed] = payload.embeds;
		expect(embed!.title).toBe('After The End');
		expect(embed!.author?.name).toBe('by Sam Writer');
		expect(embed!.description).toBe('Written over one long weekend.\n\n**Challenge:** Flash fiction challenge #12\n\n**Disclaimer:** All characters are fictional.');
		const fields = Object.fromEntries((embed!.fields ?? []).map((field) => [field.name, field.value]));
		expect(fields['Content notes']).toBe('||death of a parent · grief||');
		// 4 scenes of 250 words: 1,000 words at 200 a minute.
		expect(fields['Length']).toBe('4 scenes · about 5 min read');
		expect(fields['Feedback']).toBe('React under any scene with ❤️ 😂 😮.\nReply in #feedback or email sam@example.com');
		expect(fields['Source']).toBe('https://example.com/after-the-end');
	});

	it('says when there are no content notes, and leaves out what the story does not have', () => {
		const payload = renderTitleCard(story({ contentNotes: [], notes: undefined, challenge: undefined, disclaimer: undefined, feedback: undefined, source: undefined }, [{}]));
		const [embed] = payload.embeds;
		expect(embed!.description).toBeUndefined();
		expect(embed!.fields?.map((field) => [field.name, field.value])).toEqual([
			['Content notes', 'None listed.'],
			['Length', '1 scene · about 2 min read'],
			['Feedback', 'React under any scene with ❤️ 😂 😮.'],
		]);
	});

	it('escapes Markdown in titles and block syntax in notes, and keeps content notes inside the spoiler', () => {
		const payload = renderTitleCard(story({ title: 'A *B* @everyone', contentNotes: ['spoiler || breaker'], notes: '# Not a heading\n- not a list' }));
		expect(payload.content).toBe('**A \\*B\\* @\u200beveryone** by Sam Writer');
		expect(payload.embeds[0]!.description).toMatch(/^\\# Not a heading\n\\- not a list/);
		expect(payload.embeds[0]!.fields?.[0]?.value).toBe('||spoiler \\|\\| breaker||');
	});

	it('stays within every limit for metadata of any length, truncating it with …', () => {
		fc.assert(
			fc.property(anyMeta, (meta) => {
				const payload = renderTitleCard(story(withoutUndefined(meta)));
				expectWithinLimits(payload);
				if (meta.title.length > 300) expect(payload.embeds[0]!.title).toMatch(/…$/);
			}),
			{ numRuns: 60 },
		);
	});
});

describe('readingMinutes', () => {
	it('counts words at 200 a minute, rounded up, at least one minute', () => {
		expect(readingMinutes(story({}, [{ paragraphs: ['One.'] }]))).toBe(1);
		expect(readingMinutes(story({}, [{ paragraphs: [words(200)] }]))).toBe(1);
		expect(readingMinutes(story({}, [{ paragraphs: [words(150), words(51)] }]))).toBe(2);
		expect(readingMinutes(story({}, [{ paragraphs: [] }]))).toBe(1);
	});
});

describe('renderEndCard', () => {
	it('shows the end, the afterword, where feedback goes and the source', () => {
		const payload = renderEndCard(story({}, [{}], ['Thank you for reading.', '- Sam']));
		expectWithinLimits(payload);
		expect(payload.content).toBe('**After The End** · The end');
		const [embed] = payload.embeds;
		expect(embed!.title).toBe('The end of After The End');
		expect(embed!.description).toBe('Thank you for reading.\n\n\\- Sam');
		expect(embed!.fields?.map((field) => [field.name, field.value])).toEqual([
			['Feedback', 'React under any scene with ❤️ 😂 😮.\nReply in #feedback or email sam@example.com'],
			['Source', 'https://example.com/after-the-end'],
		]);
	});

	it('adds the reactions summary, which carries the feedback line', () => {
		const tally: Tally = { emojis: ['❤️', '😂', '😮'], counts: [[3, 0, 1], [1, 0, 0], [0, 0, 0], [8, 2, 0]] };
		const payload = renderEndCard(story(), tally);
		expectWithinLimits(payload);
		expect(payload.embeds).toHaveLength(2);
		expect(payload.embeds[0]!.fields?.map((field) => field.name)).toEqual(['Source']);
		expect(payload.embeds[1]!.title).toBe('Reader reactions');
		expect(payload.embeds[1]!.description).toBe(renderFeedbackSummary(story(), tally));
		expect(allText(payload)).toContain('Reply in #feedback or email sam@example.com');
	});

	it('leaves out the description without an afterword', () => {
		const payload = renderEndCard(story({}, [{}], []));
		expect(payload.embeds[0]!.description).toBeUndefined();
		expectWithinLimits(payload);
	});

	it('stops a very long afterword at a sentence end, says so, and never cuts a word', () => {
		const sentence = 'This afterword goes on about how the story came to be. ';
		const afterword = [sentence.repeat(150).trim(), sentence.repeat(150).trim()];
		const payload = renderEndCard(story({}, [{}], afterword), { emojis: ['❤️'], counts: [[1]] });
		expectWithinLimits(payload);
		const description = payload.embeds[0]!.description!;
		expect(description).toMatch(/\n\n-# The afterword is longer than one Discord message can hold and stops here\.$/);
		const shown = unescapeBlockMarkdown(description.slice(0, description.lastIndexOf('\n\n-# ')));
		expect(afterword.join('\n\n').startsWith(shown)).toBe(true);
		expect(shown).toMatch(/\.$/);
		expect(payload.embeds[1]!.description).toContain('Scene 1');
	});

	it('stays within every limit for any metadata, afterword and tally', () => {
		const afterword = fc.array(fc.oneof(metaText, fc.constant('A sentence that ends. '.repeat(300))), { maxLength: 4 });
		fc.assert(
			fc.property(anyMeta, afterword, fc.integer({ min: 1, max: 150 }).chain((scenes) => fc.tuple(fc.constant(scenes), fc.option(anyTally(scenes), { nil: undefined }))), (meta, paragraphs, [scenes, tally]) => {
				const payload = renderEndCard(story(withoutUndefined(meta), Array.from({ length: scenes }, () => ({ paragraphs: ['Some words here.'] })), paragraphs), tally);
				expectWithinLimits(payload);
			}),
			{ numRuns: 60 },
		);
	});
});

describe('renderFeedbackSummary', () => {
	const tally: Tally = { emojis: ['❤️', '😂', '😮'], counts: [[3, 0, 1], [1, 0, 0], [0, 0, 0], [6, 0, 2]] };
	const titled = story({}, [{ title: 'The van at dawn' }, { paragraphs: ['*Morning* came slowly over the hills, and nobody spoke.'] }, { title: 'Quiet' }, { title: 'The end of the road' }]);

	it('shows each scene with its counts, a bar scaled to the strongest scene, its total, then the total and where feedback goes', () => {
		expect(renderFeedbackSummary(titled, tally)).toBe(
			[
				'Scene 1 · The van at dawn · ❤️ 3  😮 1  ▰▰▰▰▱▱▱▱ 4',
				'Scene 2 · Morning came slowly… · ❤️ 1  ▰▱▱▱▱▱▱▱ 1',
				'Scene 3 · Quiet · ▱▱▱▱▱▱▱▱ 0',
				'Scene 4 · The end of the road · ❤️ 6  😮 2  ▰▰▰▰▰▰▰▰ 8',
				'',
				'**Total** · ❤️ 10  😮 3 · 13 reactions',
				'Reply in #feedback or email sam@example.com',
			].join('\n'),
		);
	});

	it('gives the strongest scene the full bar and any reaction at least one cell', () => {
		expect(reactionBar(8, 8)).toBe('▰▰▰▰▰▰▰▰');
		expect(reactionBar(1, 1000)).toBe('▰▱▱▱▱▱▱▱');
		expect(reactionBar(0, 0)).toBe('▱▱▱▱▱▱▱▱');
		fc.assert(
			fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 20 }), (totals) => {
				const strongest = Math.max(...totals);
				for (const total of totals) {
					const bar = reactionBar(total, strongest);
					expect([...bar]).toHaveLength(8);
					if (total === strongest && total > 0) expect(bar).toBe('▰▰▰▰▰▰▰▰');
				}
			}),
		);
	});

	it('labels an untitled scene with its first five words, without their Markdown', () => {
		const summary = renderFeedbackSummary(story({}, [{ paragraphs: ['*Rain* on the tin roof again, all night.'] }]), { emojis: ['❤️'], counts: [[2]] });
		expect(summary.split('\n')[0]).toBe('Scene 1 · Rain on the tin roof… · ❤️ 2  ▰▰▰▰▰▰▰▰ 2');
	});

	it('says when there are no reactions yet, and counts missing entries as none', () => {
		const summary = renderFeedbackSummary(story({ feedback: undefined }, [{ title: 'One' }, { title: 'Two' }]), { emojis: ['❤️'], counts: [[]] });
		expect(summary).toBe('Scene 1 · One · ▱▱▱▱▱▱▱▱ 0\nScene 2 · Two · ▱▱▱▱▱▱▱▱ 0\n\n**Total** · no reactions yet');
	});

	it('fits sixty scenes with short titles and three emoji in one embed description without leaving any out', () => {
		const scenes = Array.from({ length: 60 }, (_, index) => ({ title: `The van at dawn ${index + 1}` }));
		const counts = scenes.map((_scene, index) => [index % 40, index % 7, index % 11]);
		const summary = renderFeedbackSummary(story({}, scenes), { emojis: ['❤️', '😂', '😮'], counts });
		expect(summary.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		expect(summary).toContain('Scene 60 · ');
		expect(summary).not.toContain('more scenes');
	});

	it('beyond what fits, ends the scene lines with how many were left out, and keeps the totals', () => {
		const scenes = Array.from({ length: 300 }, (_, index) => ({ title: `A rather long scene title number ${index + 1}` }));
		const counts = scenes.map(() => [12, 34, 56, 78, 90]);
		const summary = renderFeedbackSummary(story({}, scenes), { emojis: ['❤️', '😂', '😮', '😢', '🔥'], counts });
		expect(summary.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
		const shown = summary.match(/^Scene \d+ · /gm)!.length;
		expect(summary).toContain(`…and ${300 - shown} more scenes\n\n**Total** · ❤️ 3600`);
	});

	it('never exceeds the length it is given', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 80 }).chain((scenes) => fc.tuple(fc.constant(scenes), anyTally(scenes))), fc.integer({ min: 0, max: 5000 }), ([scenes, counts], maxLength) => {
				const summary = renderFeedbackSummary(story({}, Array.from({ length: scenes }, () => ({}))), counts, maxLength);
				expect(summary.length).toBeLessThanOrEqual(maxLength);
			}),
			{ numRuns: 100 },
		);
	});
});
