import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsRunDate, enqueueNightlyAnalytics } from '../../src/app/analytics-nightly.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { waitUntil } from '../helpers/infra.ts';
import { startWebAndWorker, type WebAndWorker } from '../helpers/web-and-worker.ts';

/**
 * The nightly analytics as the scheduler starts them: one enqueue per job for the business day just ended,
 * and the worker fills every report's aggregate tables (RM scores, funnel, channel profiles, experiments,
 * KOC influence) from the day's raw rows.
 */
let h: WebAndWorker;
const TZ = 'Asia/Shanghai';

beforeAll(async () => {
  h = await startWebAndWorker({ env: { SCHEDULER_TIMEZONE: TZ } });
});
afterAll(async () => {
  await h?.stop();
});

describe('the nightly analytics', () => {
  it('is for the business day that ended before the run, in the scheduler time zone', () => {
    // 2026-12-05 20:00 UTC is already 04:00 on the 6th in Shanghai: the day just ended is the 5th.
    expect(analyticsRunDate(new Date('2026-12-05T20:00:00Z'), TZ)).toBe('2026-12-05');
    expect(analyticsRunDate(new Date('2026-12-05T15:00:00Z'), TZ)).toBe('2026-12-04');
    expect(analyticsRunDate(new Date('2027-01-01T01:00:00Z'), TZ)).toBe('2026-12-31');
  });

  it("fills every report's aggregate tables from one night's enqueue", async () => {
    const db = h.ctx.database.db;
    const runDate = analyticsRunDate(new Date(), TZ);
    // Noon of the run date in Shanghai.
    const noon = `${runDate}T04:00:00Z`;
    const x = (q: ReturnType<typeof sql>) => queryRows(db, q);
    await x(sql`INSERT INTO rms (userid, name, branch) VALUES ('rm-n', '夜间经理', 'BR-N')`);
    await x(
      sql`INSERT INTO channels (id, name, state, created_by) VALUES ('ch-n', '海报', 'poster-n', 'ops')`,
    );
    await x(sql`INSERT INTO clients (external_userid, owner_rm, channel_id, acquired_at, aware_at, activated_at)
                VALUES ('wm-n1', 'rm-n', 'ch-n', ${noon}::timestamptz, ${noon}::timestamptz, ${noon}::timestamptz),
                       ('wm-n2', 'rm-n', 'ch-n', ${noon}::timestamptz, ${noon}::timestamptz, NULL)`);
    await x(sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, title, ref, created_at, done_at)
                VALUES ('rm-n', 'wm-n1', 'birthday', true, 'done', '生日', 'nightly-t1',
                        ${noon}::timestamptz, ${noon}::timestamptz)`);
    await x(sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome, at)
                VALUES ('cmp-n', 1, 'a', 'wm-n1', 'single', 'sent', ${noon}::timestamptz),
                       ('cmp-n', 1, 'b', 'wm-n2', 'single', 'sent', ${noon}::timestamptz)`);
    await x(sql`INSERT INTO koc_contributions (external_userid, kind, ref, weight, occurred_at)
                VALUES ('wm-n1', 'helpful_answer', 'nightly-k1', 5, ${noon}::timestamptz)`);

    expect(await enqueueNightlyAnalytics(h.web.queues, new Date(), TZ)).toBe(runDate);

    const counts = async () =>
      (
        await x(sql`SELECT
          (SELECT count(*)::int FROM rm_scores WHERE rm = 'rm-n') AS scores,
          (SELECT count(*)::int FROM funnel_weekly WHERE channel_id = 'ch-n') AS funnel,
          (SELECT count(*)::int FROM channel_profiles WHERE channel_id = 'ch-n') AS profiles,
          (SELECT count(*)::int FROM experiment_results WHERE component_id = 'cmp-n') AS experiments,
          (SELECT count(*)::int FROM koc_influence WHERE external_userid = 'wm-n1') AS influence`)
      )[0] as Record<string, number>;
    const filled = await waitUntil(
      async () => {
        const c = await counts();
        // The scores of the day, the week to date and the month to date are three transactions.
        return c.scores === 3 && Object.values(c).every((n) => n > 0) ? c : undefined;
      },
      20_000,
      'every aggregate filled',
    );
    expect(filled?.funnel).toBeGreaterThan(0);
    const [day] = await x(sql`SELECT score, components->'emotional'->>'raw' AS raw FROM rm_scores
                              WHERE rm = 'rm-n' AND period_kind = 'day' AND period_start = ${runDate}::date`);
    expect(Number((day as { score: number }).score)).toBeGreaterThan(0);
    const [profile] = await x(sql`SELECT acquired, activated FROM channel_profiles
                                  WHERE channel_id = 'ch-n' AND month = date_trunc('month', ${runDate}::date)`);
    expect(profile).toMatchObject({ acquired: 2, activated: 1 });
  });
});
