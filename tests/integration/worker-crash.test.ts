import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/platform/db/client.ts';
import { appCallback, textMessageXml } from '../helpers/callbacks.ts';
import { type Child, spawnTs } from '../helpers/child-process.ts';
import { createTestDatabaseUrl, testEnv } from '../helpers/infra.ts';

const FIXTURE = path.resolve('tests/fixtures/helix-process.ts');

describe('a worker killed in the middle of a job', () => {
  let env: Record<string, string | undefined>;
  let drop: () => Promise<void>;
  let dataDir: string;
  const children: Child[] = [];

  beforeAll(async () => {
    const database = await createTestDatabaseUrl();
    drop = database.drop;
    dataDir = mkdtempSync(path.join(tmpdir(), 'helix-crash-'));
    // Real PostgreSQL when the suite has it, else PGlite on disk (it survives the process like a real DB).
    env = testEnv({ DATABASE_URL: database.url, HELIX_DATA_DIR: dataDir, INBOX_SWEEP_INTERVAL_MS: '500' });
  });

  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGKILL');
    await drop();
  });

  it('processes the callback exactly once after a restart', async () => {
    const first = spawnTs(FIXTURE, { ...env, BLOCK_IN_HANDLER: '1' });
    children.push(first);
    const url = (await first.waitForLine('READY ')).slice('READY '.length);
    const cb = appCallback(textMessageXml('进程崩溃前的消息'));
    const res = await fetch(`${url}/wecom/callback?${cb.query}`, { method: 'POST', body: cb.body });
    expect(res.status).toBe(200);
    const started = await first.waitForLine('STARTED ');
    const inboxId = started.split(' ')[1];

    // Kill -9 while the handler is inside its transaction: its effect must roll back.
    first.proc.kill('SIGKILL');
    await first.exited;

    const second = spawnTs(FIXTURE, { ...env, BLOCK_IN_HANDLER: '0' });
    children.push(second);
    await second.waitForLine('READY ');
    // BullMQ notices the dead worker's lock expire and hands the job to the new process.
    expect(await second.waitForLine(`COMMITTED ${inboxId}`, 20_000)).toBe(`COMMITTED ${inboxId}`);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const database = await openDatabase({ url: env.DATABASE_URL, pgliteDir: path.join(dataDir, 'pglite') });
    try {
      const effects = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM test_effects WHERE inbox_id = ${Number(inboxId)}`,
      );
      expect(effects[0]?.n).toBe(1);
      const rows = await queryRows<{ status: string; attempts: number }>(
        database.db,
        sql`SELECT status, attempts FROM inbox WHERE id = ${Number(inboxId)}`,
      );
      expect(rows[0]).toMatchObject({ status: 'processed' });
    } finally {
      await database.close();
    }
  }, 90_000);
});
