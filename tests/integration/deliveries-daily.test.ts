import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { createTestContext } from '../helpers/infra.ts';

/**
 * `GET /api/v1/deliveries/daily`: deliveries per Shanghai date and the send funnel, in each caller's scope.
 * Today is 2026-03-10 in Shanghai (12:00 there). Branch BR-A has rm-a and rm-a2, BR-B has rm-b; one robot
 * post reaches no RM. The seeded rows sit on both sides of local midnights that differ from UTC's.
 */
const clock = fixedClock(new Date('2026-03-10T04:00:00Z'));
let close: () => Promise<void>;
let web: WebApp;
let db: Db;
const tokens = {} as Record<'admin' | 'opsA' | 'opsB' | 'rmA' | 'compliance', string>;

/** An instant given as Shanghai wall time (UTC+8, no daylight saving). */
const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();

type Delivery = { recipient: string; rm: string | null; status: string; task?: string; at: string };

beforeAll(async () => {
  const t = await createTestContext({ SCHEDULER_TIMEZONE: 'Asia/Shanghai' }, { clock });
  close = t.close;
  db = t.ctx.database.db;
  web = buildWebApp(t.ctx);
  await queryRows(
    db,
    sql`INSERT INTO rms (userid, name, branch) VALUES ('rm-a', 'rm-a', 'BR-A'), ('rm-a2', 'rm-a2', 'BR-A'),
          ('rm-b', 'rm-b', 'BR-B')`,
  );
  // Send tasks by name: each sender's batch of one occurrence.
  const taskIds = new Map<string, number>();
  const tasks: [name: string, sender: string, status: string][] = [
    ['T1', 'rm-a', 'confirmed'],
    ['T2', 'rm-a', 'created'],
    ['T3', 'rm-a', 'failed'],
    ['T4', 'rm-a2', 'confirmed'],
    ['T5', 'rm-b', 'confirmed'],
    ['T6', 'rm-b', 'failed'],
    ['T7', '', 'created'],
  ];
  for (const [i, [name, sender, status]] of tasks.entries()) {
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO send_tasks (occurrence_id, kind, sender, variant_id, batch, recipients, status)
          VALUES (1, ${sender ? 'single' : 'robot'}, ${sender}, 'v1', ${i}, 1, ${status}) RETURNING id::int AS id`,
    );
    taskIds.set(name, row?.id ?? 0);
  }
  const rows: Delivery[] = [
    // Before the 14-day window: 23:59 on 02-24 in Shanghai.
    { recipient: 'wm-old', rm: 'rm-a', status: 'skipped', at: shanghai('2026-02-24T23:59:00') },
    // The window's first instant: 00:00 on 02-25 in Shanghai (16:00 on 02-24 in UTC).
    { recipient: 'wm-first', rm: 'rm-a', status: 'skipped', at: shanghai('2026-02-25T00:00:00') },
    // 23:30 on 03-08 in Shanghai: day 03-08.
    { recipient: 'wm-a1', rm: 'rm-a', status: 'sent', task: 'T1', at: shanghai('2026-03-08T23:30:00') },
    { recipient: 'wm-a2', rm: 'rm-a', status: 'sent', task: 'T1', at: shanghai('2026-03-08T23:30:00') },
    { recipient: 'wm-a3', rm: 'rm-a', status: 'pending', task: 'T2', at: shanghai('2026-03-08T23:30:00') },
    { recipient: 'wm-a4', rm: 'rm-a', status: 'skipped', at: shanghai('2026-03-08T23:30:00') },
    // 00:30 on 03-09 in Shanghai, still 03-08 in UTC: day 03-09.
    { recipient: 'wm-a5', rm: 'rm-a', status: 'failed', task: 'T3', at: shanghai('2026-03-09T00:30:00') },
    { recipient: 'wm-a6', rm: 'rm-a2', status: 'sent', task: 'T4', at: shanghai('2026-03-10T10:00:00') },
    { recipient: 'wm-b1', rm: 'rm-b', status: 'sent', task: 'T5', at: shanghai('2026-03-09T12:00:00') },
    { recipient: 'wm-b2', rm: 'rm-b', status: 'sent', task: 'T5', at: shanghai('2026-03-09T12:00:00') },
    { recipient: 'wm-b3', rm: 'rm-b', status: 'sent', task: 'T5', at: shanghai('2026-03-09T12:00:00') },
    { recipient: 'wm-b4', rm: 'rm-b', status: 'failed', task: 'T6', at: shanghai('2026-03-09T12:00:00') },
    { recipient: 'wm-b5', rm: 'rm-b', status: 'skipped', at: shanghai('2026-03-10T09:00:00') },
    // A robot post reaches no RM: only an unlimited scope counts it.
    { recipient: 'robot-hash', rm: null, status: 'sent', task: 'T7', at: shanghai('2026-03-10T08:00:00') },
  ];
  for (const d of rows) {
    await queryRows(
      db,
      sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, task_id, created_at, updated_at)
          VALUES (1, ${d.recipient}, ${d.rm ? 'single' : 'robot'}, ${d.rm}, ${d.status},
                  ${d.task ? (taskIds.get(d.task) ?? null) : null}, ${d.at}::timestamptz, ${d.at}::timestamptz)`,
    );
  }
  const service = createTokenService({ db, audit: createAuditRepository() });
  const issue = async (role: Role, name: string, branchScope: string | null = null) =>
    (await service.create({ name, role, branchScope, actor: 'test' })).secret;
  tokens.admin = await issue('admin', 'admin');
  tokens.opsA = await issue('ops', 'ops-a', 'BR-A');
  tokens.opsB = await issue('ops', 'ops-b', 'BR-B');
  tokens.rmA = await issue('rm', 'rm-a');
  tokens.compliance = await issue('compliance', 'compliance');
});
afterAll(async () => {
  await web?.close();
  await close?.();
});

