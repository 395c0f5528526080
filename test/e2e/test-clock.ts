// The bot's scheduler on a test clock (SFB_TEST_CLOCK_FILE): a test writes a time into the file and
// sends SIGUSR2, and what fell due is posted at once. Nothing waits for real time to pass.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, type BotProcess } from './harness.js';
import { startWorld, type World } from './world.js';

/** Monday 2026-05-04, 08:00 in Paris: an hour before a daily 09:00 release. */
export const MONDAY_8_PARIS = '2026-05-04T06:00:00.000Z';

/** Moves each bot's scheduler clock to `iso` and waits until each has taken it. */
export async function moveClock(file: string, iso: string, bots: BotProcess | readonly BotProcess[]): Promise<void> {
	await writeFile(file, iso);
	for (const bot of ([] as BotProcess[]).concat(bots)) {
		const moved = bot.waitForLog((line) => line.event === 'clockSet' && line.at === iso);
		bot.child.kill('SIGUSR2');
		await moved;
	}
}

/** Resolves when `bot` has armed its next release for `iso`. */
export const armedAt = (bot: BotProcess, iso: string) => bot.waitForLog((line) => line.event === 'scheduleArmed' && line.at === iso, 15_000);

/** A world (fake Discord and one bot, see world.ts) whose scheduler reads the clock file `clock`, set to `startIso`. */
export interface ClockedWorld {
	world: World;
	/** The clock file: write a time and move it with moveClock, or write one before a restart. */
	clock: string;
	close(): Promise<void>;
}

export async function startClockedWorld(startIso: string, options: { storyDir?: string } = {}): Promise<ClockedWorld> {
	const dir = await tempDir('sfb-clock-');
	const clock = join(dir.path, 'now');
	await writeFile(clock, startIso);
	let world: World;
	try {
		world = await startWorld({ ...options, env: { SFB_TEST_CLOCK_FILE: clock } });
	} catch (error) {
		await dir.remove();
		throw error;
	}
	return {
		world,
		clock,
		async close() {
			await world.close();
			await dir.remove();
		},
	};
}
