import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runHelix } from '../../src/app/run.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestDatabaseUrl, testEnv } from '../helpers/infra.ts';

/** A pino destination that keeps every line, parsed. */
function captureLines() {
  const lines: { msg?: string; changed?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('one composition root per process', () => {
  it('builds the FAQ index once for all three roles of `helix all`', async () => {
    const database = await createTestDatabaseUrl();
    const config = loadConfig(
      testEnv({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'info', HELIX_DATA_DIR: 'memory://' }),
    );
    const cfg = config.db.url ? config : { ...config, db: { ...config.db, pgliteDir: 'memory://' } };
    const { lines, stream } = captureLines();
    const running = await runHelix(cfg, createLogger({ level: 'info', destination: stream }), 'all');
    try {
      expect(lines.some((l) => l.msg === 'worker role started')).toBe(true);
      // Web and worker each record the library and refresh the index; one shared index is filled once
      // (every entry changed), and the second refresh finds nothing new.
      const builds = lines.filter((l) => l.msg === 'FAQ index updated');
      expect(builds).toHaveLength(1);
      expect(builds[0]?.changed).toBeGreaterThan(0);
    } finally {
      await running.shutdown();
      await database.drop();
    }
  }, 60_000);
});
