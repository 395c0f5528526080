import { readStoryDir } from '../../env.js';
import { DEFAULT_STORY_DIR } from '../check.js';
import { runImport } from './run.js';

// `npm run story:import -- <file> …` (see story/README.md); without --out, stories go where the bot reads them.
process.exitCode = await runImport(process.argv.slice(2), process.stdout, process.stderr, readStoryDir() ?? DEFAULT_STORY_DIR);
