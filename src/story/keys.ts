// Stable keys of chapters, scenes and parts: what a reading's position and its votes refer to, so
// that inserting, retitling or re-splitting a chapter never moves them. Pure: no I/O.
import type { Chapter, Scene } from './types.js';

/** What an author may write as a chapter's or scene's id (`# Chapter: The Red Circle {#red-circle}`). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/u;
export const MAX_ID_LENGTH = 64;

/**
 * A marker's `{#id}` at its end (`Chapter: The Red Circle {#red-circle}`): the marker's text without
 * it, the id, or why the id cannot be one (then no id).
 */
export function takeMarkerId(text: string): { text: string; id?: string; problem?: string } {
	const match = /\s*\{#([^{}]*)\}\s*$/u.exec(text);
	if (!match) return { text };
	const id = match[1]!;
	const rest = text.slice(0, match.index);
	if (!ID_PATTERN.test(id) || id.length > MAX_ID_LENGTH) {
		return { text: rest, problem: `id "{#${id}}" must be lower-case letters a-z, digits and "-", starting with a letter or digit, at most ${MAX_ID_LENGTH} characters (like {#red-circle})` };
	}
	return { text: rest, id };
}

/** FNV-1a, 32 bits, as 7 base-36 digits: a short fingerprint of a text (not a security hash). */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (const char of text) {
		hash ^= char.codePointAt(0)!;
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36).padStart(7, '0');
}

/** Lower case, letters and digits of any script kept, every other run of characters one '-'. */
function slug(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/gu, '')
		.slice(0, MAX_ID_LENGTH);
}

/**
 * The key of each chapter (or scene), in order. An explicit id (`{#id}` at the marker) is the key
 * as written. Without one, a key that survives inserting or removing chapters before it: `~` and the
 * title's slug, or for an untitled one `~` and a fingerprint of its first paragraph (whitespace-
 * normalised), with `~2`, `~3`… on a repeat. `~` never appears in an explicit id, so the two never
 * collide. Retitling (or, untitled, editing the first paragraph) changes an automatic key: a reading
 * there then falls back to its part number (logged); an explicit id never changes.
 */
export function blockKeys(blocks: readonly (Pick<Chapter, 'title' | 'id'> & { firstParagraph: string | undefined })[]): string[] {
	const seen = new Map<string, number>();
	return blocks.map((block) => {
		if (block.id !== undefined) return block.id;
		const title = block.title === undefined ? '' : slug(block.title);
		const base = title !== '' ? `~${title}` : `~text-${fingerprint((block.firstParagraph ?? '').replace(/\s+/gu, ' ').trim())}`;
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base}~${count}`;
	});
}

export function chapterKeys(chapters: readonly Chapter[]): string[] {
	return blockKeys(chapters.map((chapter) => ({ title: chapter.title, id: chapter.id, firstParagraph: chapter.scenes[0]?.paragraphs[0] })));
}

export function sceneKeys(scenes: readonly Scene[]): string[] {
	return blockKeys(scenes.map((scene) => ({ title: scene.title, id: scene.id, firstParagraph: scene.paragraphs[0] })));
}

/** A sitting's key: its chapter's key, '/', and its 1-based index among the chapter's sittings. */
export function sittingKey(chapterKey: string, index: number): string {
	return `${chapterKey}/${index}`;
}

/**
 * The 1-based number, among `current` (every part's key, in reading order), of the part `key` names;
 * 0 when it is gone. A sitting whose chapter is still there but was split into fewer sittings is
 * taken to be the chapter's last one.
 */
export function partNumberOf(key: string, current: readonly string[]): number {
	const exact = current.indexOf(key);
	if (exact >= 0) return exact + 1;
	const slash = key.lastIndexOf('/');
	if (slash < 0) return 0;
	const chapter = key.slice(0, slash + 1);
	let last = 0;
	current.forEach((candidate, index) => {
		if (candidate.startsWith(chapter)) last = index + 1;
	});
	return last;
}
