import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './e2e/harness.js';

// story/ is the user's: the shipped sample today, their own stories (or a broken draft) tomorrow.
// Only test/shipped-story.test.ts may read it; every other test and the bench use test/fixtures
// (the e2e harness gives the bot test/fixtures/stories/sample unless told otherwise). This guard
// finds the ways a test names the project's story/ folder or a file in it, or leaves STORY_DIR empty
// for a process it starts. It reads source text, so a path built at run time from pieces, or a tool
// left to its default folder, gets past it; story/README.md (the format's documentation) may be read.

const ALLOWED = new Set(['test/shipped-story.test.ts', 'test/story-independence.test.ts']);

/** A path into story/ as a literal: the folder itself or a file in it other than README.md. */
const IN_STORY = String.raw`(?:\.\.?\/)*story(?:\/(?!README\.md['"\x60])[^'"\x60\s]*)?`;
/** What a path into the project is built on: PROJECT_ROOT, REPO_ROOT, root, import.meta.dirname, process.cwd(). */
const PROJECT = String.raw`(?:[\w.]*(?:ROOT|[Rr]oot|dirname)[\w.]*|process\.cwd\(\))`;
const RULES: Array<{ name: string; pattern: RegExp }> = [
	// new URL('../story/after-the-end.md', import.meta.url)
	{ name: 'a URL relative to the test file', pattern: new RegExp(String.raw`new URL\(\s*['"\x60](?:\.\.?\/)+${IN_STORY}['"\x60]`, 'u') },
	// join(PROJECT_ROOT, 'story/after-the-end.md'), resolve('story'), path.join(root, 'story', name)
	{ name: 'a path joined or resolved', pattern: new RegExp(String.raw`\b(?:join|resolve)\(\s*(?:${PROJECT}\s*,\s*)?['"\x60]${IN_STORY}['"\x60]`, 'u') },
	// `${PROJECT_ROOT}/story/after-the-end.md`
	{ name: 'a path in a template', pattern: new RegExp(String.raw`\$\{${PROJECT}\}\/${IN_STORY}\x60`, 'u') },
	// loadStories('story'), readFile('story/after-the-end.md'), check(['story/after-the-end.md']): relative to the working directory
	// (the bare folder only when handed to what reads files: `uniqueId('story')` is a label)
	{ name: 'a relative path handed to a call', pattern: /(?:\b(?:loadStories|listStoryFiles|listOtherFiles|runCheck|runImport|readdir|readdirSync|readFile|readFileSync|watch|cp|stat|access)\(\s*(['"`])(?:\.\/)?story\/?\1|[([]\s*(['"`])(?:\.\/)?story\/(?!README\.md)[\w.-]+\.md\2)\s*[,)\]]/u },
	// { STORY_DIR: '' } for a spawned bot or tool: empty means the default, the project's story/
	{ name: 'STORY_DIR set empty', pattern: /\bSTORY_DIR['"]?\s*:\s*(['"`])\1/u },
];

/** Every rule a line of source breaks: `file:line: rule: the line`. */
function storyReferences(file: string, source: string): string[] {
	return source.split('\n').flatMap((line, index) =>
		RULES.filter((rule) => rule.pattern.test(line)).map((rule) => `${file}:${index + 1}: ${rule.name}: ${line.trim()}`),
	);
}

async function sourceFiles(dir: string): Promise<string[]> {
	const entries = await readdir(join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true });
	return entries
		.filter((entry) => entry.isFile() && /\.(?:ts|mts|js|mjs)$/u.test(entry.name))
		.map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)))
		.filter((file) => !file.split('/').includes('fixtures'))
		.sort();
}

describe('no test but test/shipped-story.test.ts depends on what is in story/', () => {
	it('finds each way of naming story/ in a line of source, and leaves labels and story/README.md alone', () => {
		const flagged = [
			"readFileSync(new URL('../story/after-the-end.md', import.meta.url))",
			"const dir = new URL('../../story/', import.meta.url);",
			"const file = join(PROJECT_ROOT, 'story/after-the-end.md');",
			"const file = path.join(root, 'story', 'zzz.md');",
			"const dir = resolve('story');",
			"stories = new StoryLibrary(await loadStories(join(import.meta.dirname, '../story')));",
			'const file = `${PROJECT_ROOT}/story/after-the-end.md`;',
			"const stories = await loadStories('story');",
			"await runCommand(['story/after-the-end.md']);",
			"await readFile('./story/draft.md', 'utf8');",
			"const env = { DISCORD_TOKEN: fake.token, STORY_DIR: '' };",
		];
		const ignored = [
			"const readme = readFileSync(new URL('../story/README.md', import.meta.url), 'utf8');",
			"const story = storyOf(parseStory(text, 'story/after-the-end.md'));",
			"file: 'story/after-the-end.md',",
			"expect(await store.countVotes([guildId], 'story', 1, ['👍'])).toEqual([[1]]);",
			"fake.autocomplete({ name: 'read', focused: 'story', value: '' });",
			"expect(formatStoryError({ file: 'story/a.md', line: 3, message: 'bad' })).toBe('story/a.md:3: bad');",
			"const stories = await loadStories(`${FIXTURES}/sample`);",
			"// Rendered from story/after-the-end.md.",
			"await copyFile(SAMPLE, path.join(projectDir, 'story', 'my-story.md'));",
			"expect(choices.map((c) => c.name)).toEqual(['story', 'histoire', 'historia']);",
			"const storyDir = join(dir.path, 'stories');",
			"if ('story' in result) throw new Error('expected errors, got a story');",
			"describe('story/README.md', () => {",
			"const storyId = uniqueId('story');",
		];
		expect(flagged.filter((line) => storyReferences('t.ts', line).length === 0)).toEqual([]);
		expect(ignored.flatMap((line) => storyReferences('t.ts', line))).toEqual([]);
	});

	it('holds for every test, helper and bench file', async () => {
		const files = [...(await sourceFiles('test')), ...(await sourceFiles('bench'))].filter((file) => !ALLOWED.has(file));
		expect(files).toContain('test/e2e/harness.ts');
		const found: string[] = [];
		for (const file of files) found.push(...storyReferences(file, await readFile(join(PROJECT_ROOT, file), 'utf8')));
		expect(found, 'use a folder under test/fixtures (SAMPLE_STORY_DIR / SAMPLE_STORY_FILE in test/e2e/harness.ts for the sample)').toEqual([]);
	});
});
