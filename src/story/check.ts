import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkStoryFiles, describeFsError, listStoryFiles } from './load.js';
import { formatStoryError } from './parse.js';
import { countWords, estimateReadingMinutes, sceneText, storyWordCount } from './text.js';
import type { Story } from './types.js';

/** Where `npm run story:check` looks when given no files, relative to the working directory. */
export const DEFAULT_STORY_DIR = 'story';

/** The part of a stream runCheck needs, so tests can pass a collector instead of process.stdout. */
export interface TextSink {
	write(text: string): unknown;
}

/** What an author wants to see after saving a story: is it what I meant, and how long is it. */
export function formatStorySummary(story: Story): string {
	const { meta } = story;
	const words = storyWordCount(story);
	const minutes = estimateReadingMinutes(story);
	const lines = [
		`${story.file}: "${meta.title}" by ${meta.author}`,
		`  id: ${story.id}`,
		`  ${plural(story.scenes.length, 'scene')}, ${plural(words, 'word')}, about ${plural(minutes, 'minute')} to read`,
	];
	if (meta.contentNotes.length > 0) lines.push(`  content notes: ${meta.contentNotes.join('; ')}`);
	for (const scene of story.scenes) {
		const text = sceneText(scene);
		const name = scene.title === undefined ? '(untitled)' : `"${scene.title}"`;
		lines.push(`  scene ${scene.number} ${name}: ${plural(text.length, 'character')}, ${plural(countWords(text), 'word')}`);
	}
	if (story.afterword.length > 0) lines.push(`  afterword: ${plural(story.afterword.length, 'paragraph')}`);
	return lines.join('\n');
}

/**
 * Checks the given story files, or every story in `storyDir` when none are given. Summaries go
 * to `out`, problems to `err` as `file:line: reason`. Resolves to the process exit code: 0 when
 * every story is good, 1 otherwise.
 */
export async function runCheck(files: readonly string[], out: TextSink, err: TextSink, storyDir = DEFAULT_STORY_DIR): Promise<number> {
	let targets = files;
	if (targets.length === 0) {
		try {
			targets = await listStoryFiles(storyDir);
		} catch (error) {
			err.write(`${storyDir}: cannot read: ${describeFsError(error, 'folder')}\n`);
			return 1;
		}
		if (targets.length === 0) {
			err.write(`${storyDir}: no stories: add a story file ending in .md (see story/README.md)\n`);
			return 1;
		}
	}
	const { stories, errors } = await checkStoryFiles(targets);
	out.write(stories.map((story) => `${formatStorySummary(story)}\n`).join('\n'));
	for (const error of errors) err.write(`${formatStoryError(error)}\n`);
	return errors.length > 0 ? 1 : 0;
}

function plural(count: number, noun: string): string {
	return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** True when this module is the script node was started with, not an import (e.g. from a test). */
function isEntryModule(): boolean {
	const script = process.argv[1];
	if (script === undefined) return false;
	// Node resolves symlinks for the main module's URL, and lets `node dist/src/story/check`
	// leave out the extension: compare against the file node actually ran.
	return [script, `${script}.js`].some((candidate) => {
		try {
			return import.meta.url === pathToFileURL(realpathSync(candidate)).href;
		} catch {
			return false;
		}
	});
}

if (isEntryModule()) {
	process.exitCode = await runCheck(process.argv.slice(2), process.stdout, process.stderr);
}
