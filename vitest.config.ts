import { defineConfig } from 'vitest/config';

// Three suites with different needs: unit tests run in parallel, integration tests own
// real ports and processes, end-to-end tests share one built renderer and one browser.
// Tests wait for conditions with expect.poll; its one-second default is too short for a
// loaded two-core machine.
const poll = { timeout: 15_000, interval: 20 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 40_000,
          // Building the robot's index in a hook takes seconds, more on a loaded two-core machine.
          hookTimeout: 60_000,
          expect: { poll },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 60_000,
          expect: { poll },
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          expect: { poll },
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
