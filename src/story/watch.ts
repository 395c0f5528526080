// Hot reload of STORY_DIR: one changed file is read again and swapped in, nothing else. Free of
// discord.js; bot.ts starts it unless STORY_WATCH=off.
import { watch, type FSWatcher } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkStoryFiles, deepFreeze, isStoryFileName } from './load.js';
import { formatStoryError, type StoryError } from './parse.js';
import type { Story } from './types.js';

/** What the watcher changes: src/context.ts's StoryLibrary. */
export interface ReloadableLibrary {
	get(id: string): Story | undefined;
	byFile(file: string): Story | undefined;
	put(story: Story): void;
	removeFile(file: string): Story | undefined;
}

/** What became of one file after a change, as logged (`event` is the log line's event field). */
export type Reload =
	/** `previousId`: the id the file's story had before, when the edit changed it (its readings no longer find it). */
	| { event: 'storyReloaded'; file: string; storyId: string; added: boolean; ms: number; previousId?: string }
	| { event: 'storyRemoved'; file: string; storyId: string }
	/**
	 * `storyId` is the version kept, undefined when the file never loaded (a new file: nothing is kept).
	 * `duplicateId`: the file was refused only because another file holds that id; it is read again when that id is free.
	 * `leftOutAtStart`: the file is a story file as it stands, so the bot's next start would leave it out (and stop, were no other file good).
	 */
	| { event: 'storyReloadFailed'; file: string; storyId: string | undefined; problems: string[]; duplicateId?: string; leftOutAtStart?: boolean }
	/**
	 * The file changed while it was read, or (from the watcher) was found empty: nothing is swapped, and
	 * the change's own event reads it again.
	 */
	| { event: 'storyStillChanging'; file: string };

/**
 * How long an empty story file is given to get its content, ms. Saving a file in place (an editor,
 * `fs.writeFile`) truncates it first and writes after; a writer held up between the two for longer
 * than the debounce left the watcher reading an empty file, which it reported as a failed edit.
 * Empty for this long after its last change, it is read as it is (and refused as empty).
 */
export const EMPTY_FILE_GRACE_MS = 1_000;

export interface WatchOptions {
	/** Quiet time after a file's last change before it is read (editors write in several steps). Default 50 ms. */
	debounceMs?: number;
	/** How long a file found empty waits for its content before it is read as it is. Default EMPTY_FILE_GRACE_MS. */
	emptyGraceMs?: number;
	/** Told of every outcome, after the library has changed (bot.ts logs it; tests await it). */
	onReload: (reload: Reload) => void;
	/** The watcher itself failed, or the folder was removed or replaced: it stops; the stories loaded stay. */
	onError?: (error: Error) => void;
	/** Files refused at start because another file held their id (loadLibrary's `duplicates`): read again once that id is free. */
	duplicates?: ReadonlyArray<{ file: string; id: string }>;
}

export interface StoryWatcher {
	close(): void;
}

/**
 * Watches `dir` (node:fs watch, not recursive: stories live at its top level) and, `debounceMs`
 * after a story file last changed, reads that file alone:
 * - a good story replaces the version from the same file (or is added): the next sitting uses it;
 * - a file that no longer parses (or whose id another file holds) keeps the previous version, and
 *   the problems come as `file:line: reason` in `problems`;
 * - a file gone removes its story (its readings then answer "story gone");
 * - a file that changed while it was read is left for its next change event (`storyStillChanging`);
 * - a file refused because another file holds its id is read again once that id is free (the other
 *   file removed, or its id changed): "Save as" under a new name, then deleting the old file, moves the story;
 * - a file found empty is being saved in place (truncated, not yet written): it is left for its
 *   next change event too, and read as it is only if it stays empty for `emptyGraceMs`.
 * Files are named as `dir`-joined paths, like listStoryFiles and Story.file.
 */
