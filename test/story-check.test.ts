import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStorySummary, runCheck } from '../src/story/check.js';
import { loadStories } from '../src/story/load.js';
import { parseStory } from '../src/story/parse.js';

const FIXTURES = 'test/fixtures/stories';
// A copy of the shipped story: what a user keeps in story/ must not change these tests.
const SAMPLE = `${FIXTURES}/sample/after-the-end.md`;
const REPO_ROOT = path.resolve(import.meta.dirname, '..');

function collector(): { write(text: string): boolean; text(): string } {
	let written = '';
	return {
		write(text: string) {
			written += text;
			return true;
		},
		text: () => written,
	};
}

async function check(files: string[], storyDir?: string): Promise<{ code: number; out: string; err: string }> {
	const out = collector();
	const err = collector();
	const code = await runCheck(files, out, err, storyDir);
	return { code, out: out.text(), err: err.text() };
}

describe('formatStorySummary', () => {
	it('shows title, author, id, scenes with their length, and reading time', async () => {
		const [first, second] = await loadStories(`${FIXTURES}/good`);
		expect(first && formatStorySummary(first)).toBe(
			[
				`${FIXTURES}/good/a-first.md: "The First Story" by Test Author`,
				'  id: first (pinned by "id:": renaming the file keeps readers\' progress)',
				'  language: en (English), no language given; reading time at 200 words a minute',
				'  2 scenes, 10 words, about 1 min read',
				'  content notes: Mild peril; a *shouted* word',
				'  scene 1 "Morning": 42 characters, 8 words, 1 message',
				'  scene 2 "Night": 9 characters, 2 words, 1 message',
				'  afterword: 1 paragraph',
			].join('\n'),
		);
		expect(second && formatStorySummary(second)).toBe(
			[
				`${FIXTURES}/good/b-second.md: "The Second Story" by Test Author`,
				'  id: b-second (from the file name: renaming the file would lose readers\' progress; add "id: b-second" to the front matter to pin it)',
				'  language: en (English), no language given; reading time at 200 words a minute',
				'  1 scene, 6 words, about 1 min read',
				'  scene 1 (untitled): 29 characters, 6 words, 1 message',
			].join('\n'),
		);
	});

	it('says a story of scenes is still being written, as it does for a chaptered one', () => {
		const parsed = parseStory('---\ntitle: Growing\nauthor: Test Author\nstatus: in-progress\n---\n\n# Scene: One\n\nThe first scene.\n', 'growing.md');
		if ('errors' in parsed) throw new Error(parsed.errors.map((error) => error.message).join('; '));
		expect(formatStorySummary(parsed.story)).toContain('  1 scene, 3 words, about 1 min read, in progress\n');
	});
});

describe('runCheck', () => {
	it('summarises a good story and exits 0', async () => {
		const { code, out, err } = await check([SAMPLE]);
		expect(err).toBe('');
		expect(code).toBe(0);
		expect(out).toContain(`${SAMPLE}: "After The End" by Serenade`);
		expect(out).toContain('  4 scenes, 1,783 words, about 9 min read');
		expect(out).toContain('  scene 2 "The van at dawn": 2,216 characters, 387 words, 1 message');
	});

	it('checks every story of the folder when given no files', async () => {
		const { code, out, err } = await check([], `${FIXTURES}/good`);
		// notes.txt is not a story: a warning, not an error.
		expect({ code, err }).toEqual({
			code: 0,
			err: `${FIXTURES}/good/notes.txt: warning: not a story: only files ending in .md are read (rename it to end in .md, or move it out of the folder)\n`,
		});
		expect(out).toMatch(/^test\/fixtures\/stories\/good\/a-first\.md: [^]*\n\ntest\/fixtures\/stories\/good\/b-second\.md: [^]*\n$/u);
	});

	it('prints every problem as file:line: reason, still summarises the good stories, and exits 1', async () => {
		const { code, out, err } = await check([`${FIXTURES}/bad/broken.md`, `${FIXTURES}/good/a-first.md`, `${FIXTURES}/nope.md`]);
		expect(code).toBe(1);
		expect(out).toMatch(/^test\/fixtures\/stories\/good\/a-first\.md: "The First Story"/u);
		expect(err.split('\n')).toEqual([
			`${FIXTURES}/bad/broken.md:1: missing "author" in the front matter`,
			`${FIXTURES}/bad/broken.md:3: unknown metadata key "colour" (known keys: id, title, author, summary, notes, end-notes, challenge, disclaimer, content-notes, feedback, source, feedback-emoji, rating, warnings, fandoms, relationships, characters, tags, language, series, status, chapters, sitting-minutes)`,
			`${FIXTURES}/bad/broken.md:6: text before the first scene (start each scene with "# Scene" or "# Scene: <title>")`,
			`${FIXTURES}/bad/broken.md:8: unknown heading "# Chapter One" (chapters, parts and scenes are numbered for you: give a title after ":") (start each scene with "# Scene" or "# Scene: <title>", or each chapter with "# Chapter" or "# Chapter: <title>", and the footer with "# Afterword"; write "\\#" for a literal "#")`,
			`${FIXTURES}/bad/broken.md:12: empty scene "# Scene: Empty" (a scene needs at least one paragraph)`,
			`${FIXTURES}/nope.md: cannot read: no such file`,
			'',
		]);
	});

	it('checks a folder named on the command line as the bot reads it (every story in it), beside files', async () => {
		const folder = await check([`${FIXTURES}/good/`]);
		expect(folder).toEqual(await check([], `${FIXTURES}/good/`));
		expect(folder.code).toBe(0);
		expect(folder.out).toContain('"The Second Story"');
		const mixed = await check([`${FIXTURES}/duplicate-id`, `${FIXTURES}/empty`, `${FIXTURES}/sample/after-the-end.md`]);
		expect(mixed.code).toBe(1);
		expect(mixed.out).toContain('"After The End"');
		expect(mixed.err).toMatch(/duplicate-id\/two\.md:2: duplicate story id "same"/u);
		expect(mixed.err).toContain(`${FIXTURES}/empty: no stories`);
	});

	it('reports a story id used twice', async () => {
		const { code, err } = await check([], `${FIXTURES}/duplicate-id`);
		expect(code).toBe(1);
		expect(err).toMatch(/^test\/fixtures\/stories\/duplicate-id\/two\.md:2: duplicate story id "same"/u);
	});

	it('exits 1 for a folder without stories, or without the folder', async () => {
		expect(await check([], `${FIXTURES}/empty`)).toEqual({
			code: 1,
			out: '',
			err: `${FIXTURES}/empty: no stories: add a story file ending in .md (see story/README.md)\n`,
		});
		expect(await check([], `${FIXTURES}/nope`)).toEqual({ code: 1, out: '', err: `${FIXTURES}/nope: cannot read: no such folder\n` });
	});
});

