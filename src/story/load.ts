import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { titleCardProblems } from '../render/cards.js';
import { formatStoryError, idFromFileName, parseStory, type StoryError } from './parse.js';
import type { Story } from './types.js';

/** Thrown by loadStories; `errors` holds every problem found, `message` has them one per line. */
export class StoryLoadError extends Error {
	readonly errors: readonly StoryError[];

	constructor(errors: readonly StoryError[]) {
		super(errors.map(formatStoryError).join('\n'));
		this.name = 'StoryLoadError';
		this.errors = errors;
	}
}

export interface StoryFilesResult {
	/** The good stories, in the order of the files given. */
	stories: Story[];
	/** Every problem in every file, file by file, plus ids used twice. */
	errors: StoryError[];
	/** What is allowed but most likely a mistake (see parseStory); never stops a story from loading. */
	warnings: StoryError[];
	/** Each file refused for its own mistakes (not for an id another file holds), in file order. */
	refused: RefusedFile[];
	/** Each file refused only because an earlier file holds its id. */
	duplicates: Array<{ file: string; id: string }>;
}

/** A story file that did not load, and the id its readings are stored under (see parseStory's `id`). */
export interface RefusedFile {
	file: string;
	/** Undefined when neither its `id:` nor its file name makes a valid id (no reading can be of it). */
	id: string | undefined;
	/** Its problems, each as story:check prints it with formatStoryError. */
	problems: StoryError[];
}

/**
 * Story files in `dir`: every `*.md` except `README.md` (the authors' guide that lives next
 * to them) and hidden files (editor backups), sorted by file name so the order is the same on
 * every machine. Paths are `dir`-joined, e.g. `story/after-the-end.md`.
 */
export async function listStoryFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	const names: string[] = [];
	for (const entry of entries) if (isStoryFileName(entry.name) && (await isFileEntry(dir, entry))) names.push(entry.name);
	return names.sort(compareCodeUnits).map((name) => path.join(dir, name));
}

/**
 * A file, or a symbolic link to one (a story kept elsewhere and linked into the folder, which the
 * watcher reads like any file): readdir's entry says "symbolic link", not where it points.
 */
async function isFileEntry(dir: string, entry: Dirent): Promise<boolean> {
	if (entry.isFile()) return true;
	if (!entry.isSymbolicLink()) return false;
	try {
		return (await stat(path.join(dir, entry.name))).isFile();
	} catch {
		return false;
	}
}

export function isStoryFileName(name: string): boolean {
	return name.endsWith('.md') && name !== 'README.md' && !name.startsWith('.');
}

/**
 * Files in `dir` the bot does not read as stories although an author may have meant them to be
 * (`story.md.txt`, `story.markdown`): everything but stories, README.md and hidden files.
 */
export async function listOtherFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	const names: string[] = [];
	for (const entry of entries) if (!isStoryFileName(entry.name) && entry.name !== 'README.md' && !entry.name.startsWith('.') && (await isFileEntry(dir, entry))) names.push(entry.name);
	return names.sort(compareCodeUnits).map((name) => path.join(dir, name));
}

/** Reads and parses each file, and reports a story id used by more than one of them. */
export async function checkStoryFiles(files: readonly string[]): Promise<StoryFilesResult> {
	const stories: Story[] = [];
	const errors: StoryError[] = [];
	const warnings: StoryError[] = [];
	const refused: RefusedFile[] = [];
	const duplicates: Array<{ file: string; id: string }> = [];
	const fileById = new Map<string, string>();
	const refuse = (file: string, id: string | undefined, problems: StoryError[]): void => {
		errors.push(...problems);
		refused.push({ file, id, problems });
	};
	for (const file of files) {
		let bytes: Uint8Array;
		try {
			bytes = await readFile(file);
		} catch (error) {
			refuse(file, idFromFileName(file), [{ file, line: 0, message: `cannot read: ${describeFsError(error)}` }]);
			continue;
		}
		const result = parseStory(bytes, file);
		warnings.push(...result.warnings);
		if ('errors' in result) {
			refuse(file, result.id, result.errors);
			continue;
		}
		const { story } = result;
		const cardProblems = titleCardProblems(story);
		if (cardProblems.length > 0) {
			refuse(file, story.id, cardProblems.map((message) => ({ file, line: 1, message })));
			continue;
		}
		const earlier = fileById.get(story.id);
		if (earlier !== undefined) {
			errors.push({
				file,
				line: story.idLine ?? 1,
				message: `duplicate story id "${story.id}" (also used by ${earlier}; give one of them a different "id:")`,
			});
			duplicates.push({ file, id: story.id });
			continue;
		}
		fileById.set(story.id, file);
		stories.push(story);
	}
	return { stories, errors, warnings, refused, duplicates };
}

/**
 * Every story in `dir` (see listStoryFiles), deeply frozen. Throws StoryLoadError listing
 * every problem if any file is bad, two stories share an id, or there is no story at all (for
 * tools and tests that want the whole folder; the bot starts with loadLibrary).
 */
export async function loadStories(dir: string): Promise<Story[]> {
	const { stories, errors } = await readLibrary(dir);
	if (errors.length > 0) throw new StoryLoadError(errors);
	return stories;
}

export type LoadedLibrary = Pick<StoryFilesResult, 'refused' | 'duplicates' | 'errors'> & { stories: Story[] };

/**
 * What the bot starts with: every good story in `dir`, deeply frozen, and the files refused for
 * their mistakes (to log, and so their readings are told "has a mistake" rather than "gone"), and
 * those whose id another file holds (`duplicates`, for the watcher to read again once it is free). Throws StoryLoadError, one problem a line,
 * when the folder cannot be read or has no good story at all: there is nothing to serve.
 */
export async function loadLibrary(dir: string): Promise<LoadedLibrary> {
	const library = await readLibrary(dir);
	if (library.stories.length === 0) throw new StoryLoadError(library.errors);
	return library;
}

async function readLibrary(dir: string): Promise<LoadedLibrary> {
	let files: string[];
	try {
		files = await listStoryFiles(dir);
	} catch (error) {
		throw new StoryLoadError([{ file: dir, line: 0, message: `cannot read: ${describeFsError(error, 'folder')}` }]);
	}
	if (files.length === 0) {
		throw new StoryLoadError([{ file: dir, line: 0, message: 'no stories: add a story file ending in .md (see story/README.md)' }]);
	}
	const { stories, errors, refused, duplicates } = await checkStoryFiles(files);
	return { stories: stories.map(deepFreeze), refused, duplicates, errors };
}

/** Short, author-readable reason for a failed read; never a stack trace. */
export function describeFsError(error: unknown, expected: 'file' | 'folder' = 'file'): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'ENOENT':
			return `no such ${expected}`;
		case 'EISDIR':
			return 'is a folder, not a file';
		case 'ENOTDIR':
			return 'not a folder';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		default:
			return code ?? (error instanceof Error ? error.message : String(error));
	}
}

function compareCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}
