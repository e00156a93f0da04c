import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// Only a networked PostgreSQL can stall with its connections open, and only it admits several processes
// (the embedded PGlite has no network and one process per data directory). Those files therefore run in
// the PostgreSQL pass (DATABASE_URL set) and are left out of the embedded pass; .ci/run runs both passes,
// so every file runs in CI.
const NEEDS_POSTGRES = [
  'tests/integration/postgres-stall.test.ts',
  'tests/integration/calendar-scheduler-processes.test.ts',
];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : NEEDS_POSTGRES)],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core machine, which leaves a core idle while a test
    // waits on PostgreSQL, Redis or a browser: two files at a time took a pass from 390 s to 255 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database and queue prefix, so files can run in parallel safely.
    fileParallelism: true,
  },
});
