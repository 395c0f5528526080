import { bold, hyperlink, italic } from '@discordjs/formatters';
import type { APIEmbed } from 'discord-api-types/v10';
import { cardWordsIn, type CardWords } from '../messages/cards.js';
import { chapterKeys, sceneKeys, sittingKey } from '../story/keys.js';
import { countReadingUnits, minutesToRead, readingRate, storyLanguage } from '../story/language.js';
import type { Chapter, Scene, Story } from '../story/types.js';
import { defuseMassMentions, escapeInline, isolateDirection, oneLine } from './escape.js';
import { DISCORD_LIMITS } from './limits.js';
import { EMBED_COLOR, noMentions, type MessagePayload } from './payload.js';
import { SCENE_BREAK_TEXT, splitLongParagraph } from './prose.js';
import { fitText, inlineLabel } from './truncate.js';

/*
 * A part is what one `/next` posts. In a story of `# Scene` blocks it is one scene, as it always was.
 * In a chaptered story it is one sitting: about `sittingMinutes` (default 10) of reading, cut at
 * scene breaks first, then between paragraphs, and never across chapters.
 */

/** Minutes of reading a sitting aims at when the story does not set `sitting-minutes`. */
export const DEFAULT_SITTING_MINUTES = 10;
/** How far (as a share of a sitting) a cut may move from its ideal place to land on a scene break. */
const SCENE_BREAK_REACH = 0.35;
const TITLE_MAX = 200;
const BUTTON_LABEL_MAX = 80;

export type SittingBlock = { kind: 'text'; text: string } | { kind: 'break' };

export interface Sitting {
	/** 1-based position in the reading: `/next` number `part` posts it. */
	part: number;
	/**
	 * What readings and votes refer to it by, stable when chapters are inserted before it (see
	 * src/story/keys.ts): the scene's key, or the chapter's key, '/', and `index`.
	 */
	key: string;
	/** The chapter it is from (chaptered stories), or the scene it is (`# Scene` stories). */
	chapter?: Chapter;
	scene?: Scene;
	/** 1-based among the chapter's sittings, and how many the chapter has (1 of 1 for a scene). */
	index: number;
	of: number;
	/** The text in reading order: paragraphs as written, and scene breaks inside the sitting. */
	blocks: SittingBlock[];
	/**
	 * What a reader reads in it, in the unit of the story's reading rate (src/story/language.ts): words,
	 * or characters for Chinese and Japanese.
	 */
	words: number;
	/** Reading time at the story language's rate, rounded, at least 1. */
	minutes: number;
}

const plans = new WeakMap<Story, Sitting[]>();

/** Every part of a story, in reading order (memoised per story object; stories are frozen once loaded). */
export function planSittings(story: Story): Sitting[] {
	let plan = plans.get(story);
	if (plan === undefined) {
		plan = story.chapters === undefined ? planScenes(story) : planChapters(story, story.chapters);
		plans.set(story, plan);
	}
	return plan;
}

function planScenes(story: Story): Sitting[] {
	const language = storyLanguage(story.meta);
	const rate = readingRate(language);
	const keys = sceneKeys(story.scenes);
	return story.scenes.map((scene, index) => {
		const words = countReadingUnits(scene.paragraphs.join('\n\n'), language);
		return { part: index + 1, key: keys[index]!, scene, index: 1, of: 1, blocks: scene.paragraphs.map((text) => ({ kind: 'text', text })), words, minutes: minutesToRead(words, rate) };
	});
}

interface Unit {
	text: string;
	words: number;
	/** Starts a scene after the chapter's first: a scene break comes before it. */
	afterBreak: boolean;
}

