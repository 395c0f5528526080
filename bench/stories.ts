// The stories the bench serves, generated into a temp STORY_DIR. Scene lengths are exact, and the
// prose has no Markdown that the bot would escape, so "a scene of 6,000 characters" is exactly
// 6,000 characters of embed text.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from './stats.js';

export interface BenchStory {
	/** The story id (the file name without .md). */
	id: string;
	/** Characters of each scene's text, index = scene number - 1. */
	sceneChars: number[];
}

export interface BenchStories {
	/** Many scenes of ~3,000 characters, so every sampled /next posts a scene and none ends the reading. */
	serial: BenchStory;
	/** Scene 1 short, then one scene at the 6,000-character single-message limit and one of 10,000. */
	sizes: BenchStory;
}

export const SERIAL_SCENE_COUNT = 400;
export const SERIAL_SCENE_CHARS = 3_000;
export const SIZES_SCENE_CHARS = [500, 6_000, 10_000];

const WORDS = (
	'the lamp had been dark for three nights and she climbed the stairs anyway counting them out loud ' +
	'while rain kept on at the glass below a ship turned slowly in the harbour light as if it remembered ' +
	'something from an older season when the keeper wrote each evening in a small green book'
).split(' ');

function sentence(random: () => number): string {
	const length = 8 + Math.floor(random() * 10);
	const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]!);
	const first = words[0]!;
	words[0] = first[0]!.toUpperCase() + first.slice(1);
	return `${words.join(' ')}.`;
}

/** One single-line paragraph of exactly `chars` characters that neither starts nor ends with a space. */
function paragraph(random: () => number, chars: number): string {
	let text = '';
	while (text.length < chars) text += (text === '' ? '' : ' ') + sentence(random);
	text = text.slice(0, chars);
	return text.endsWith(' ') ? `${text.slice(0, -1)}.` : text;
}

/** Paragraphs of 350-750 characters joined by blank lines, exactly `chars` long as the bot joins them. */
export function prose(random: () => number, chars: number): string {
	const paragraphs: string[] = [];
	let used = 0;
	for (;;) {
		const separator = paragraphs.length > 0 ? 2 : 0;
		const left = chars - used - separator;
		const size = 350 + Math.floor(random() * 400);
		// The last paragraph takes the rest, which is then always at least ~100 characters.
		if (left <= size + 100) {
			paragraphs.push(paragraph(random, left));
			return paragraphs.join('\n\n');
		}
		paragraphs.push(paragraph(random, size));
		used += separator + size;
	}
}

function storyFile(title: string, sceneChars: readonly number[], random: () => number): string {
	const scenes = sceneChars.map((chars, index) => `# Scene: Part ${index + 1}\n\n${prose(random, chars)}\n`);
	return `---\ntitle: ${title}\nauthor: serial-fiction-bot bench\n---\n\n${scenes.join('\n')}`;
}

export async function writeBenchStories(dir: string): Promise<BenchStories> {
	const random = seededRandom(20_240_601);
	const serial: BenchStory = { id: 'bench-serial', sceneChars: Array.from({ length: SERIAL_SCENE_COUNT }, () => SERIAL_SCENE_CHARS) };
	const sizes: BenchStory = { id: 'bench-sizes', sceneChars: [...SIZES_SCENE_CHARS] };
	await writeFile(join(dir, `${serial.id}.md`), storyFile('Bench Serial', serial.sceneChars, random));
	await writeFile(join(dir, `${sizes.id}.md`), storyFile('Bench Scene Sizes', sizes.sceneChars, random));
	return { serial, sizes };
}
