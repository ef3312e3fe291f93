import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          // One process per file: test/support/stack.ts writes per-file settings (table name,
          // operator key) into process.env, so files must not share a process.
          pool: 'forks',
          isolate: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // Stacks are synthesized (and functions bundled) in beforeAll: well past the 10 s
          // default on a 2-core machine that is running the other projects at the same time.
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // The same local stack as integration (DynamoDB Local, SES local, the gateway), plus
          // Debian's Chromium driven by playwright-core: see test/browser/support.ts.
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          isolate: true,
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
