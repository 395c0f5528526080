import { bold, italic } from '@discordjs/formatters';
import type { APIEmbed } from 'discord-api-types/v10';
import { cardWordsIn, type CardWords } from '../messages/cards.js';
import type { Scene, Story } from '../story/types.js';
import { defuseMassMentions, escapeBlockMarkdown, escapedBlockLength } from './escape.js';
import { DISCORD_LIMITS } from './limits.js';
import { EMBED_COLOR, noMentions, type MessagePayload } from './payload.js';
import { splitText } from './split.js';
import { inlineLabel } from './truncate.js';

const TITLE_MAX = 200;

/**
 * One scene as Discord messages, in posting order. The text goes in embed descriptions (4,096 each,
 * twice the 2,000 of message content) and the labels in `content`, so the embeds spend their shared
 * 6,000 on story text: a scene of up to 6,000 characters (after escaping) is one message.
 *
 * Content reads `**Title** · Scene 2 of 4 · _Scene title_`, plus ` · part 1/2` when the scene takes
 * more than one message; the bot's words in `words` (default English).
 *
 * @throws RangeError when the story has no scene `sceneNumber`.
 */
export function renderScene(story: Story, sceneNumber: number, words: CardWords = cardWordsIn()): MessagePayload[] {
	const scene = sceneAt(story, sceneNumber);
	const messages = packSceneText(sceneText(scene));
	const label = sceneLabel(story, scene, words);
	return messages.map((descriptions, index) => ({
		content: defuseMassMentions(messages.length > 1 ? `${label} · ${words.partOf(index + 1, messages.length)}` : label),
		embeds: descriptions.map((description): APIEmbed => ({ description, color: EMBED_COLOR })),
		allowedMentions: noMentions(),
	}));
}

/** The scene's text as the reader gets it: its paragraphs, a blank line between each two. */
export function sceneText(scene: Scene): string {
	return scene.paragraphs.join('\n\n');
}

/**
 * Scene text as messages of embed descriptions (escaped), as few messages as the limits allow.
 *
 * Two levels: the text is first split into as few message-sized parts (≤ 6,000 escaped) as possible,
 * then each part into description-sized chunks (≤ 4,096), whole paragraphs first. Splitting straight
 * into 4,096-chunks would waste message room: three chunks of 4,000 need three messages where two
 * parts of 6,000 need two; and whole paragraphs per message would often cost one more. A chunk that starts
 * mid-line gets its own escape, so a part can come out a character or two over 6,000; the part budget
 * then shrinks by the overflow and the split is redone.
 */
export function packSceneText(text: string): string[][] {
	for (let budget: number = DISCORD_LIMITS.embedsTotal; ; ) {
		const messages = splitText(text, budget, { measure: escapedBlockLength, fewestChunks: true }).chunks.map(descriptionsOf);
		const overflow = Math.max(0, ...messages.map((descriptions) => descriptions.reduce((total, description) => total + description.length, 0) - DISCORD_LIMITS.embedsTotal));
		if (overflow === 0) return messages.length === 0 ? [[]] : messages;
		budget -= overflow;
	}
}

/** One message's part of the scene as escaped descriptions, whole paragraphs per embed where they fit. */
function descriptionsOf(part: string): string[] {
	const max = DISCORD_LIMITS.embedDescription;
	let chunks = splitText(part, max, { measure: escapedBlockLength }).chunks;
	// Paragraph-first packing of a part of at most 6,000 hardly ever needs more than three embeds; when a
	// pile of short sentences between long ones asks for more than ten, fewest chunks needs at most three.
	if (chunks.length > DISCORD_LIMITS.embedsPerMessage) chunks = splitText(part, max, { measure: escapedBlockLength, fewestChunks: true }).chunks;
	return chunks.map(escapeBlockMarkdown);
}

function sceneAt(story: Story, sceneNumber: number): Scene {
	const scene = Number.isInteger(sceneNumber) ? story.scenes[sceneNumber - 1] : undefined;
	if (scene === undefined) throw new RangeError(`story ${story.id} has no scene ${sceneNumber}: it has scenes 1 to ${story.scenes.length}`);
	return scene;
}

function sceneLabel(story: Story, scene: Scene, words: CardWords): string {
	const parts = [bold(inlineLabel(story.meta.title, TITLE_MAX)), words.sceneOf(scene.number, story.scenes.length)];
	if (scene.title !== undefined && scene.title.trim() !== '') parts.push(italic(inlineLabel(scene.title, TITLE_MAX)));
	return parts.join(' · ');
}
