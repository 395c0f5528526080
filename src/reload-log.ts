// What the bot logs when STORY_DIR changes while it runs (src/story/watch.ts tells it): one line per
// reload outcome, and warnings a user must act on (an id changed, DEFAULT_STORY gone). Free of discord.js.
import type { StoryLibrary } from './context.js';
import type { Logger } from './logger.js';
import { formatStoryError, type StoryError } from './story/parse.js';
import type { Reload } from './story/watch.js';

/**
 * One warning per story file left out at start (loadLibrary's `errors`, grouped by file), each
 * problem as `file:line: reason` in story:check's words; `duplicates`: the files left out only because
 * another file holds their id (that file's story is served, so its readings go on); `watching`:
 * STORY_WATCH is on, so saving the fixed file loads it.
 */
export function logRefusedAtStart(logger: Logger, errors: readonly StoryError[], watching: boolean, duplicates: ReadonlyArray<{ file: string; id: string }> = []): void {
	const byFile = new Map<string, string[]>();
	for (const error of errors) byFile.set(error.file, [...(byFile.get(error.file) ?? []), formatStoryError(error)]);
	for (const [file, problems] of byFile) {
		const duplicate = duplicates.find((entry) => entry.file === file);
		const readings = duplicate
			? `the other stories are served, "${duplicate.id}" from the file that holds that id (its readings go on there); this file is loaded once that id is free`
			: 'the other stories are served, and readings of this story answer that its file has a mistake until ' +
				(watching ? 'the fixed file is saved (it is then loaded, and they go on where they were)' : 'it is fixed and the bot restarted');
		logger.warn({ event: 'storyRefused', file, problems }, `${problems.join('; ')}. Did not load ${file}; ${readings}.`);
	}
}

/**
 * One log line per reload outcome (tests wait for `event`): a good edit at info, a broken one at warn
 * with each problem as `file:line: reason` (one line each, the last carrying the summary fields).
 */
export function logReload(logger: Logger, reload: Reload): void {
	switch (reload.event) {
		case 'storyReloaded':
			if (reload.previousId !== undefined) {
				logger.warn(
					{ event: 'storyIdChanged', file: reload.file, from: reload.previousId, to: reload.storyId },
					`${reload.file}: the story's id changed from "${reload.previousId}" to "${reload.storyId}": readings of "${reload.previousId}" will not find it (they answer that the story is no longer available). To keep them, keep the old id: "id: ${reload.previousId}" in its front matter.`,
				);
			}
			logger.info(reload, reload.added ? `story added: ${reload.file}` : `story reloaded: ${reload.file}`);
			return;
		case 'storyRemoved':
			logger.info(reload, `story removed: ${reload.file}; its readings now answer that it is gone`);
			return;
		case 'storyStillChanging':
			logger.debug(reload, `${reload.file} changed while it was read; reading it again`);
			return;
		case 'storyReloadFailed':
			for (const problem of reload.problems) logger.warn({ event: 'storyProblem', file: reload.file }, problem);
			logger.warn(
				reload,
				(reload.storyId === undefined
					? `did not load ${reload.file} (no earlier version of it was loaded, so none is kept): ${reload.problems.join('; ')}`
					: `kept the previous version of ${reload.file}: ${reload.problems.join('; ')}`) +
					// The running bot serves on; a start leaves a bad file out (and stops only when no file is good).
					(reload.leftOutAtStart ? `. Until it is fixed, a restart leaves this file out (its readings then answer that its file has a mistake).` : ''),
			);
			return;
	}
}

/**
 * Warns when DEFAULT_STORY's story stops being loaded while the bot runs (its file removed, or its
 * id changed), since `/read` without `story:` then no longer starts it; says so again when it is back.
 */
export function watchDefaultStory(logger: Logger, stories: StoryLibrary, defaultId: string | undefined): { check(reload: Reload): void } {
	let loaded = defaultId !== undefined && stories.get(defaultId) !== undefined;
	return {
		check(reload) {
			if (defaultId === undefined) return;
			const now = stories.get(defaultId) !== undefined;
			if (loaded && !now) {
				logger.warn(
					{ event: 'defaultStoryGone', defaultStory: defaultId, file: reload.file },
					`DEFAULT_STORY is "${defaultId}", but no story has that id any more (after a change to ${reload.file}): /read without \`story:\` no longer starts it. Give the story back its id or file, or change DEFAULT_STORY.`,
				);
			} else if (!loaded && now) {
				logger.info({ event: 'defaultStoryBack', defaultStory: defaultId, file: reload.file }, `DEFAULT_STORY "${defaultId}" is loaded again`);
			}
			loaded = now;
		},
	};
}
