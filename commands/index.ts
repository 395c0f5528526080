import type { Command } from '../src/discord/command.js';
import catchup from './catchup.js';
import discussion from './discussion.js';
import feedback from './feedback.js';
import library from './library.js';
import next from './next.js';
import progress from './progress.js';
import read from './read.js';
import schedule from './schedule.js';

export type { Command } from '../src/discord/command.js';

/** Every slash command the bot has. Explicit, so what is deployed is what is listed here. */
export const commands: readonly Command[] = [read, next, progress, feedback, schedule, catchup, discussion, library];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((command) => [command.data.name, command]));
