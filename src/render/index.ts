/** Pure rendering of stories into Discord message payloads: no discord.js, no I/O. */
export { renderEndCard, renderTitleCard, renderToBeContinued, readingMinutes, titleCardProblems } from './cards.js';
export { defuseMassMentions, isolateDirection, oneLine, escapeBlockMarkdown, escapedBlockLength, unescapeBlockMarkdown } from './escape.js';
export { reactionBar, renderFeedbackSummary, type Tally } from './feedback.js';
export { DISCORD_LIMITS } from './limits.js';
export { EMBED_COLOR, embedCharacters, type MessagePayload } from './payload.js';
export { escapeProse, openEmphasis, SCENE_BREAK_TEXT, splitLongParagraph, unescapeProse } from './prose.js';
export { renderScene, sceneText } from './scene.js';
export {
	DEFAULT_SITTING_MINUTES,
	describePart,
	linkToPartStart,
	nextButtonLabel,
	partCount,
	partKeys,
	planSittings,
	renderPart,
	type Sitting,
	type SittingBlock,
} from './sittings.js';
export { fitText, inlineLabel } from './truncate.js';
export { BREAK_RANK, joinSplit, splitText, takeFittingPrefix, type Measure, type SplitOptions, type SplitText } from './split.js';