function planChapters(story: Story, chapters: readonly Chapter[]): Sitting[] {
	const language = storyLanguage(story.meta);
	const rate = readingRate(language);
	const target = (story.meta.sittingMinutes ?? DEFAULT_SITTING_MINUTES) * rate.perMinute;
	const sittings: Sitting[] = [];
	const keys = chapterKeys(chapters);
	for (const [chapterIndex, chapter] of chapters.entries()) {
		const units: Unit[] = chapter.scenes.flatMap((scene, sceneIndex) =>
			scene.paragraphs.map((text, index) => ({ text, words: countReadingUnits(text, language), afterBreak: sceneIndex > 0 && index === 0 })),
		);
		const cuts = cutPlaces(units, target);
		const bounds = [0, ...cuts, units.length];
		for (let index = 0; index + 1 < bounds.length; index++) {
			const slice = units.slice(bounds[index], bounds[index + 1]);
			const blocks: SittingBlock[] = [];
			for (const [position, unit] of slice.entries()) {
				if (unit.afterBreak && position > 0) blocks.push({ kind: 'break' });
				blocks.push({ kind: 'text', text: unit.text });
			}
			const words = slice.reduce((total, unit) => total + unit.words, 0);
			sittings.push({ part: sittings.length + 1, key: sittingKey(keys[chapterIndex]!, index + 1), chapter, index: index + 1, of: bounds.length - 1, blocks, words, minutes: minutesToRead(words, rate) });
		}
	}
	return sittings;
}

/**
 * Where a chapter's sittings begin (unit indexes, ascending, never 0): as many sittings as make each
 * about `target` words, each cut at the scene break nearest its ideal place if one is within reach,
 * else at the nearest paragraph end.
 */
function cutPlaces(units: readonly Unit[], target: number): number[] {
	const total = units.reduce((sum, unit) => sum + unit.words, 0);
	const count = Math.max(1, Math.round(total / target));
	if (count === 1 || units.length < 2) return [];
	const before: number[] = [0];
	for (const unit of units) before.push(before.at(-1)! + unit.words);
	const share = total / count;
	const cuts: number[] = [];
	for (let sitting = 1; sitting < count; sitting++) {
		const ideal = share * sitting;
		let best: number | undefined;
		let bestScore = Infinity;
		for (let index = (cuts.at(-1) ?? 0) + 1; index < units.length; index++) {
			const distance = Math.abs(before[index]! - ideal);
			// A scene break within reach beats any paragraph end.
			const score = units[index]!.afterBreak && distance <= share * SCENE_BREAK_REACH ? distance - total : distance;
			if (score < bestScore) [best, bestScore] = [index, score];
		}
		if (best !== undefined) cuts.push(best);
	}
	return cuts;
}

function sittingAt(story: Story, part: number): Sitting {
	const sitting = Number.isInteger(part) ? planSittings(story)[part - 1] : undefined;
	if (sitting === undefined) throw new RangeError(`story ${story.id} has no part ${part}: it has parts 1 to ${planSittings(story).length}`);
	return sitting;
}

/** Every part's stable key, in reading order (index = part - 1); see Sitting.key. */
export function partKeys(story: Story): string[] {
	return planSittings(story).map((sitting) => sitting.key);
}

/** How many parts one `/next` at a time posts: the scenes of a `# Scene` story, the sittings of a chaptered one. */
export function partCount(story: Story): number {
	return planSittings(story).length;
}

/** How many chapters the story has in all: the planned total, else the file's count, undefined while unfinished without a plan. */
function chapterTotal(story: Story): number | undefined {
	return story.meta.plannedChapters ?? (story.meta.status === 'in-progress' ? undefined : story.chapters?.length);
}

/**
 * True for a chaptered story that is one chapter and will stay one (a one-shot, an import of a
 * one-chapter work): its parts are labelled by sitting alone, never "Chapter 1 of 1". A story still
 * being written without a planned total (`chapters: 1/?`) keeps its "Chapter 1", as more may follow.
 */
export function isSingleChapter(story: Story): boolean {
	return story.chapters?.length === 1 && chapterTotal(story) === 1;
}

/** "Chapter 3 of 12", or "Chapter 3" when the story is unfinished and plans no total. */
function chapterName(story: Story, chapter: Chapter, words: CardWords): string {
	const total = chapterTotal(story);
	return total === undefined ? words.chapter(chapter.number) : words.chapterOf(chapter.number, total);
}