const daily = (token: string, query = '') =>
  request(web.app).get(`/api/v1/deliveries/daily${query}`).set('authorization', `Bearer ${token}`);

type Day = { date: string; sent: number; pending: number; failed: number; skipped: number };
type Answer = { timeZone: string; days: Day[]; funnel: Record<string, number> };

const zero = { sent: 0, pending: 0, failed: 0, skipped: 0 };
/** The days that are not all zero, by date. */
const nonZero = (days: Day[]) =>
  Object.fromEntries(
    days
      .filter((d) => d.sent + d.pending + d.failed + d.skipped > 0)
      .map(({ date, ...counts }) => [date, counts]),
  );

describe('deliveries per day and the send funnel', () => {
  it('counts every Shanghai date of the last 14 days, oldest first, zero days included', async () => {
    const res = await daily(tokens.admin).expect(200);
    const body = res.body as Answer;
    expect(body.timeZone).toBe('Asia/Shanghai');
    expect(body.days).toHaveLength(14);
    expect(body.days[0]?.date).toBe('2026-02-25');
    expect(body.days.at(-1)?.date).toBe('2026-03-10');
    expect(body.days.find((d) => d.date === '2026-03-07')).toEqual({ date: '2026-03-07', ...zero });
    expect(nonZero(body.days)).toEqual({
      // 00:00 in Shanghai opens the window; 23:59 the evening before is outside it.
      '2026-02-25': { ...zero, skipped: 1 },
      // 23:30 in Shanghai stays on its own date.
      '2026-03-08': { sent: 2, pending: 1, failed: 0, skipped: 1 },
      // 00:30 in Shanghai is the next date there, though UTC still says 03-08.
      '2026-03-09': { ...zero, sent: 3, failed: 2 },
      '2026-03-10': { ...zero, sent: 2, skipped: 1 },
    });
    expect(body.funnel).toEqual({ targeted: 13, tasked: 10, confirmed: 6, delivered: 7 });
  });

  it('narrows the window to `days` days: today only for days=1', async () => {
    const body = (await daily(tokens.admin, '?days=1').expect(200)).body as Answer;
    expect(body.days).toEqual([{ date: '2026-03-10', ...zero, sent: 2, skipped: 1 }]);
    expect(body.funnel).toEqual({ targeted: 3, tasked: 2, confirmed: 1, delivered: 2 });
    const wide = (await daily(tokens.admin, '?days=92').expect(200)).body as Answer;
    expect(wide.days).toHaveLength(92);
    expect(wide.days[0]?.date).toBe('2025-12-09');
    // The delivery just before the 14-day window is inside the 92-day one.
    expect(wide.days.find((d) => d.date === '2026-02-24')).toEqual({
      date: '2026-02-24',
      ...zero,
      skipped: 1,
    });
    expect(wide.funnel.targeted).toBe(14);
  });

  it("counts only the caller's scope: a branch its RMs, an RM their own", async () => {
    const a = (await daily(tokens.opsA).expect(200)).body as Answer;
    expect(nonZero(a.days)).toEqual({
      '2026-02-25': { ...zero, skipped: 1 },
      '2026-03-08': { sent: 2, pending: 1, failed: 0, skipped: 1 },
      '2026-03-09': { ...zero, failed: 1 },
      '2026-03-10': { ...zero, sent: 1 },
    });
    expect(a.funnel).toEqual({ targeted: 7, tasked: 5, confirmed: 3, delivered: 3 });

    const b = (await daily(tokens.opsB).expect(200)).body as Answer;
    expect(nonZero(b.days)).toEqual({
      '2026-03-09': { ...zero, sent: 3, failed: 1 },
      '2026-03-10': { ...zero, skipped: 1 },
    });
    expect(b.funnel).toEqual({ targeted: 5, tasked: 4, confirmed: 3, delivered: 3 });

    // rm-a2's delivery today is branch A's, not rm-a's.
    const rm = (await daily(tokens.rmA).expect(200)).body as Answer;
    expect(rm.days.at(-1)).toEqual({ date: '2026-03-10', ...zero });
    expect(rm.funnel).toEqual({ targeted: 6, tasked: 4, confirmed: 2, delivered: 2 });
  });

  it('refuses a bad `days` with a 400 naming it, and roles outside the gate with a 403', async () => {
    for (const q of ['?days=0', '?days=abc', '?days=93', '?days=2.5']) {
      const res = await daily(tokens.admin, q).expect(400);
      expect(res.body.error.code, q).toBe('bad_request');
      expect(res.body.error.problems, q).toEqual([expect.stringMatching(/^days: /)]);
    }
    const unknown = await daily(tokens.admin, '?since=2026-03-01').expect(400);
    expect(unknown.body.error.message).toContain('since');
    await daily(tokens.compliance).expect(403);
  });
});