describe('story:check as a command', () => {
	// The command runs compiled JavaScript. Rather than depend on a `dist/` that may be missing or
	// stale when only vitest runs, compile src/ into a temporary folder (transpile only: the typecheck
	// is tsc's job; story:check uses the renderer to show messages per sitting) and run that, exactly
	// as `node dist/src/story/check.js` would, with the project's node_modules linked in.
	let buildDir = '';
	let checkScript = '';
	// A user's project folder: story/ holding one story (the sample fixture), for the default folder.
	let projectDir = '';

	beforeAll(async () => {
		buildDir = await mkdtemp(path.join(tmpdir(), 'story-check-'));
		const outDir = path.join(buildDir, 'src', 'story');
		await writeFile(path.join(buildDir, 'package.json'), '{ "type": "module" }\n');
		await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
		for (const entry of await readdir(path.join(REPO_ROOT, 'src'), { recursive: true })) {
			const name = String(entry);
			if (!name.endsWith('.ts')) continue;
			const source = await readFile(path.join(REPO_ROOT, 'src', name), 'utf8');
			const { outputText } = ts.transpileModule(source, {
				fileName: path.basename(name),
				compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
			});
			await mkdir(path.dirname(path.join(buildDir, 'src', name)), { recursive: true });
			await writeFile(path.join(buildDir, 'src', name.replace(/\.ts$/u, '.js')), outputText);
		}
		checkScript = path.join(outDir, 'check.js');
		projectDir = await mkdtemp(path.join(tmpdir(), 'story-check-project-'));
		await mkdir(path.join(projectDir, 'story'));
		await copyFile(SAMPLE, path.join(projectDir, 'story', 'my-story.md'));
	});

	afterAll(async () => {
		if (buildDir !== '') await rm(buildDir, { recursive: true, force: true });
		if (projectDir !== '') await rm(projectDir, { recursive: true, force: true });
	});

	function runCommand(args: string[], cwd = REPO_ROOT, script = checkScript, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
		return new Promise((resolve) => {
			execFile(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			});
		});
	}

	it('exits 0 with a summary for a story file', async () => {
		const { code, stdout, stderr } = await runCommand([SAMPLE]);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toContain('4 scenes');
	});

	it('also runs when started without the .js extension', async () => {
		const { code, stdout } = await runCommand([SAMPLE], REPO_ROOT, checkScript.replace(/\.js$/u, ''));
		expect(code).toBe(0);
		expect(stdout).toContain('4 scenes');
	});

	it('checks story/ when given no files', async () => {
		const { code, stdout } = await runCommand([], projectDir);
		expect(code).toBe(0);
		expect(stdout).toContain('story/my-story.md: "After The End" by Serenade');
	});

	it('checks STORY_DIR like the bot, showing each chapter\'s sittings, and warns about files that are not stories', async () => {
		const { code, stdout, stderr } = await runCommand([], REPO_ROOT, checkScript, { STORY_DIR: 'test/fixtures/real' });
		expect(code).toBe(0);
		expect(stdout).toContain('test/fixtures/real/a-scandal-in-bohemia.md: "A Scandal in Bohemia" by Arthur Conan Doyle');
		expect(stdout).toMatch(/ {2}3 chapters, 5 sittings \(cut at about 10 minutes\), 8,521 words/u);
		expect(stdout).toMatch(/ {2}chapter 1 "I": 1 scene, 2 sittings, about \d+ min read\n {4}sitting 1: [\d,]+ words, about \d+ min read, 2 messages\n/u);
		expect(stderr).toBe('test/fixtures/real/a-scandal-in-bohemia.xhtml: warning: not a story: only files ending in .md are read (rename it to end in .md, or move it out of the folder)\n');
	});

	it('exits 1 with file:line: reason and no stack trace for bad or missing files', async () => {
		const { code, stdout, stderr } = await runCommand([`${FIXTURES}/bad/latin1.md`, `${FIXTURES}/nope.md`]);
		expect(code).toBe(1);
		expect(stdout).toBe('');
		expect(stderr).toBe(
			`${FIXTURES}/bad/latin1.md:2: not UTF-8: byte 0xE9 does not form a valid character (save the file as UTF-8)\n${FIXTURES}/nope.md: cannot read: no such file\n`,
		);
	});

	it('exits 1 without a stack trace where there is no story/ folder', async () => {
		const { code, stderr } = await runCommand([], buildDir);
		expect(code).toBe(1);
		expect(stderr).toBe('story: cannot read: no such folder\n');
	});
});
