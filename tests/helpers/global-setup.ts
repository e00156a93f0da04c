import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { TestProject } from 'vitest/node';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Without DATABASE_URL: a dump of a migrated, empty PGlite that each file's database starts from. */
    pgliteSeedFile: string | undefined;
  }
}

let local: LocalRedisServer | undefined;
let seedDir: string | undefined;

/**
 * initdb and the migrations cost each in-memory PGlite about two seconds of CPU; a file of the embedded pass
 * opens one or more. They run once here, and every database starts from the dump (PGLITE_SEED_FILE).
 */
async function makePgliteSeed(): Promise<string> {
  const pglite = new PGlite();
  try {
    await migrate(drizzle(pglite), { migrationsFolder: 'src/platform/db/migrations' });
    const dump = await pglite.dumpDataDir('none');
    seedDir = mkdtempSync(path.join(tmpdir(), 'helix-pglite-seed-'));
    const file = path.join(seedDir, 'seed.tar');
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
    return file;
  } finally {
    await pglite.close();
  }
}

/**
 * Tests need a real Redis. CI passes REDIS_URL; on a fresh machine `npm test` starts a local redis-server,
 * exactly as `npm start` does.
 */
export async function setup(project: TestProject) {
  let url = process.env.REDIS_URL;
  if (!url) {
    local = await startLocalRedisServer({
      bin: 'redis-server',
      dir: mkdtempSync(path.join(tmpdir(), 'helix-redis-')),
    });
    url = local.url;
  }
  project.provide('redisUrl', url);
  project.provide('pgliteSeedFile', process.env.DATABASE_URL ? undefined : await makePgliteSeed());
}

export async function teardown() {
  await local?.stop();
  if (seedDir) rmSync(seedDir, { recursive: true, force: true });
}
