import { runImport } from './run.js';

// `npm run story:import -- <file> …` (see story/README.md).
process.exitCode = await runImport(process.argv.slice(2), process.stdout, process.stderr);
