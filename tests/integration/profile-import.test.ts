import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createProfileImportRepository } from '../../src/modules/contacts/profile-import.repository.ts';
import {
  createProfileImportService,
  type RouteImported,
} from '../../src/modules/contacts/profile-import.service.ts';
import { createRmsRepository } from '../../src/modules/contacts/rms.repository.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { createTestContext } from '../helpers/infra.ts';

let ctx: AppContext;
let close: () => Promise<void>;
let routed: string[][] = [];
let failRouting = false;

const route: RouteImported = async (_tx, rows) => {
  if (failRouting) throw new Error('routing failed half-way');
  routed.push(rows.map((r) => r.externalUserid));
  return { routed: rows.length };
};

beforeAll(async () => {
  ({ ctx, close } = await createTestContext());
});
afterAll(async () => close?.());

const service = () =>
  createProfileImportService({
    db: ctx.database.db,
    repo: createProfileImportRepository(),
    rms: createRmsRepository(),
    audit: createAuditRepository(),
    bands: () => ['lt50k', '50k-500k', '500k-6m', 'ge6m'],
    route,
    clock: ctx.clock,
    log: ctx.log,
  });
const run = (text: string, format: 'csv' | 'jsonl' = 'csv') =>
  service().importProfiles({ file: text, format, fileName: 'feed.csv', actor: 'ops-test', via: 'cli' });
const client = async (id: string) =>
  (
    await queryRows<{
      aum_band: string | null;
      risk_level: string | null;
      tags: string[];
      name: string | null;
    }>(
      ctx.database.db,
      sql`SELECT aum_band, risk_level, tags, name FROM clients WHERE external_userid = ${id}`,
    )
  )[0];
const count = async () =>
  (await queryRows<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM clients`))[0]?.n;

describe('profile import', () => {
  it('creates and updates clients, keeping what a row leaves empty, and routes them in the same transaction', async () => {
    routed = [];
    const first = await run(
      'external_userid,name,aum_band,risk_level,tags\nwm_a,王先生,50k-500k,C3,基金|定投\nwm_b,,lt50k,C2,\n',
    );
    expect(first).toMatchObject({ ok: true, rows: 2, created: 2, updated: 0 });
    const second = await run('external_userid,aum_band,tags\nwm_a,500k-6m,\nwm_c,ge6m,卡圈\n');
    expect(second).toMatchObject({ ok: true, rows: 2, created: 1, updated: 1 });
    expect(await client('wm_a')).toEqual({
      aum_band: '500k-6m',
      risk_level: 'C3',
      tags: ['基金', '定投'],
      name: '王先生',
    });
    expect(routed).toEqual([
      ['wm_a', 'wm_b'],
      ['wm_a', 'wm_c'],
    ]);
  });

  it('changes nothing when any row is bad, and reports every bad row', async () => {
    const before = await count();
    const r = await run(
      'external_userid,aum_band,risk_level\nwm_new1,lt50k,C1\nwm_new2,huge,C9\nwm_new1,lt50k,C1\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.field}`)).toEqual([
      '3:aum_band',
      '3:risk_level',
      '4:external_userid',
    ]);
    expect(await count()).toBe(before);
  });

  it('rolls back the whole import when a later step fails', async () => {
    const before = await count();
    failRouting = true;
    await expect(run('external_userid,aum_band\nwm_rb1,lt50k\nwm_rb2,lt50k\n')).rejects.toThrow(
      /routing failed/,
    );
    failRouting = false;
    expect(await count()).toBe(before);
    const [imports] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM client_imports WHERE sha256 IS NOT NULL`,
    );
    expect(imports?.n).toBe(2);
  });

  it('leaves the same state when the same file is applied twice', async () => {
    const file =
      '{"external_userid":"wm_j1","aum_band":"ge6m","tags":["留学"]}\n{"external_userid":"wm_j2","risk_level":"C5"}\n';
    await run(file, 'jsonl');
    const once = [await client('wm_j1'), await client('wm_j2')];
    const again = await run(file, 'jsonl');
    expect(again).toMatchObject({ ok: true, created: 0, updated: 2 });
    expect([await client('wm_j1'), await client('wm_j2')]).toEqual(once);
  });

  it('imports 20,000 rows in one go', async () => {
    const lines = ['external_userid,aum_band,risk_level,tags'];
    for (let i = 0; i < 20_000; i++)
      lines.push(`wm_bulk_${i},${i % 7 === 0 ? 'ge6m' : 'lt50k'},C${(i % 5) + 1},基金|卡圈`);
    const r = await run(`${lines.join('\n')}\n`);
    expect(r).toMatchObject({ ok: true, rows: 20_000, created: 20_000 });
  });
});
