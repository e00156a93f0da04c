import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalRedisServer, startLocalRedisServer } from '../../src/platform/redis/local-redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let local: LocalRedisServer | undefined;

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
}

export async function teardown() {
  await local?.stop();
}