/**
 * Part `part` (1-based) in words, for sentences like "The reading is at …": "scene 2 of 4" in a
 * `# Scene` story (as before), "Chapter 3 of 12 · sitting 2 of 3" (or "Chapter 3 of 12" when the
 * chapter is one sitting) in a chaptered one, "sitting 2 of 3" in a story of one chapter (isSingleChapter); in `words`' language (default English).
 * @throws RangeError when the story has no such part.
 */
export function describePart(story: Story, part: number, words: CardWords = cardWordsIn()): string {
	const sitting = sittingAt(story, part);
	if (sitting.chapter === undefined) return words.describeScene(part, partCount(story));
	if (isSingleChapter(story)) return words.sittingOf(sitting.index, sitting.of);
	const name = chapterName(story, sitting.chapter, words);
	return sitting.of > 1 ? `${name} · ${words.sittingOf(sitting.index, sitting.of)}` : name;
}

/**
 * The Next button's label when `position` parts are posted: what comes next and how long it takes,
 * "Next: Chapter 3 of 12 · sitting 2 of 3 · 9 min"; for a `# Scene` story "Next: scene 2 of 4", as
 * before; "Read the ending" after the last part ("Next: when it is out" when the story is still being written). At most 80 characters (Discord's button label limit,
 * https://discord.com/developers/docs/components/reference#button). In `words`' language (default English).
 */
export function nextButtonLabel(story: Story, position: number, words: CardWords = cardWordsIn()): string {
	if (position >= partCount(story)) return story.meta.status === 'in-progress' ? words.nextWhenOut : words.readTheEnding;
	const next = sittingAt(story, position + 1);
	if (next.chapter === undefined) return fitText(words.next(describePart(story, position + 1, words)), BUTTON_LABEL_MAX);
	return fitText(words.nextMinutes(describePart(story, position + 1, words), next.minutes), BUTTON_LABEL_MAX);
}

/** The label in a part's messages: `**Title** · Chapter 3 of 12 · _The Red Circle_ · sitting 2 of 3`. */
function partLabel(story: Story, sitting: Sitting, words: CardWords): string {
	const labels: string[] = [bold(inlineLabel(story.meta.title, TITLE_MAX))];
	if (sitting.scene !== undefined) {
		labels.push(words.sceneOf(sitting.scene.number, story.scenes.length));
		if (sitting.scene.title !== undefined && sitting.scene.title.trim() !== '') labels.push(italic(inlineLabel(sitting.scene.title, TITLE_MAX)));
		return labels.join(' · ');
	}
	const chapter = sitting.chapter!;
	if (chapter.part !== undefined) {
		labels.push(words.bookPart(chapter.part.number, chapter.part.title === undefined ? undefined : isolateDirection(escapeInline(oneLine(chapter.part.title)))));
	}
	if (!isSingleChapter(story)) labels.push(chapterName(story, chapter, words));
	if (chapter.title !== undefined) labels.push(italic(inlineLabel(chapter.title, TITLE_MAX)));
	if (sitting.of > 1) labels.push(words.sittingOf(sitting.index, sitting.of));
	return labels.join(' · ');
}

interface Section {
	/** Shown as the first embed's title of the section (notes), counted in the 6,000. */
	title?: string;
	/** Escaped pieces, each at most one embed description long. */
	pieces: Piece[];
}

interface Piece {
	text: string;
	/**
	 * Goes on with the paragraph of the piece before, cut inside it: it starts an embed of its own, as
	 * the cut was made for (joined with a blank line it would read as a new paragraph, and the formatting
	 * closed before the cut and reopened after it would show as stray markers).
	 */
	continues: boolean;
}

/** A paragraph (or notes) as pieces: the first starts it, the rest go on with it; cut by `locale`'s sentences and words. */
function piecesOf(text: string, locale: string): Piece[] {
	return splitLongParagraph(text, DISCORD_LIMITS.embedDescription, locale).map((piece, index) => ({ text: piece, continues: index > 0 }));
}

