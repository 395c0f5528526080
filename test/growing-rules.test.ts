import { describe, expect, it } from 'vitest';
import { nextStep, resolveReading, startReading, withEndPosted, withPartPosted, withTitlePosted } from '../src/reading/rules.js';
import { partKeys, planSittings } from '../src/render/index.js';
import { runCheck } from '../src/story/check.js';
import { blockKeys, partNumberOf } from '../src/story/keys.js';
import { parseStory } from '../src/story/parse.js';
import type { Story } from '../src/story/types.js';
import type { ReadingRecord } from '../src/store.js';

// The rules of stories that grow (issue 11, item 6), in-process: stable part keys, where a stored
// reading stands against the story as it is now, and "to be continued".

const now = new Date('2026-11-30T10:00:00Z');
const place = { kind: 'channel', guildId: 'g1', channelId: 'c1' } as const;

function story(text: string): Story {
	const result = parseStory(text, 'test.md');
	if (!('story' in result)) throw new Error(JSON.stringify(result.errors));
	return result.story;
}

const chapter = (title: string, text: string, id = '') => `# Chapter: ${title}${id ? ` {#${id}}` : ''}\n\n${text}\n\n`;
const FRONT = '---\ntitle: Keys\nauthor: A\n---\n\n';
const GATE = chapter('The Gate', 'The gate had not been opened in years.');
const FERRY = chapter('The Ferry', 'The ferryman counted her coins twice.');
const BANK = chapter('The Far Bank', 'A second lantern was already lit.');
const PROLOGUE = chapter('Prologue', 'Before any of it, there was the road.');

/** A reading of `s` with its first `count` parts posted, one message each. */
function readTo(s: Story, count: number): ReadingRecord {
	let record = withTitlePosted(startReading({ place, storyId: 'keys', channelId: 'c1', userId: 'u1', now }), 'm0');
	for (let part = 1; part <= count; part++) record = withPartPosted(record, part, [`m${part}`], 'u1', now, partKeys(s)[part - 1]!);
	return record;
}

describe('part keys', () => {
	it('are the author\'s id, else the title\'s slug, else a fingerprint of the first paragraph, a repeat numbered', () => {
		expect(blockKeys([{ id: 'red-circle', title: 'The Red Circle', firstParagraph: 'x' }])).toEqual(['red-circle']);
		expect(blockKeys([{ title: 'The Red Circle!', firstParagraph: 'x' }])).toEqual(['~the-red-circle']);
		const untitled = blockKeys([{ firstParagraph: 'It  was\na dark night.' }, { firstParagraph: 'It was a dark night.' }, { title: 'Interlude', firstParagraph: '' }, { title: 'Interlude', firstParagraph: '' }]);
		expect(untitled[0]).toMatch(/^~text-[0-9a-z]{7}$/);
		expect(untitled.slice(1)).toEqual([`${untitled[0]}~2`, '~interlude', '~interlude~2']);
	});

	it('do not change when a chapter is inserted before them, and a sitting is its chapter\'s key and index', () => {
		const before = partKeys(story(FRONT + GATE + FERRY));
		const after = partKeys(story(FRONT + PROLOGUE + GATE + FERRY));
		expect(before).toEqual(['~the-gate/1', '~the-ferry/1']);
		expect(after).toEqual(['~prologue/1', ...before]);
		const seed = story('---\ntitle: S\nauthor: A\n---\n\n# Scene: The storm {#storm}\n\nRain.\n\n# Scene\n\nSun.\n');
		expect(partKeys(seed)).toEqual(['storm', expect.stringMatching(/^~text-/)]);
		expect(planSittings(seed)[0]!.scene!.id).toBe('storm');
	});

	it('find a part by key; a sitting whose chapter now has fewer sittings is the chapter\'s last; a key that is gone is 0', () => {
		const current = ['~a/1', '~b/1', '~b/2', '~c/1'];
		expect(partNumberOf('~b/2', current)).toBe(3);
		expect(partNumberOf('~b/3', current)).toBe(3);
		expect(partNumberOf('~gone/1', current)).toBe(0);
		expect(partNumberOf('storm', ['storm', 'calm'])).toBe(1);
	});

	it('a chapter id is written at the marker; story:check refuses a repeated or malformed id with file:line', async () => {
		const parsed = story(FRONT + chapter('The Gate', 'Text.', 'gate'));
		expect(parsed.chapters![0]).toMatchObject({ id: 'gate', title: 'The Gate' });
		const lines: string[] = [];
		const sink = { write: (text: string) => lines.push(text) > 0 };
		const code = await runCheck(['test/fixtures/growing/ids/duplicate-chapter-ids.md'], sink, sink, 'test/fixtures/growing/ids');
		expect(code).toBe(1);
		const output = lines.join('');
		expect(output).toContain('duplicate-chapter-ids.md:10: duplicate chapter id "door": the chapter on line 6 has it already');
		expect(output).toContain('duplicate-chapter-ids.md:14: id "{#Not An Id}" must be lower-case letters');
	});
});

describe('a stored reading against the story as it is now', () => {
	it('stays on the same text when a chapter is inserted before it, and posts what followed it', () => {
		const old = story(FRONT + GATE + FERRY + BANK);
		const record = readTo(old, 2); // at The Ferry
		const grown = story(FRONT + PROLOGUE + GATE + FERRY + BANK);
		const { record: resolved, fallback } = resolveReading(record, partKeys(grown));
		expect(fallback).toBeUndefined();
		expect(resolved.position).toBe(3);
		expect(planSittings(grown)[resolved.position - 1]!.chapter!.title).toBe('The Ferry');
		expect(nextStep(resolved, partKeys(grown).length)).toEqual({ kind: 'part', part: 4 });
		// Posting goes on from there; message ids and keys stay in posting order.
		const next = withPartPosted(resolved, 4, ['m3'], 'u1', now, partKeys(grown)[3]!);
		expect(next.partKeys).toEqual(['~the-gate/1', '~the-ferry/1', '~the-far-bank/1']);
		expect(next.partMessageIds).toEqual(['m1', 'm2', 'm3']);
	});

	it('goes on after its end card when the story grew, and stays over when it did not', () => {
		const old = story(FRONT + GATE + FERRY);
		const ended = withEndPosted(readTo(old, 2), 2, 'end', 'u1', now);
		expect(resolveReading(ended, partKeys(old)).record.position).toBe(3);
		const grown = story(FRONT + GATE + FERRY + BANK);
		const { record } = resolveReading(ended, partKeys(grown));
		expect(record.position).toBe(2);
		expect(record.ended).toBeUndefined();
		expect(record.endCardMessageId).toBeUndefined();
		expect(nextStep(record, 3)).toEqual({ kind: 'part', part: 3 });
	});

	it('falls back to its stored part number, and says so, when its part\'s key is gone', () => {
		const old = story(FRONT + GATE + FERRY + BANK);
		const retitled = story(FRONT + GATE + chapter('The Crossing', 'The ferryman counted her coins twice.') + BANK);
		const { record, fallback } = resolveReading(readTo(old, 2), partKeys(retitled));
		expect(fallback).toEqual({ key: '~the-ferry/1', part: 2 });
		expect(record.position).toBe(2);
	});

	it('reads a schema-2 record by what its numbers meant then: position, end card, and later insertions', () => {
		const old = story(FRONT + GATE + FERRY);
		const legacy = partKeys(old);
		const schema2 = (fields: Partial<ReadingRecord>): ReadingRecord => {
			const { partKeys: _keys, ...rest } = { ...readTo(old, 0), ...fields };
			return rest;
		};
		// At part 2 (not ended), then The Prologue inserted: still at The Ferry.
		const at2 = schema2({ position: 2, partMessageIds: ['m1', 'm2'] });
		const inserted = partKeys(story(FRONT + PROLOGUE + GATE + FERRY));
		const resolved = resolveReading(at2, inserted, legacy).record;
		expect(resolved).toMatchObject({ position: 3, partKeys: legacy, legacyParts: 2 });
		// Its end card posted (position one past its message ids), then a chapter added: it goes on.
		const over = schema2({ position: 3, partMessageIds: ['m1', 'm2'], endCardMessageId: 'end' });
		expect(resolveReading(over, legacy, legacy).record.position).toBe(3);
		const grown = resolveReading(over, partKeys(story(FRONT + GATE + FERRY + BANK)), legacy).record;
		expect(grown.position).toBe(2);
		expect(nextStep(grown, 3)).toEqual({ kind: 'part', part: 3 });
	});
});

describe('to be continued', () => {
	it('a story still being written waits at its newest part instead of posting the end card', () => {
		expect(nextStep({ position: 2 }, 2, true)).toEqual({ kind: 'waiting' });
		expect(nextStep({ position: 1 }, 2, true)).toEqual({ kind: 'part', part: 2 });
		expect(nextStep({ position: 2 }, 2, false)).toEqual({ kind: 'end' });
	});
});
