import { readdirSync } from 'node:fs';
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

// CI runs the suite twice, on PostgreSQL and on the embedded defaults (.ci/run sets HELIX_TEST_PASS). A file
// whose outcome cannot depend on the database (it opens none: pure unit tests, the WeCom client against the
// emulator, the LLM client, the compliance CLI) runs once, in the PostgreSQL pass; a file that always runs
// the embedded defaults whatever the environment (npm start on a fresh machine) runs once, in the embedded
// pass. Without HELIX_TEST_PASS (a developer's `npm test`) every file runs.
const OPENS_A_DATABASE = new Set(['config-and-registry', 'lint-rules', 'welcome-component']);
const DATABASE_FREE = [
  ...readdirSync('tests/unit')
    .filter((f) => f.endsWith('.test.ts') && !OPENS_A_DATABASE.has(f.replace(/\.test\.ts$/, '')))
    .map((f) => `tests/unit/${f}`),
  'tests/integration/compliance-cli.test.ts',
  'tests/integration/llm-client.test.ts',
  'tests/integration/wecom-circuit-breaker.test.ts',
  'tests/integration/wecom-client-emulator.test.ts',
  'tests/integration/wecom-client-redis.test.ts',
  'tests/integration/wecom-emulator-mass.test.ts',
];
const EMBEDDED_ONLY = ['tests/smoke/npm-start-pglite.test.ts'];
const PASS_EXCLUDES: Record<string, string[]> = { embedded: DATABASE_FREE, postgres: EMBEDDED_ONLY };

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.DATABASE_URL ? [] : NEEDS_POSTGRES),
      ...(PASS_EXCLUDES[process.env.HELIX_TEST_PASS ?? ''] ?? []),
    ],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core machine, which leaves a core idle while a test
    // waits on PostgreSQL, Redis or a browser: two files at a time took a pass from 390 s to 255 s there.
    // The PostgreSQL pass waits on the database server, a process of its own, often enough to leave a fifth
    // of two cores idle with two workers: it runs one more.
    maxWorkers:
      Math.max(2, availableParallelism() - 1) + (process.env.HELIX_TEST_PASS === 'postgres' ? 1 : 0),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database and queue prefix, so files can run in parallel safely.
    fileParallelism: true,
  },
});
