import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { readStoryDir } from '../env.js';
import { cardWordsIn } from '../messages/index.js';
import { DEFAULT_SITTING_MINUTES, planSittings, renderPart } from '../render/index.js';
import { checkStoryFiles, describeFsError, listOtherFiles, listStoryFiles } from './load.js';
import { formatStoryError } from './parse.js';
import { countReadingUnits, languageName, readingRate, storyLanguage } from './language.js';
import { estimateReadingMinutes, sceneText, storyWordCount } from './text.js';
import type { Story } from './types.js';

/** Where `npm run story:check` looks when given no files, relative to the working directory. */
export const DEFAULT_STORY_DIR = 'story';

/** The part of a stream runCheck needs, so tests can pass a collector instead of process.stdout. */
export interface TextSink {
	write(text: string): unknown;
}

/** What an author wants to see after saving a story: is it what I meant, how long is it, and what readers will get. */
export function formatStorySummary(story: Story): string {
	const { meta } = story;
	const words = storyWordCount(story);
	const minutes = estimateReadingMinutes(story);
	const idLine = story.idPinned
		? `  id: ${story.id} (pinned by "id:": renaming the file keeps readers' progress)`
		: `  id: ${story.id} (from the file name: renaming the file would lose readers' progress; add "id: ${story.id}" to the front matter to pin it)`;
	const lines = [`${story.file}: "${meta.title}" by ${meta.author}`, idLine, `  ${languageLine(story)}`];
	const sittings = planSittings(story);
	const unit = readingRate(storyLanguage(meta)).unit;
	if (story.chapters === undefined) {
		const status = meta.status === 'in-progress' ? ', in progress' : '';
		lines.push(`  ${plural(story.scenes.length, 'scene')}, ${plural(words, unit)}, ${readingTime(minutes)}${status}`);
	} else {
		const status = meta.status === 'in-progress' ? `, in progress${meta.plannedChapters === undefined ? '' : ` (${story.chapters.length}/${meta.plannedChapters})`}` : '';
		lines.push(
			`  ${plural(story.chapters.length, 'chapter')}, ${plural(sittings.length, 'sitting')} (cut at about ${meta.sittingMinutes ?? DEFAULT_SITTING_MINUTES} minutes), ${plural(words, unit)}, ${readingTime(minutes)}${status}`,
		);
	}
	if (meta.rating !== undefined) lines.push(`  rating: ${meta.rating}`);
	if (meta.contentNotes.length > 0) lines.push(`  content notes: ${meta.contentNotes.join('; ')}`);
	if (story.chapters === undefined) {
		for (const scene of story.scenes) {
			const text = sceneText(scene);
			const name = scene.title === undefined ? '(untitled)' : `"${scene.title}"`;
			const messages = renderPart(story, scene.number).length;
			const units = unit === 'word' ? `, ${plural(countReadingUnits(text, storyLanguage(meta)), 'word')}` : '';
			lines.push(`  scene ${scene.number} ${name}: ${plural(text.length, 'character')}${units}, ${plural(messages, 'message')}`);
		}
	} else {
		for (const chapter of story.chapters) {
			const own = sittings.filter((sitting) => sitting.chapter === chapter);
			const name = chapter.title === undefined ? '(untitled)' : `"${chapter.title}"`;
			const part = chapter.part === undefined ? '' : `part ${chapter.part.number}, `;
			const chapterMinutes = own.reduce((total, sitting) => total + sitting.minutes, 0);
			lines.push(`  ${part}chapter ${chapter.number} ${name}: ${plural(chapter.scenes.length, 'scene')}, ${plural(own.length, 'sitting')}, ${readingTime(chapterMinutes)}`);
			for (const sitting of own) {
				lines.push(`    sitting ${sitting.index}: ${plural(sitting.words, unit)}, ${readingTime(sitting.minutes)}, ${plural(renderPart(story, sitting.part).length, 'message')}`);
			}
		}
	}
	if (story.afterword.length > 0) lines.push(`  afterword: ${plural(story.afterword.length, 'paragraph')}`);
	return lines.join('\n');
}

/**
 * Which language the text is cut and timed by, and at what rate: "language: zh (Chinese), from
 * "中文"; 255 characters a minute". A language not understood is a warning of its own (file:line).
 */
function languageLine(story: Story): string {
	const tag = storyLanguage(story.meta);
	const rate = readingRate(tag);
	const given = story.meta.language === undefined ? 'no language given' : story.meta.languageTag === undefined ? `"${story.meta.language}" not understood` : `from "${story.meta.language}"`;
	return `language: ${tag} (${languageName(tag)}), ${given}; reading time at ${rate.perMinute} ${rate.unit}s a minute`;
}

/**
 * Checks the given story files and folders (a folder: every story in it, as the bot reads it), or
 * every story in `storyDir` when none are given. Summaries go to `out`, problems to `err` as
 * `file:line: reason`. Resolves to the process exit code: 0 when every story is good, 1 otherwise.
 */
export async function runCheck(files: readonly string[], out: TextSink, err: TextSink, storyDir = DEFAULT_STORY_DIR): Promise<number> {
	const folders: string[] = [];
	const targets: string[] = [];
	for (const file of files) {
		if (await isFolder(file)) folders.push(file);
		else targets.push(file);
	}
	if (files.length === 0) folders.push(storyDir);
	let folderProblems = 0;
	for (const folder of folders) {
		let inFolder: string[];
		try {
			inFolder = await listStoryFiles(folder);
		} catch (error) {
			err.write(`${folder}: cannot read: ${describeFsError(error, 'folder')}\n`);
			folderProblems++;
			continue;
		}
		if (inFolder.length === 0) {
			err.write(`${folder}: no stories: add a story file ending in .md (see story/README.md)\n`);
			folderProblems++;
		}
		targets.push(...inFolder);
	}
	if (targets.length === 0) return 1;
	const { stories, errors, warnings } = await checkStoryFiles(targets);
	out.write(stories.map((story) => `${formatStorySummary(story)}\n`).join('\n'));
	for (const folder of folders) {
		for (const other of await listOtherFiles(folder).catch(() => [])) {
			warnings.push({ file: other, line: 0, message: 'not a story: only files ending in .md are read (rename it to end in .md, or move it out of the folder)' });
		}
	}
	for (const warning of warnings) err.write(`${formatStoryError({ ...warning, message: `warning: ${warning.message}` })}\n`);
	for (const error of errors) err.write(`${formatStoryError(error)}\n`);
	return errors.length > 0 || folderProblems > 0 ? 1 : 0;
}

async function isFolder(file: string): Promise<boolean> {
	return (await stat(file).catch(() => undefined))?.isDirectory() ?? false;
}

/** "about 9 min read", "about 8 h 42 min read": the reading time as the title card and /library say it (CardWords.aboutReadingTime), in English. */
function readingTime(minutes: number): string {
	return cardWordsIn('en').aboutReadingTime(minutes);
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
	process.exitCode = await runCheck(process.argv.slice(2), process.stdout, process.stderr, readStoryDir() ?? DEFAULT_STORY_DIR);
}
