// `npm run preview [story.md]`: one self-contained HTML page showing a whole reading as Discord
// shows it, drawn from what the fake Discord recorded while the real bot served the reading, and a
// one-screen summary per step (messages, characters, reading minutes, REST calls).
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../test/e2e/harness.js';
import { DEFAULT_STORY } from './demo.js';
import { renderPage, summarize, type StepSummary } from './html.js';
import { playReading, StoryFileError } from './reading.js';

/** Where the page goes: preview/<story file name>.html in the project (git-ignored). */
export function previewPath(storyFile: string, outDir = join(PROJECT_ROOT, 'preview')): string {
	return join(outDir, `${basename(storyFile).replace(/\.[^.]*$/, '')}.html`);
}

/** Plays the reading, writes the page; resolves with its path and the per-step summary. */
export async function writePreview(storyFile: string, outDir?: string): Promise<{ path: string; summary: StepSummary[] }> {
	const reading = await playReading(storyFile);
	const path = previewPath(storyFile, outDir);
	await mkdir(resolve(path, '..'), { recursive: true });
	await writeFile(path, renderPage(reading));
	return { path, summary: summarize(reading) };
}

/** The summary as a fixed-width table, one line a step. */
export function formatSummary(summary: StepSummary[]): string {
	const rows = summary.map((step) => [step.action.length > 48 ? `${step.action.slice(0, 47)}…` : step.action, String(step.messages), step.characters.toLocaleString('en-US'), step.minutes.toFixed(1), String(step.restCalls)]);
	const total = ['Total', ...[0, 1, 2, 3].map((column) => {
		const values = summary.map((step) => [step.messages, step.characters, step.minutes, step.restCalls][column] ?? 0);
		const sum = values.reduce((a, b) => a + b, 0);
		return column === 2 ? sum.toFixed(1) : sum.toLocaleString('en-US');
	})];
	const table = [['Step', 'messages', 'characters', 'minutes', 'REST calls'], ...rows, total];
	const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
	return table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const storyFile = resolve(process.argv[2] ?? DEFAULT_STORY);
	writePreview(storyFile).then(
		({ path, summary }) => {
			process.stdout.write(`${formatSummary(summary)}\n\nPreview written to ${relative(process.cwd(), path) || path}\n`);
			process.exit(0);
		},
		(error: unknown) => {
			process.stderr.write(`preview: ${error instanceof StoryFileError || error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		},
	);
}
