// `npm run demo [story.md]`: a whole reading in the terminal, against the fake Discord, with no
// token, no .env and no network. The real bot answers /read, every Next, a few readers'
// reactions and /feedback; this prints what the readers see, step by step.
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../test/e2e/harness.js';
import { playReading, readStoryFile, StoryFileError, type RecordedReading } from './reading.js';
import { drawMessage } from './terminal.js';

/** The story shipped with the bot, wherever the demo is started from. */
export const DEFAULT_STORY = join(PROJECT_ROOT, 'story/after-the-end.md');

/**
 * Plays the reading and writes it to `write` (a line at a time); resolves with the recording.
 * @throws StoryFileError before writing anything when the file cannot be read or is not a story.
 */
export async function runDemo(storyFile: string, write: (text: string) => void): Promise<RecordedReading> {
	// Checked first so a typo in the path is one line, not a header announcing a reading that never comes.
	await readStoryFile(storyFile);
	write(`A reading of ${storyFile} in #stories, with the real bot and a fake Discord on 127.0.0.1.\n`);
	const reading = await playReading(storyFile, (step, { fake, channelId }) => {
		write(`\n── ${step.action}\n`);
		const lookup = { names: new Map([[fake.botUser.id, fake.botUser.username]]), channels: new Map([[channelId, 'stories']]) };
		for (const message of fake.messages(channelId).filter((candidate) => step.messageIds.includes(candidate.id))) {
			write(`\n${drawMessage(message, lookup)}\n`);
		}
	});
	return reading;
}

// Run as a script (not when imported by a test).
if (import.meta.url === `file://${process.argv[1]}`) {
	const storyFile = resolve(process.argv[2] ?? DEFAULT_STORY);
	runDemo(storyFile, (text) => process.stdout.write(text)).then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(`demo: ${error instanceof StoryFileError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		},
	);
}