export function watchStoryDir(dir: string, library: ReloadableLibrary, options: WatchOptions): StoryWatcher {
	const debounceMs = options.debounceMs ?? 50;
	const emptyGraceMs = options.emptyGraceMs ?? EMPTY_FILE_GRACE_MS;
	const timers = new Map<string, NodeJS.Timeout>();
	/** Files refused only because another file held their id, by that id. */
	const refused = new Map<string, string>((options.duplicates ?? []).map(({ file, id }) => [file, id]));
	let running = Promise.resolve();
	let closed = false;
	const watcher: FSWatcher = watch(dir, { persistent: false }, (_type, name) => {
		// A platform that does not name the file is not one the bot runs on (Linux, macOS and Windows all do).
		if (closed || name === null) return;
		if (isStoryFileName(name)) schedule(path.join(dir, name));
		// On Linux the folder's own removal comes as an event naming the folder, never as an error: the
		// watch then hears nothing more, even of a folder put back under the same name.
		else void folderGone().then((gone) => {
			if (gone && !closed) {
				options.onError?.(new Error(`${dir} was removed or replaced`));
				stop();
			}
		});
	});
	const watched = stat(dir).then(
		(stats) => stats.ino,
		() => undefined,
	);
	async function folderGone(): Promise<boolean> {
		const now = await stat(dir).then(
			(stats) => stats.ino,
			() => undefined,
		);
		return now === undefined || now !== (await watched);
	}
	/** Reads `file` after `delayMs` unless it changes again first (which starts the wait over). */
	function schedule(file: string, delayMs = debounceMs, emptyIsWriting = true): void {
		clearTimeout(timers.get(file));
		timers.set(
			file,
			setTimeout(() => {
				timers.delete(file);
				// One file at a time, so two quick edits of different files never interleave.
				running = running
					.then(async (): Promise<Reload> => {
						if (emptyIsWriting && (await isEmptyFile(file))) {
							if (!closed && !timers.has(file)) schedule(file, emptyGraceMs, false);
							return { event: 'storyStillChanging', file };
						}
						return reloadFile(file, library);
					})
					.catch((error: unknown): Reload => ({ event: 'storyReloadFailed', file, storyId: library.byFile(file)?.id, problems: [`${file}: ${error instanceof Error ? error.message : String(error)}`] }))
					.then((reload) => {
						if (closed) return;
						const freed = track(reload);
						options.onReload(reload);
						for (const [other, id] of refused) if (id === freed) schedule(other);
					})
					// A failing listener must not stop later reloads.
					.catch(() => undefined);
			}, delayMs),
		);
	}
	/** Notes a file refused for a duplicate id (or that it no longer is); returns the id this reload freed, if any. */
	function track(reload: Reload): string | undefined {
		if (reload.event === 'storyReloadFailed' && reload.duplicateId !== undefined) refused.set(reload.file, reload.duplicateId);
		else if (reload.event !== 'storyStillChanging') refused.delete(reload.file);
		if (reload.event === 'storyRemoved') return reload.storyId;
		if (reload.event === 'storyReloaded') return reload.previousId;
		return undefined;
	}
	watcher.on('error', (error) => {
		options.onError?.(error);
		stop();
	});
	function stop(): void {
		closed = true;
		for (const timer of timers.values()) clearTimeout(timer);
		timers.clear();
		watcher.close();
	}
	return { close: stop };
}

/** Reads `file` again and updates `library` as watchStoryDir describes; never throws. */
export async function reloadFile(file: string, library: ReloadableLibrary): Promise<Reload> {
	const started = performance.now();
	const before = library.byFile(file);
	if (!(await exists(file))) {
		if (before === undefined) {
			// A file refused at start and now removed: its readings are told the story is gone.
			library.removeFile(file);
			return { event: 'storyReloadFailed', file, storyId: undefined, problems: [`${file}: removed before it could be read`] };
		}
		library.removeFile(file);
		return { event: 'storyRemoved', file, storyId: before.id };
	}
	const version = await versionOf(file);
	const { stories, errors } = await checkStoryFiles([file]);
	// Still being written (an editor saving in several writes): half a story is never swapped in.
	if (version !== (await versionOf(file))) return { event: 'storyStillChanging', file };
	const story = stories[0];
	const problems: StoryError[] = [...errors];
	let duplicateId: string | undefined;
	if (story !== undefined) {
		const holder = library.get(story.id);
		if (holder !== undefined && holder.file !== file) {
			// A renamed file with a pinned id: the old name may be gone without its event handled yet.
			if (await exists(holder.file)) {
				problems.push({ file, line: story.idLine ?? 1, message: `duplicate story id "${story.id}" (also used by ${holder.file}; give one of them a different "id:")` });
				duplicateId = story.id;
			} else {
				library.removeFile(holder.file);
			}
		}
	}
	if (story === undefined || problems.length > 0) {
		const leftOutAtStart = await isFile(file);
		return { event: 'storyReloadFailed', file, storyId: before?.id, problems: problems.map(formatStoryError), ...(duplicateId === undefined ? {} : { duplicateId }), leftOutAtStart };
	}
	library.put(deepFreeze(story));
	const ms = Math.round((performance.now() - started) * 100) / 100;
	const reloaded: Reload = { event: 'storyReloaded', file, storyId: story.id, added: before === undefined, ms };
	return before !== undefined && before.id !== story.id ? { ...reloaded, previousId: before.id } : reloaded;
}

/** Size and modification time, to tell whether a file changed while it was read ('' when it cannot be read). */
async function versionOf(file: string): Promise<string> {
	try {
		const { size, mtimeMs } = await stat(file);
		return `${size}:${mtimeMs}`;
	} catch {
		return '';
	}
}

/** True when `file` is there and holds nothing (false when it cannot be read: reloadFile says why). */
async function isEmptyFile(file: string): Promise<boolean> {
	try {
		return (await stat(file)).size === 0;
	} catch {
		return false;
	}
}

/** A file (not a folder, which listStoryFiles skips at start), still there. */
async function isFile(file: string): Promise<boolean> {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}

async function exists(file: string): Promise<boolean> {
	try {
		await access(file);
		return true;
	} catch {
		return false;
	}
}
