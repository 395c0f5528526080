import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		setupFiles: ['test/setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		// One test file per core (vitest's default leaves one core free, which on CI's two is one file
		// at a time): most files wait on a bot process or a socket, not on their own CPU.
		maxWorkers: availableParallelism(),
	},
});
