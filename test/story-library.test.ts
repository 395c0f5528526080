import { cp, open, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefaultStoryError, PART_CACHE_SIZE, StoryLibrary } from '../src/context.js';
import { renderPart } from '../src/render/index.js';
import { loadStories } from '../src/story/load.js';
import { foldForSearch, matchesTyped } from '../src/story/search.js';
import type { Story } from '../src/story/types.js';
import { reloadFile, watchStoryDir, type Reload } from '../src/story/watch.js';
import { tempDir } from './e2e/harness.js';

const LIBRARY = 'test/fixtures/library';

describe('StoryLibrary: which story /read starts', () => {
	it('with one story, that one; with several, none unless DEFAULT_STORY names one', async () => {
		const stories = await loadStories(LIBRARY);
		expect(new StoryLibrary(stories.slice(0, 1)).preferred?.id).toBe('lantern');
		expect(new StoryLibrary(stories).preferred).toBeUndefined();
		expect(new StoryLibrary(stories, { defaultId: 'orchard' }).preferred?.id).toBe('orchard');
	});

	it('refuses a DEFAULT_STORY no story has, in one line naming the ids there are', async () => {
		const stories = await loadStories(LIBRARY);
		expect(() => new StoryLibrary(stories, { defaultId: 'lanterns' })).toThrow(DefaultStoryError);
		expect(() => new StoryLibrary(stories, { defaultId: 'lanterns' })).toThrow(
			'DEFAULT_STORY is "lanterns", but no story has that id. Stories loaded: lantern, orchard, tide-tables. Set DEFAULT_STORY to one of them, or leave it empty.',
		);
	});
});

describe('StoryLibrary.search (autocomplete)', () => {
	it('finds a story by the start of any word of its title, author or id, case and accents aside', async () => {
		const library = new StoryLibrary(await loadStories(LIBRARY));
		const ids = (typed: string) => library.search(typed).map((story) => story.id);
		expect(ids('okafor')).toEqual(['orchard']);
		expect(ids('HELOISE')).toEqual(['lantern']);
		expect(ids('héloïse marchetti')).toEqual(['lantern']);
		expect(ids('tide')).toEqual(['tide-tables']);
		expect(ids('tide-tab')).toEqual(['tide-tables']);
		expect(ids('letters orch')).toEqual(['orchard']);
		expect(ids('the')).toEqual(['lantern', 'orchard']);
		expect(ids('arch')).toEqual([]);
		expect(ids('  ')).toEqual(['lantern', 'orchard', 'tide-tables']);
	});

	it('folds accents and case the same way whatever the input', () => {
		expect(foldForSearch('Bohème ÉLAN')).toBe('boheme elan');
		expect(matchesTyped({ id: 'x', meta: { title: 'Crème brûlée', author: 'Zoë' } as Story['meta'] }, 'brulee zoe')).toBe(true);
	});
});

describe('StoryLibrary: parts rendered on first use', () => {
	it('renders nothing at load, each part on its first use, and keeps at most PART_CACHE_SIZE', async () => {
		const stories = await loadStories(LIBRARY);
		const library = new StoryLibrary(stories);
		expect(library.renderedParts).toBe(0);
		const orchard = library.get('orchard')!;
		expect(library.partMessages(orchard, 2)).toEqual(renderPart(orchard, 2));
		expect(library.partMessages(orchard, 2)).toBe(library.partMessages(orchard, 2));
		expect(library.renderedParts).toBe(1);
		// Asking for a part renders nothing else, not even after this turn of the event loop (a
		// render there could run before a /next's reply had left); the next part is rendered only when asked to.
		await new Promise((resolve) => setImmediate(resolve));
		expect(library.renderedParts).toBe(1);
		library.renderAhead(orchard, 3);
		library.renderAhead(orchard, 4);
		expect(library.renderedParts).toBe(2);
		expect(library.partMessages(orchard, 3)).toEqual(renderPart(orchard, 3));
		expect(library.renderedParts).toBe(2);
		expect(() => library.partMessages(orchard, 4)).toThrow(RangeError);
		expect(() => library.partMessages(orchard, 0)).toThrow(RangeError);
		const languages = ['en', 'fr', 'es'];
		for (let round = 0; library.renderedParts < PART_CACHE_SIZE && round < PART_CACHE_SIZE; round++) {
			// Distinct keys: every part of every story in every language, then copies under other story objects.
			const copy = { ...orchard, id: `copy-${round}`, file: `x/copy-${round}.md` } as Story;
			library.put(copy);
			for (const language of languages) library.partMessages(copy, 1, language);
		}
		expect(library.renderedParts).toBe(PART_CACHE_SIZE);
		library.partMessages(orchard, 3);
		expect(library.renderedParts).toBe(PART_CACHE_SIZE);
	});
});

