import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		setupFiles: ['test/setup.ts'],
		// Generous: every wait in a test resolves on its event, so these only bound a hang. An e2e test
		// that starts the bot twice took 18 s on a 2-core machine busy with other test files (and 4 s
		// on a quiet one); 20 s failed it.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// One test file per core (vitest's default leaves one core free, which on CI's two is one file
		// at a time): most files wait on a bot process or a socket, not on their own CPU.
		maxWorkers: availableParallelism(),
	},
});