/**
 * Part `part` (1-based) as Discord messages, in posting order. Text goes in embed descriptions
 * (4,096 each, 6,000 a message), the label in `content`. A message ends between paragraphs, never
 * inside one unless the paragraph alone is longer than one embed; chapter notes open the chapter's
 * first sitting and end notes close its last, each in an embed of its own.
 *
 * A message after the first says so in its label ("part 2/3", "message 2 of 3"); the poster links it
 * back to the first with `linkToPartStart` once the first is posted and its URL known. The bot's
 * words (labels, notes' titles) are `words`' (default English); the story's text is never translated.
 * @throws RangeError when the story has no such part.
 */
export function renderPart(story: Story, part: number, words: CardWords = cardWordsIn()): MessagePayload[] {
	const sitting = sittingAt(story, part);
	const sections: Section[] = [];
	const chapter = sitting.chapter;
	const locale = storyLanguage(story.meta);
	if (chapter?.notes !== undefined && sitting.index === 1) sections.push({ title: words.chapterNotes, pieces: piecesOf(chapter.notes.trim(), locale) });
	sections.push({
		pieces: sitting.blocks.flatMap((block) => (block.kind === 'break' ? [{ text: SCENE_BREAK_TEXT, continues: false }] : piecesOf(block.text, locale))),
	});
	if (chapter?.endNotes !== undefined && sitting.index === sitting.of) sections.push({ title: words.endNotes, pieces: piecesOf(chapter.endNotes.trim(), locale) });

	const messages = pack(sections);
	const label = partLabel(story, sitting, words);
	const count = messages.length;
	return messages.map((embeds, index) => {
		const numbered = count === 1 ? label : sitting.scene !== undefined ? `${label} · ${words.partOf(index + 1, count)}` : `${label} · ${words.messageOf(index + 1, count)}`;
		return { content: defuseMassMentions(numbered), embeds, allowedMentions: noMentions() };
	});
}

/**
 * A later message of a part, linking back to where the part starts: `payload` as `renderPart` gave
 * it, `firstMessageUrl` the URL of the part's first message once posted (discord.js `message.url`).
 * Pure: returns a new payload. The link's words in `words`' language (default English).
 */
export function linkToPartStart(payload: MessagePayload, firstMessageUrl: string, words: CardWords = cardWordsIn()): MessagePayload {
	const link = ` · ${hyperlink(words.backToStart, `<${firstMessageUrl}>`)}`;
	return { ...payload, content: `${payload.content ?? ''}${link}`, allowedMentions: noMentions() };
}

/**
 * Packs sections into messages of embeds, greedily: each piece joins the current embed after a blank
 * line, or starts a new embed or a new message; a piece that continues a cut paragraph always starts
 * a new embed.
 */
function pack(sections: readonly Section[]): APIEmbed[][] {
	const messages: APIEmbed[][] = [];
	let embeds: APIEmbed[] = [];
	let total = 0;
	const newMessage = (): void => {
		if (embeds.length > 0) messages.push(embeds);
		embeds = [];
		total = 0;
	};
	for (const section of sections) {
		let first = true;
		let current: APIEmbed | undefined;
		for (const { text: piece, continues } of section.pieces) {
			const title = first && section.title !== undefined ? section.title : undefined;
			const appended = current?.description === undefined || continues ? undefined : `${current.description}\n\n${piece}`;
			if (current !== undefined && appended !== undefined && appended.length <= DISCORD_LIMITS.embedDescription && total + piece.length + 2 <= DISCORD_LIMITS.embedsTotal) {
				current.description = appended;
				total += piece.length + 2;
				continue;
			}
			const cost = piece.length + (title?.length ?? 0);
			if (total + cost > DISCORD_LIMITS.embedsTotal || embeds.length >= DISCORD_LIMITS.embedsPerMessage) newMessage();
			current = { ...(title === undefined ? {} : { title }), description: piece, color: EMBED_COLOR };
			embeds.push(current);
			total += cost;
			first = false;
		}
	}
	newMessage();
	return messages.length === 0 ? [[]] : messages;
}