describe('hot reload of one story file', () => {
	let dir: { path: string; remove(): Promise<void> };
	let library: StoryLibrary;
	beforeEach(async () => {
		dir = await tempDir('sfb-library-');
		await cp(LIBRARY, dir.path, { recursive: true });
		library = new StoryLibrary(await loadStories(dir.path));
	});
	afterEach(async () => {
		await dir.remove();
	});

	it('swaps in a good edit; a caller holding the old version keeps it', async () => {
		const file = join(dir.path, 'orchard.md');
		const before = library.get('orchard')!;
		library.partMessages(before, 1);
		await writeFile(file, (await readFile(file, 'utf8')).replace('apple blossom', 'pear blossom'));
		const reload = await reloadFile(file, library);
		expect(reload).toMatchObject({ event: 'storyReloaded', storyId: 'orchard', added: false });
		const after = library.get('orchard')!;
		expect(JSON.stringify(library.partMessages(after, 1))).toContain('pear blossom');
		expect(JSON.stringify(library.partMessages(before, 1))).toContain('apple blossom');
		expect(library.all.map((story) => story.id)).toEqual(['lantern', 'orchard', 'tide-tables']);
	});

	it('keeps the previous version of a broken edit and says file:line: reason', async () => {
		const file = join(dir.path, 'orchard.md');
		await writeFile(file, (await readFile(file, 'utf8')).replace('# Scene: Summer', '# Sceen: Summer'));
		const reload = await reloadFile(file, library);
		expect(reload.event).toBe('storyReloadFailed');
		expect((reload as Extract<Reload, { event: 'storyReloadFailed' }>).problems[0]).toMatch(new RegExp(`^${file}:10: unknown heading "# Sceen: Summer"`));
		expect(JSON.stringify(library.partMessages(library.get('orchard')!, 2))).toContain('cut grass');
	});

	it('removes a deleted file\'s story, adds a new file\'s, and refuses an id another file holds', async () => {
		await unlink(join(dir.path, 'lantern.md'));
		expect(await reloadFile(join(dir.path, 'lantern.md'), library)).toMatchObject({ event: 'storyRemoved', storyId: 'lantern' });
		expect(library.get('lantern')).toBeUndefined();
		await writeFile(join(dir.path, 'new.md'), '---\ntitle: New\nauthor: Someone\n---\n\n# Scene\n\nHello.\n');
		expect(await reloadFile(join(dir.path, 'new.md'), library)).toMatchObject({ event: 'storyReloaded', storyId: 'new', added: true });
		await writeFile(join(dir.path, 'clash.md'), '---\nid: orchard\ntitle: Clash\nauthor: Someone\n---\n\n# Scene\n\nHello.\n');
		const clash = await reloadFile(join(dir.path, 'clash.md'), library);
		// The problem points at the `id:` line (2), and no earlier version of the new file is kept.
		expect(clash).toMatchObject({ event: 'storyReloadFailed', storyId: undefined, problems: [expect.stringContaining(`clash.md:2: duplicate story id "orchard"`)] });
		expect(library.get('orchard')!.meta.title).toBe('Letters from the Orchard');
	});

	it('keeps a pinned id through a rename of its file', async () => {
		await rm(join(dir.path, 'tide-tables.md'));
		await writeFile(join(dir.path, 'tides.md'), await readFile(join(LIBRARY, 'tide-tables.md')));
		// The new name's event may come before the old name's.
		expect(await reloadFile(join(dir.path, 'tides.md'), library)).toMatchObject({ event: 'storyReloaded', storyId: 'tide-tables' });
		expect(library.get('tide-tables')!.file).toBe(join(dir.path, 'tides.md'));
		expect(library.all).toHaveLength(3);
	});

	/** A watcher on the folder, and a wait for its next report other than storyStillChanging (which `reloads` keeps too). */
	function watchFolder(options: { emptyGraceMs?: number } = {}) {
		const reloads: Reload[] = [];
		const waiters: Array<{ match: (reload: Reload) => boolean; resolve: (reload: Reload) => void }> = [];
		const watcher = watchStoryDir(dir.path, library, {
			debounceMs: 20,
			...options,
			onReload: (reload) => {
				reloads.push(reload);
				for (const waiter of waiters.splice(0)) {
					if (waiter.match(reload)) waiter.resolve(reload);
					else waiters.push(waiter);
				}
			},
		});
		const next = (match: (reload: Reload) => boolean) => new Promise<Reload>((resolve) => waiters.push({ match, resolve }));
		return { watcher, reloads, next, settled: () => next((reload) => reload.event !== 'storyStillChanging') };
	}

	it('the watcher loads a file refused for a duplicate id once the file holding the id is deleted ("Save as", then delete the old one)', async () => {
		const { watcher, reloads, next } = watchFolder();
		try {
			const old = join(dir.path, 'tide-tables.md');
			const copy = join(dir.path, 'tides.md');
			// The copy is saved while the old file still holds `id: tide-tables`: refused, rightly.
			const refused = next((reload) => reload.event === 'storyReloadFailed' && reload.file === copy);
			await writeFile(copy, await readFile(old));
			await refused;
			// Then the author deletes the old file: the story now lives in the copy.
			const loaded = next((reload) => reload.event === 'storyReloaded' && reload.file === copy);
			await rm(old);
			await loaded;
			expect(reloads.filter((reload) => reload.event !== 'storyStillChanging').map((reload) => [reload.event, reload.file])).toEqual([
				['storyReloadFailed', copy],
				['storyRemoved', old],
				['storyReloaded', copy],
			]);
			expect(library.get('tide-tables')?.file).toBe(copy);
		} finally {
			watcher.close();
		}
	});

	it('the watcher says it stopped when the story folder is removed (Linux tells no error, and a folder put back is not watched)', async () => {
		let stopped: (error: Error) => void = () => undefined;
		const told = new Promise<Error>((resolve) => (stopped = resolve));
		const watcher = watchStoryDir(dir.path, library, { debounceMs: 20, onReload: () => undefined, onError: (error) => stopped(error) });
		try {
			await rm(dir.path, { recursive: true, force: true });
			expect((await told).message).toBe(`${dir.path} was removed or replaced`);
		} finally {
			watcher.close();
		}
	});

	it('the watcher reads only the story file that changed', async () => {
		const { watcher, reloads, settled } = watchFolder();
		try {
			const file = join(dir.path, 'lantern.md');
			const text = await readFile(file, 'utf8');
			const reloaded = settled();
			await writeFile(join(dir.path, 'notes.txt'), 'not a story');
			await writeFile(file, text.replace('harbour wall', 'breakwater'));
			await reloaded;
			expect(reloads.filter((reload) => reload.event !== 'storyStillChanging')).toEqual([expect.objectContaining({ event: 'storyReloaded', file, storyId: 'lantern' })]);
			expect(JSON.stringify(library.partMessages(library.get('lantern')!, 1))).toContain('breakwater');
		} finally {
			watcher.close();
		}
	});

	it('a file saved in place (truncated, then written) is read once written, however long the writer pauses between the two', async () => {
		const { watcher, reloads, next, settled } = watchFolder({ emptyGraceMs: 60_000 });
		try {
			const file = join(dir.path, 'lantern.md');
			const text = await readFile(file, 'utf8');
			// What fs.writeFile and editors do; the writer held up here (a busy machine) past the debounce.
			const emptied = next((reload) => reload.file === file);
			const handle = await open(file, 'w');
			// Read while empty: not an edit to report (it was reported as a failed one, "empty file").
			expect(await emptied).toEqual({ event: 'storyStillChanging', file });
			const reloaded = settled();
			await handle.writeFile(text.replace('harbour wall', 'breakwater'));
			await handle.close();
			expect(await reloaded).toMatchObject({ event: 'storyReloaded', file, storyId: 'lantern' });
			expect(reloads.filter((reload) => reload.event === 'storyReloadFailed')).toEqual([]);
			expect(JSON.stringify(library.partMessages(library.get('lantern')!, 1))).toContain('breakwater');
		} finally {
			watcher.close();
		}
	});

	it('a file left empty is refused as empty once the grace has passed, and the previous version is kept', async () => {
		const { watcher, settled } = watchFolder({ emptyGraceMs: 50 });
		try {
			const file = join(dir.path, 'lantern.md');
			const refused = settled();
			await writeFile(file, '');
			expect(await refused).toMatchObject({ event: 'storyReloadFailed', file, storyId: 'lantern', problems: [expect.stringContaining('empty file')] });
			expect(library.get('lantern')!.file).toBe(file);
		} finally {
			watcher.close();
		}
	});
});
