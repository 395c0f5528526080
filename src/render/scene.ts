import type { CardWords } from '../messages/cards.js';
import type { Scene, Story } from '../story/types.js';
import { renderPart } from './sittings.js';

/**
 * One scene of a `# Scene` story as Discord messages, in posting order: `renderPart`, under the name
 * the bot used before stories had chapters. Content reads `**Title** · Scene 2 of 4 · _Scene title_`,
 * plus ` · part 1/2` when the scene takes more than one message.
 *
 * @throws RangeError when the story has no scene `sceneNumber`, or is chaptered (use `renderPart`).
 */
export function renderScene(story: Story, sceneNumber: number, words?: CardWords): ReturnType<typeof renderPart> {
	if (story.chapters !== undefined) throw new RangeError(`story ${story.id} is chaptered: render its parts with renderPart`);
	return renderPart(story, sceneNumber, words);
}

/** The scene's text as the reader gets it: its paragraphs, a blank line between each two. */
export function sceneText(scene: Pick<Scene, 'paragraphs'>): string {
	return scene.paragraphs.join('\n\n');
}
