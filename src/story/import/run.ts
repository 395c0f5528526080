import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_STORY_DIR, runCheck, type TextSink } from '../check.js';
import { describeFsError } from '../load.js';
import { isValidStoryId } from '../parse.js';
import { ImportError, importStory } from './index.js';
import { renderStory, slugify, type ImportedStory } from './model.js';

export const IMPORT_USAGE = 'usage: npm run story:import -- <file> [--out story/<id>.md | --out <folder>] [--split] [--force]';

interface Arguments {
	file: string;
	out?: string;
	split: boolean;
	force: boolean;
}

function parseArguments(args: readonly string[]): Arguments | string {
	let file: string | undefined;
	let out: string | undefined;
	let split = false;
	let force = false;
	for (let index = 0; index < args.length; index++) {
		const arg = args[index]!;
		if (arg === '--out') {
			out = args[++index];
			if (out === undefined || out === '') return '--out needs a file or folder';
		} else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
		else if (arg === '--split') split = true;
		else if (arg === '--force') force = true;
		else if (arg.startsWith('--')) return `unknown option ${arg}`;
		else if (file === undefined) file = arg;
		else return `one file at a time (got "${file}" and "${arg}")`;
	}
	if (file === undefined) return 'which file? give the EPUB, HTML or text file to import';
	return { file, split, force, ...(out === undefined ? {} : { out }) };
}

async function isDirectory(target: string): Promise<boolean> {
	try {
		return (await stat(target)).isDirectory();
	} catch {
		return false;
	}
}

/** Where each story goes: `--out x.md` for one story, `--out folder/` (or the story folder by default) for `<id>.md` in it. */
async function targetsFor(stories: readonly ImportedStory[], out: string | undefined, storyDir: string): Promise<string[] | string> {
	const intoFolder = out === undefined || /[\\/]$/u.test(out) || (await isDirectory(out)) || !out.endsWith('.md');
	if (!intoFolder) {
		if (stories.length > 1) return `--out ${out} is one file, but the import made ${stories.length} stories: give a folder`;
		return [out!];
	}
	const folder = out ?? storyDir;
	const used = new Set<string>();
	return stories.map((story) => {
		const base = slugify(String(story.meta.title ?? 'story'));
		let id = base;
		for (let n = 2; used.has(id); n++) id = `${base.slice(0, 46)}-${n}`;
		used.add(id);
		return path.join(folder, `${id}.md`);
	});
}

/**
 * `npm run story:import -- <file> [--out …] [--split] [--force]`: imports the file, writes the story
 * file(s), then checks them as `story:check` does and prints the summary, what was left out and what
 * the author should look at. Resolves to the exit code: 0 when every written story passes the check,
 * 1 otherwise (bad arguments, an unreadable file, a file that exists, a story that fails the check).
 * A file it cannot read gets one line on `err`, never a stack trace. Without `--out`, stories go to
 * `storyDir` (the bot's STORY_DIR, or `story/`).
 */
export async function runImport(args: readonly string[], out: TextSink, err: TextSink, storyDir = DEFAULT_STORY_DIR): Promise<number> {
	const parsed = parseArguments(args);
	if (typeof parsed === 'string') {
		err.write(`${parsed}\n${IMPORT_USAGE}\n`);
		return 1;
	}
	let bytes: Uint8Array;
	try {
		if (await isDirectory(parsed.file)) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
		bytes = await readFile(parsed.file);
	} catch (error) {
		err.write(`${parsed.file}: cannot read: ${describeFsError(error)}\n`);
		return 1;
	}
	let result;
	try {
		result = await importStory(bytes, path.basename(parsed.file), { split: parsed.split });
	} catch (error) {
		if (error instanceof ImportError) {
			err.write(`${parsed.file}: ${error.message}\n`);
			return 1;
		}
		err.write(`${parsed.file}: could not be imported (${error instanceof Error ? error.message : String(error)}): export the story as EPUB, HTML or plain text and try again\n`);
		return 1;
	}
	if (result.stories.length === 0) {
		err.write(`${parsed.file}: ${result.kind} with no story text in it: nothing to import\n`);
		return 1;
	}
	const targets = await targetsFor(result.stories, parsed.out, storyDir);
	if (typeof targets === 'string') {
		err.write(`${targets}\n`);
		return 1;
	}
	if (!parsed.force) {
		const existing = [];
		for (const target of targets) if (await stat(target).then(() => true, () => false)) existing.push(target);
		if (existing.length > 0) {
			err.write(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: pass --force to replace, or --out another file or folder\n`);
			return 1;
		}
	}
	for (const [index, story] of result.stories.entries()) {
		const target = targets[index]!;
		const id = path.basename(target).replace(/\.md$/u, '');
		// A file name that is not a story id needs an `id:` line, or the story would not load.
		const meta = isValidStoryId(id) ? story.meta : { id: slugify(String(story.meta.title ?? id)), ...story.meta };
		await mkdir(path.dirname(target), { recursive: true });
		await writeFile(target, renderStory({ ...story, meta }), 'utf8');
	}
	out.write(`Imported ${parsed.file} (${result.kind}): ${targets.length === 1 ? targets[0] : `${targets.length} stories in ${path.dirname(targets[0]!)}`}\n\n`);
	const code = await runCheck(targets, out, err);
	// A file with a mistake in the bot's own folder: the running bot and its next start both leave it out.
	const live = targets.filter((target) => path.resolve(path.dirname(target)) === path.resolve(storyDir));
	if (code !== 0 && live.length > 0) {
		err.write(`\nFix the problems above: ${storyDir} is the bot's story folder, and the bot leaves a story file with a mistake out until it is fixed (or import into another folder with --out drafts/ until it is ready).\n`);
	}
	if (result.leftOut.length > 0) out.write(`\nLeft out:\n${result.leftOut.map((line) => `  - ${line}\n`).join('')}`);
	if (result.notes.length > 0) out.write(`\nTo look at:\n${result.notes.map((line) => `  - ${line}\n`).join('')}`);
	return code;
}
