import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoryLibrary } from '../src/context.js';
import { renderScene } from '../src/render/index.js';
import { listStoryFiles, loadLibrary, loadStories, StoryLoadError } from '../src/story/load.js';
import { formatStoryError } from '../src/story/parse.js';

const FIXTURES = 'test/fixtures/stories';

async function loadErrors(dir: string): Promise<StoryLoadError> {
	const error: unknown = await loadStories(dir).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	if (!(error instanceof StoryLoadError)) throw new Error(`expected a StoryLoadError, got ${String(error)}`);
	return error;
}

describe('listStoryFiles', () => {
	it('lists *.md files but README.md, sorted by name', async () => {
		expect(await listStoryFiles(`${FIXTURES}/good`)).toEqual([`${FIXTURES}/good/a-first.md`, `${FIXTURES}/good/b-second.md`]);
	});
});

describe('listStoryFiles', () => {
	it('lists a symbolic link to a story file like the file itself (a story kept elsewhere, linked into the folder), not one to a folder', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'sfb-links-'));
		try {
			await mkdir(join(dir, 'stories'));
			await mkdir(join(dir, 'drafts.md'));
			await symlink(resolve(FIXTURES, 'sample/after-the-end.md'), join(dir, 'stories', 'linked.md'));
			await symlink(join(dir, 'drafts.md'), join(dir, 'stories', 'folder.md'));
			expect(await listStoryFiles(join(dir, 'stories'))).toEqual([join(dir, 'stories', 'linked.md')]);
			expect((await loadStories(join(dir, 'stories'))).map((story) => story.meta.title)).toEqual(['After The End']);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe('loadStories', () => {
	it('loads every story of a folder in file-name order', async () => {
		const stories = await loadStories(`${FIXTURES}/good`);
		expect(stories.map((story) => [story.id, story.file])).toEqual([
			['first', `${FIXTURES}/good/a-first.md`],
			['b-second', `${FIXTURES}/good/b-second.md`],
		]);
		expect(stories[0]?.scenes.map((scene) => scene.paragraphs)).toEqual([['One two three four five.', 'Six seven\neight.'], ['Nine ten.']]);
	});

	it('loads the sample story (a copy of the one the bot ships with)', async () => {
		const stories = await loadStories(`${FIXTURES}/sample`);
		expect(stories.map((story) => story.id)).toContain('after-the-end');
	});

	it('freezes stories all the way down', async () => {
		const [story] = await loadStories(`${FIXTURES}/good`);
		expect(story).toBeDefined();
		expect(Object.isFrozen(story)).toBe(true);
		expect(Object.isFrozen(story?.meta.feedbackEmoji)).toBe(true);
		expect(Object.isFrozen(story?.scenes[0]?.paragraphs)).toBe(true);
		expect(() => story?.scenes[0]?.paragraphs.push('more')).toThrow(TypeError);
	});

	it('reports every problem of every bad file, one per line in the message', async () => {
		const error = await loadErrors(`${FIXTURES}/bad`);
		const formatted = error.errors.map(formatStoryError);
		expect(formatted.map((line) => line.split(': ')[0])).toEqual([
			`${FIXTURES}/bad/broken.md:1`,
			`${FIXTURES}/bad/broken.md:3`,
			`${FIXTURES}/bad/broken.md:6`,
			`${FIXTURES}/bad/broken.md:8`,
			`${FIXTURES}/bad/broken.md:12`,
			`${FIXTURES}/bad/latin1.md:2`,
		]);
		expect(error.message).toBe(formatted.join('\n'));
		expect(error.name).toBe('StoryLoadError');
	});

	it('refuses two stories with the same id', async () => {
		const error = await loadErrors(`${FIXTURES}/duplicate-id`);
		expect(error.message).toBe(
			`${FIXTURES}/duplicate-id/two.md:2: duplicate story id "same" (also used by ${FIXTURES}/duplicate-id/one.md; give one of them a different "id:")`,
		);
	});

	it('refuses a folder without stories, or no folder', async () => {
		expect((await loadErrors(`${FIXTURES}/empty`)).message).toBe(
			`${FIXTURES}/empty: no stories: add a story file ending in .md (see story/README.md)`,
		);
		expect((await loadErrors(`${FIXTURES}/nope`)).message).toBe(`${FIXTURES}/nope: cannot read: no such folder`);
	});
});

describe('StoryLibrary', () => {
	it('holds every scene of every story rendered, and refuses a scene the story does not have', async () => {
		const stories = await loadStories(`${FIXTURES}/sample`);
		const library = new StoryLibrary(stories);
		for (const story of stories) {
			story.scenes.forEach((_, index) => expect(library.sceneMessages(story, index + 1)).toEqual(renderScene(story, index + 1)));
			expect(() => library.sceneMessages(story, 0)).toThrow(RangeError);
			expect(() => library.sceneMessages(story, story.scenes.length + 1)).toThrow(RangeError);
		}
	});
});

describe('loadLibrary (what the bot starts with)', () => {
	it('serves the good stories and names each refused file with the id its readings are stored under', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'sfb-refused-'));
		try {
			const good = '---\ntitle: Good\nauthor: A\n---\n\n# Scene\n\nText.\n';
			await writeFile(join(dir, 'good.md'), good);
			// Front matter read: its `id:` is the reading's id, whatever the file is called.
			await writeFile(join(dir, 'draft.md'), '---\nid: pinned\ntitle: Draft\nauthor: A\n---\n\n# Sceen\n\nText.\n');
			// No front matter to read: the file name is the id, as for any story without `id:`.
			await writeFile(join(dir, 'no-front.md'), '# Scene\n\nText.\n');
			const library = await loadLibrary(dir);
			expect(library.stories.map((story) => story.id)).toEqual(['good']);
			expect(library.refused.map(({ file, id }) => [file, id])).toEqual([
				[join(dir, 'draft.md'), 'pinned'],
				[join(dir, 'no-front.md'), 'no-front'],
			]);
			expect(library.errors.map(formatStoryError)).toContainEqual(expect.stringMatching(new RegExp(`^${join(dir, 'draft.md')}:7: unknown heading "# Sceen"`)));
			// loadStories, for tools that want the whole folder, still refuses it.
			await expect(loadStories(dir)).rejects.toBeInstanceOf(StoryLoadError);

			// Readings of a refused id are told so until its file loads or goes.
			const stories = new StoryLibrary(library.stories, { refused: library.refused, defaultId: 'pinned' });
			expect(stories.refusedFile('pinned')).toBe(join(dir, 'draft.md'));
			expect(stories.refusedFile('good')).toBeUndefined();
			stories.put({ ...library.stories[0]!, id: 'pinned', file: join(dir, 'draft.md') });
			expect(stories.refusedFile('pinned')).toBeUndefined();
			stories.removeFile(join(dir, 'no-front.md'));
			expect(stories.refusedFile('no-front')).toBeUndefined();
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('refuses a folder without a good story, with every problem one per line', async () => {
		const error: unknown = await loadLibrary(`${FIXTURES}/bad`).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(StoryLoadError);
		expect((error as StoryLoadError).message.split('\n').every((line) => /\.md:\d+: /.test(line))).toBe(true);
		await expect(loadLibrary(`${FIXTURES}/empty`)).rejects.toThrow(/no stories/);
	});
});
