import { cardWordsIn, type CardWords } from '../messages/cards.js';
import type { Story } from '../story/types.js';
import { oneLine } from './escape.js';
import { DISCORD_LIMITS } from './limits.js';
import { isSingleChapter, planSittings, type Sitting } from './sittings.js';
import { blockText, fitText, inlineLabel } from './truncate.js';

/** Readers' reactions to a story, as counted under its scene messages. */
export interface Tally {
	/** The emoji counted, in the order they are shown. */
	emojis: string[];
	/** `counts[partIndex][emojiIndex]`: how many readers reacted with that emoji under part `partIndex + 1` (a scene, or a chaptered story's sitting; see `planSittings`). Missing entries count 0. */
	counts: number[][];
}

const BAR_CELLS = 8;
const FULL_CELL = '▰';
const EMPTY_CELL = '▱';
/** Scene labels stay short so about sixty scenes fit in one embed description. */
const LABEL_MAX = 24;
const PREVIEW_WORDS = 5;
const FEEDBACK_MAX = 300;

/**
 * Reactions scene by scene, for an embed description: one line per scene with its label, the count
 * per emoji, a bar scaled to the most reacted-to scene and the scene's total; then a total line and
 * where the author wants feedback. At most `maxLength` long: scenes that do not fit are summed up in
 * a last "…and N more scenes" line. Labels in `words` (default English).
 */
export function renderFeedbackSummary(story: Story, tally: Tally, maxLength: number = DISCORD_LIMITS.embedDescription, words: CardWords = cardWordsIn()): string {
	const parts = planSittings(story);
	const single = isSingleChapter(story);
	const perScene = parts.map((_part, sceneIndex) => tally.emojis.map((_emoji, emojiIndex) => countAt(tally, sceneIndex, emojiIndex)));
	const sceneTotals = perScene.map(sum);
	const strongest = Math.max(0, ...sceneTotals);
	const sceneLines = parts.map((part, index) => {
		const counts = emojiCounts(tally.emojis, perScene[index]!);
		const bar = reactionBar(sceneTotals[index]!, strongest);
		return `${part.scene === undefined ? sittingLabel(part, words, single) : sceneLabel(part.scene, words)} · ${counts === '' ? '' : `${counts}  `}${bar} ${sceneTotals[index]}`;
	});

	const emojiTotals = tally.emojis.map((_emoji, emojiIndex) => sum(perScene.map((counts) => counts[emojiIndex]!)));
	const total = sum(emojiTotals);
	const totalCounts = emojiCounts(tally.emojis, emojiTotals);
	const tail = ['', total === 0 ? `**${words.total}** · ${words.noReactionsYet}` : `**${words.total}** · ${totalCounts} · ${words.reactions(total)}`];
	const feedback = story.meta.feedback === undefined ? '' : blockText(oneLine(story.meta.feedback), FEEDBACK_MAX);
	if (feedback !== '') tail.push(feedback); // the author's own words (story metadata `feedback`)

	const whole = [...sceneLines, ...tail].join('\n');
	if (whole.length <= maxLength) return whole;
	// Keep as many scene lines as fit next to the tail and the line saying how many were left out.
	const tailLength = tail.join('\n').length;
	let kept = 0;
	let keptLength = 0;
	for (const line of sceneLines) {
		const moreLine = words.moreScenes(sceneLines.length - kept - 1);
		if (keptLength + line.length + 1 + moreLine.length + 1 + tailLength > maxLength) break;
		kept += 1;
		keptLength += line.length + 1;
	}
	const fitted = [...sceneLines.slice(0, kept), words.moreScenes(sceneLines.length - kept), ...tail].join('\n');
	// Only a `maxLength` too small for the tail itself needs cutting.
	return fitText(fitted, maxLength);
}

/** `Chapter 3 (2/3) · The Red Circle`: a sitting of a chaptered story; in a story of one chapter, `sitting 2 of 3 · The Red Circle`. */
function sittingLabel(part: Sitting, words: CardWords, single: boolean): string {
	const chapter = part.chapter!;
	// A line of its own starts with a capital, as "Scene 2" and "Chapter 3" do.
	const prefix = single ? upperFirst(words.sittingOf(part.index, part.of), words.language) : `${words.chapter(chapter.number)}${part.of > 1 ? ` (${part.index}/${part.of})` : ''}`;
	return chapter.title === undefined ? prefix : `${prefix} · ${inlineLabel(chapter.title, LABEL_MAX)}`;
}

function upperFirst(text: string, language: string): string {
	return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

/** `Scene 2 · The van at dawn`, or the scene's first words when it has no title. */
function sceneLabel(scene: Story['scenes'][number], words: CardWords): string {
	const prefix = words.scene(scene.number);
	if (scene.title !== undefined && scene.title.trim() !== '') return `${prefix} · ${inlineLabel(scene.title, LABEL_MAX)}`;
	// Formatting characters are not words; a preview keeps only what a reader would see.
	const shown = scene.paragraphs.join(' ').replace(/[*_~|`\\]/g, '').split(/\s+/).filter((word) => word !== '');
	if (shown.length === 0) return prefix;
	const preview = shown.slice(0, PREVIEW_WORDS).join(' ');
	const label = inlineLabel(preview, LABEL_MAX);
	return `${prefix} · ${shown.length > PREVIEW_WORDS && !label.endsWith('…') ? `${label}…` : label}`;
}

function emojiCounts(emojis: string[], counts: number[]): string {
	return emojis
		.map((emoji, index) => [emoji, counts[index] ?? 0] as const)
		.filter(([, count]) => count > 0)
		.map(([emoji, count]) => `${emoji} ${count}`)
		.join('  ');
}

/** Eight cells filled in proportion to the most reacted-to scene; any reaction shows at least one cell. */
export function reactionBar(total: number, strongest: number): string {
	const filled = strongest <= 0 || total <= 0 ? 0 : Math.max(1, Math.round((BAR_CELLS * total) / strongest));
	return FULL_CELL.repeat(filled) + EMPTY_CELL.repeat(BAR_CELLS - filled);
}

/** Counts come from storage: anything that is not a positive number counts as none. */
function countAt(tally: Tally, sceneIndex: number, emojiIndex: number): number {
	const count = tally.counts[sceneIndex]?.[emojiIndex] ?? 0;
	return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

function sum(values: number[]): number {
	return values.reduce((total, value) => total + value, 0);
}
