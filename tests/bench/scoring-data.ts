/**
 * The scoring benchmark's data: a realistic month of a bank's WeCom operations, generated set-based in SQL
 * (INSERT … SELECT FROM generate_series, one statement a table, no row loops in Node) into Helix's existing
 * tables on a fresh database. Every CHECK, unique index and foreign key of those tables holds. Deterministic:
 * `setseed` in one transaction, so every run builds the same population (relative to `now`).
 *
 * Shape (R RMs, C clients, T touches; C ≥ R):
 *   rms         R over 20 branches; RM i owns the clients i, i+R, i+2R, … (`owner_rm`)
 *   channels    30 bench channels with a marketing cost (plus the migration's `unknown`, which 3% land on)
 *   clients     C: tier, risk level, tags, birthday; acquired over the last 6 months (awareness before it),
 *               ~30% activated within 20 days of acquisition, ~5% removed (by client or by RM)
 *   client_rms  every client's owner (removed_at for removed clients), plus a second RM for ~10%
 *   touches     T, status done, done over the last 31 days; RM activity skewed (a few busy, a long tail),
 *               each touch to one of the RM's own clients; ~20% emotional (birthday, festival, check-in)
 *   calendar    3 daily entries (morning brief 08:00, lunch product card 12:00, evening topic 20:00) and
 *               their 93 `done` occurrences over the 31 local days before today
 *   send_tasks  30 per RM (kind single), mostly confirmed, some created / failed / cancelled / in flight
 *   deliveries  5 per client through the owner RM's tasks: mostly sent; ~4% skipped with a reason
 *   conversations  hand-offs of ~2% of clients in the month: taken over (SLA 30 min kept or not) or pending
 *   activation_events  one per activated client (feed), a later purchase for ~20% of them
 *   content_outcomes   0.8·C sends over 3 components × 2 variants (a, b) and their clicks (18% / 24%)
 *   flash_sales + flash_claims  3 sales in the month, each sold out (claims won/redeemed/expired/returned)
 *   referrals, koc_contributions  5% of clients referred by 2% (the KOCs), 3 helpful answers per KOC
 */
import { type SQL, sql } from 'drizzle-orm';
import { dateInZone } from '../../src/platform/calendar/dates.ts';
import { type Db, queryRows, type Tx } from '../../src/platform/db/client.ts';

/** How big a population to generate. */
export type ScoringSizes = { rms: number; clients: number; touches: number };

/** Seconds each generation step took, and the row counts it left. */
export type GeneratedData = {
  seconds: number;
  steps: Record<string, number>;
  rows: Record<string, number>;
};

const BRANCHES = [
  '南山支行',
  '福田支行',
  '罗湖支行',
  '宝安支行',
  '龙岗支行',
  '龙华支行',
  '光明支行',
  '坪山支行',
  '盐田支行',
  '前海支行',
  '蛇口支行',
  '科技园支行',
  '车公庙支行',
  '华强北支行',
  '东门支行',
  '西丽支行',
  '布吉支行',
  '沙井支行',
  '观澜支行',
  '大鹏支行',
];
const CHANNEL_NAMES = [
  '网点海报',
  '理财沙龙',
  '公众号推文',
  '短信邀约',
  '代发工资',
  '信用卡中心',
  '社区活动',
  '视频号直播',
  '老客推荐',
  '企业团办',
];
const COMPONENTS = ['morning-brief-daily', 'product-card-steady-income', 'evening-topic-daily'];
const ENTRIES = [
  { id: 'bench-morning-brief', componentId: 'morning-brief-daily', hour: 8, name: '早间财经速递' },
  { id: 'bench-lunch-product', componentId: 'product-card-steady-income', hour: 12, name: '午间产品推荐' },
  { id: 'bench-evening-topic', componentId: 'evening-topic-daily', hour: 20, name: '晚间话题' },
];
/** Tasks per RM over the month; each goes to a distinct occurrence (3 entries × 31 days ≥ 30 × 3). */
const TASKS_PER_RM = 30;
const DELIVERIES_PER_CLIENT = 5;

/**
 * Generates the month ending at `now` (local days in `timeZone`) on `db`, a fresh migrated database, and
 * analyzes the tables. `db` should have no statement timeout: single statements write millions of rows.
 */
export async function generateScoringData(
  db: Db,
  sizes: ScoringSizes,
  now: Date,
  timeZone: string,
  say: (msg: string) => void = () => {},
): Promise<GeneratedData> {
  const R = sizes.rms;
  const C = sizes.clients;
  const T = sizes.touches;
  if (!(R >= 1 && C >= R && T >= 0))
    throw new RangeError(`need rms ≥ 1, clients ≥ rms and touches ≥ 0 (got ${JSON.stringify(sizes)})`);
  const n = sql`${now.toISOString()}::timestamptz`;
  const today = dateInZone(now, timeZone);
  const tz = sql`${timeZone}::text`;
  const rmId = (i: SQL) => sql`'rm_' || lpad((${i})::text, 4, '0')`;
  const clientId = (i: SQL) => sql`'wm_bench_' || lpad((${i})::text, 7, '0')`;

  const steps: Record<string, number> = {};
  const t0 = performance.now();
  const step = async (name: string, tx: Tx, query: SQL) => {
    say(`  ${name}…`);
    const t = performance.now();
    await queryRows(tx, query);
    steps[name] = Number(((performance.now() - t) / 1000).toFixed(2));
  };

  await db.transaction(async (tx) => {
    await queryRows(tx, sql`SELECT setseed(0.42)`);
    await step(
      'rms',
      tx,
      sql`INSERT INTO rms (userid, name, branch, created_at, updated_at)
          SELECT ${rmId(sql`i`)}, '客户经理' || i, (${sql.param(BRANCHES)}::text[])[1 + i % 20],
                 ${n} - interval '400 days', ${n} - interval '400 days'
            FROM generate_series(0, ${R - 1}::int) AS i`,
    );
    await step(
      'channels',
      tx,
      sql`INSERT INTO channels (id, name, state, cost, created_by, created_at)
          SELECT 'bench_ch_' || lpad(i::text, 2, '0'),
                 (${sql.param(CHANNEL_NAMES)}::text[])[1 + i % 10] || (i / 10 + 1),
                 'bench_ch_' || lpad(i::text, 2, '0'), round((1000 + random() * 49000)::numeric, 2),
                 'bench', ${n} - interval '200 days'
            FROM generate_series(0, 29) AS i`,
    );
    // A client's channel is skewed (a few channels bring most clients); 3% come from no known channel.
    await step(
      'clients',
      tx,
      sql`INSERT INTO clients (external_userid, name, birthday, aum_band, risk_level, tags, owner_rm, channel_id,
                               channel_state, status, aware_at, acquired_at, activated_at, tier, tier_since,
                               profile_updated_at, created_at, updated_at)
          SELECT id, '客户' || i, birthday, band, 'C' || (1 + floor(u_risk * 5)::int), tags, ${rmId(sql`i % ${R}::int`)},
                 channel, CASE WHEN channel = 'unknown' THEN NULL ELSE channel END,
                 CASE WHEN u_status < 0.025 THEN 'removed_by_client'
                      WHEN u_status < 0.05 THEN 'removed_by_rm' ELSE 'active' END,
                 acquired - u_aware * interval '14 days', acquired,
                 CASE WHEN u_act < 0.3 THEN least(acquired + u_act2 * interval '20 days', ${n} - interval '1 minute') END,
                 CASE band WHEN 'lt50k' THEN 'basic' WHEN '50k-500k' THEN 'intermediate' ELSE 'premium' END,
                 acquired, acquired, acquired, acquired
            FROM (SELECT i, ${clientId(sql`i`)} AS id,
                         date '1955-01-01' + floor(random() * 17000)::int AS birthday,
                         (ARRAY['lt50k','50k-500k','500k-6m','ge6m'])[1 + floor(random() * random() * 4)::int] AS band,
                         random() AS u_risk, random() AS u_status, random() AS u_aware, random() AS u_act,
                         random() AS u_act2,
                         CASE WHEN random() < 0.03 THEN 'unknown'
                              ELSE 'bench_ch_' || lpad(floor(30 * power(random(), 2))::int::text, 2, '0') END AS channel,
                         ${n} - random() * interval '183 days' AS acquired,
                         array_remove(ARRAY[CASE WHEN random() < 0.3 THEN '基金' END,
                                            CASE WHEN random() < 0.2 THEN '定投' END,
                                            CASE WHEN random() < 0.25 THEN '信用卡' END,
                                            CASE WHEN random() < 0.05 THEN '留学' END,
                                            CASE WHEN random() < 0.35 THEN '理财' END], NULL) AS tags
                    FROM generate_series(0, ${C - 1}::int) AS i) AS g`,
    );
    await step(
      'client_rms',
      tx,
      sql`INSERT INTO client_rms (external_userid, rm_userid, state, added_at, removed_at)
          SELECT external_userid, owner_rm, channel_state, acquired_at,
                 CASE WHEN status <> 'active' THEN acquired_at + random() * (${n} - acquired_at) END
            FROM clients WHERE external_userid LIKE 'wm_bench_%'
          UNION ALL
          SELECT external_userid, ${rmId(sql`(substr(external_userid, 10)::int + 1) % ${R}::int`)}, NULL,
                 acquired_at + random() * (${n} - acquired_at), NULL
            FROM clients WHERE external_userid LIKE 'wm_bench_%' AND ${R}::int > 1 AND random() < 0.1`,
    );
    // RM r owns the clients r, r+R, …: ((C-1-r)/R)+1 of them, so a touch picks one without a join.
    await step(
      'touches',
      tx,
      sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, title, ref, created_at, done_at)
          SELECT ${rmId(sql`s.r`)}, ${clientId(sql`s.r + ${R}::int * floor(s.u_client * ((${C - 1}::int - s.r) / ${R}::int + 1))::int`)},
                 k.kind, k.kind IN ('birthday','festival','check_in'), 'done', k.title, 'bench-touch-' || s.g,
                 s.done - s.u_lead * interval '6 hours', s.done
            FROM (SELECT g, floor(${R}::int * power(random(), 1.6))::int AS r, random() AS u_client,
                         random() AS u_kind, random() AS u_lead, ${n} - random() * interval '31 days' AS done
                    FROM generate_series(1, ${T}::int) AS g) AS s
            JOIN (VALUES (0.00, 0.05, 'birthday', '生日祝福'), (0.05, 0.12, 'festival', '节日问候'),
                         (0.12, 0.20, 'check_in', '回访问候'), (0.20, 0.62, 'task_confirmed', '确认群发任务'),
                         (0.62, 0.88, 'follow_up', '跟进客户'), (0.88, 1.01, 'handoff_reply', '回复转人工'))
                 AS k(lo, hi, kind, title) ON s.u_kind >= k.lo AND s.u_kind < k.hi`,
    );
    await step(
      'calendar',
      tx,
      sql`WITH e AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(
              ENTRIES.map((e) => ({
                id: e.id,
                hour: e.hour,
                body: {
                  name: e.name,
                  componentId: e.componentId,
                  channel: 'single',
                  audience: { tiers: ['basic', 'intermediate', 'premium'] },
                  schedule: { kind: 'cron', cron: `0 ${e.hour} * * *` },
                  skip: 'none',
                  owner: 'bench',
                },
              })),
            )}::jsonb) AS x(id text, hour int, body jsonb)),
          entries AS (
            INSERT INTO calendar_entries (id, body, status, version, created_by, created_at, updated_at)
            SELECT id, body, 'active', 1, 'bench', ${n} - interval '60 days', ${n} - interval '60 days' FROM e
            RETURNING id),
          versions AS (
            INSERT INTO calendar_entry_versions (entry_id, version, body, status, effective_from, changed_by)
            SELECT e.id, 1, e.body, 'active', ${n} - interval '60 days', 'bench' FROM e JOIN entries USING (id))
          INSERT INTO calendar_occurrences (entry_id, scheduled_at, entry_version, status, fired_at, finished_at)
          SELECT e.id, at, 1, 'done', at, at + interval '2 minutes'
            FROM e JOIN entries USING (id),
                 LATERAL (SELECT ((${today}::date - d)::timestamp + make_interval(hours => e.hour)) AT TIME ZONE ${tz} AS at
                            FROM generate_series(1, 31) AS d) AS o`,
    );
    // RM r's task k goes to occurrence 3k + r%3 (oldest first): 30 distinct occurrences per RM.
    await step(
      'send_tasks',
      tx,
      sql`WITH occ AS (
            SELECT id, entry_id, scheduled_at, row_number() OVER (ORDER BY scheduled_at, id) - 1 AS n
              FROM calendar_occurrences WHERE entry_id LIKE 'bench-%')
          INSERT INTO send_tasks (occurrence_id, kind, sender, variant_id, batch, recipients, status, text, msgid,
                                  errcode, error, sending_at, created_at, confirmed_at)
          SELECT o.id, 'single', ${rmId(sql`src.r`)},
                 CASE WHEN o.entry_id = 'bench-morning-brief' THEN CASE WHEN src.v < 0.5 THEN 'concise' ELSE 'story' END
                      ELSE 'default' END,
                 0, 0, st.status, '今日内容（压测）',
                 CASE WHEN st.status IN ('created','confirmed') THEN 'msg_bench_' || src.r || '_' || src.k END,
                 CASE WHEN st.status = 'failed' THEN 41001 END,
                 CASE WHEN st.status = 'failed' THEN 'wecom_error' END,
                 CASE WHEN st.status <> 'pending' THEN o.scheduled_at + interval '5 seconds' END,
                 o.scheduled_at + interval '4 seconds',
                 CASE WHEN st.status = 'confirmed' THEN o.scheduled_at + src.w * interval '8 hours' END
            FROM (SELECT r, k, random() AS u, random() AS v, random() AS w
                    FROM generate_series(0, ${R - 1}::int) AS r, generate_series(0, ${TASKS_PER_RM - 1}::int) AS k) AS src
            JOIN occ o ON o.n = src.k * 3 + src.r % 3
            CROSS JOIN LATERAL (SELECT CASE WHEN src.u < 0.85 THEN 'confirmed' WHEN src.u < 0.92 THEN 'created'
                                            WHEN src.u < 0.95 THEN 'failed' WHEN src.u < 0.97 THEN 'cancelled'
                                            WHEN src.u < 0.99 THEN 'sending' ELSE 'pending' END AS status) AS st`,
    );
    // Client i's j-th delivery goes through its owner's task 6j + (i/R)%6: 5 distinct occurrences.
    await step(
      'deliveries',
      tx,
      sql`WITH t AS (
            SELECT id, sender, occurrence_id, variant_id, status, created_at, confirmed_at,
                   row_number() OVER (PARTITION BY sender ORDER BY occurrence_id) - 1 AS k
              FROM send_tasks)
          INSERT INTO deliveries (occurrence_id, recipient, kind, rm, variant_id, status, reason, task_id,
                                  created_at, updated_at)
          SELECT t.occurrence_id, c.id, 'single', t.sender, t.variant_id, f.status, f.reason,
                 CASE WHEN f.status <> 'skipped' THEN t.id END, t.created_at - interval '1 second',
                 coalesce(t.confirmed_at, t.created_at)
            FROM (SELECT ${clientId(sql`i`)} AS id, ${rmId(sql`i % ${R}::int`)} AS rm,
                         j * 6 + (i / ${R}::int) % 6 AS k, random() AS u
                    FROM generate_series(0, ${C - 1}::int) AS i,
                         generate_series(0, ${DELIVERIES_PER_CLIENT - 1}::int) AS j) AS c
            JOIN t ON t.sender = c.rm AND t.k = c.k
            CROSS JOIN LATERAL (
              SELECT CASE WHEN c.u < 0.04 THEN 'skipped' WHEN t.status = 'confirmed' THEN 'sent'
                          WHEN t.status IN ('failed','cancelled') THEN 'failed' ELSE 'pending' END AS status,
                     CASE WHEN c.u < 0.04 THEN (ARRAY['opted_out','daily_cap','weekly_cap','unsuitable_risk'])[1 + floor(c.u * 100)::int]
                          WHEN t.status = 'failed' THEN 'wecom_error:41001'
                          WHEN t.status = 'cancelled' THEN 'task_cancelled' END AS reason) AS f`,
    );
    await step(
      'send_tasks.recipients',
      tx,
      sql`UPDATE send_tasks s SET recipients = d.n
            FROM (SELECT task_id, count(*)::int AS n FROM deliveries WHERE task_id IS NOT NULL GROUP BY task_id) AS d
           WHERE d.task_id = s.id`,
    );
    // Hand-offs: most taken over (a skewed delay against the 30-minute SLA), 7% still waiting.
    await step(
      'conversations',
      tx,
      sql`INSERT INTO conversations (chat_id, client_userid, owner_state, rm_userid, handed_off_at, taken_over_at,
                                     taken_over_by, sla_due_at, sla_kept, created_at, updated_at)
          SELECT 'single_' || x.id, x.id,
                 CASE WHEN t.taken IS NULL THEN 'pending-human' WHEN x.u < 0.85 THEN 'resolved' ELSE 'human' END,
                 x.rm, x.h, t.taken, CASE WHEN t.taken IS NOT NULL THEN x.rm END, x.h + interval '30 minutes',
                 CASE WHEN t.taken IS NOT NULL THEN t.taken <= x.h + interval '30 minutes'
                      WHEN ${n} > x.h + interval '30 minutes' THEN false END,
                 x.h - interval '2 minutes', coalesce(t.taken, x.h)
            FROM (SELECT ${clientId(sql`i`)} AS id, ${rmId(sql`i % ${R}::int`)} AS rm,
                         ${n} - random() * interval '31 days' AS h, random() AS u, random() AS w
                    FROM generate_series(0, ${C - 1}::int) AS i WHERE random() < 0.02) AS x
            CROSS JOIN LATERAL (SELECT CASE WHEN x.u < 0.93
                                            THEN least(x.h + power(x.w, 3) * interval '2 hours', ${n}) END AS taken) AS t`,
    );
    await step(
      'activation_events',
      tx,
      sql`INSERT INTO activation_events (external_userid, kind, source, ref, occurred_at, created_at)
          SELECT external_userid, CASE WHEN random() < 0.6 THEN 'first_deposit' ELSE 'product_purchase' END,
                 'feed', 'bench-act-' || external_userid, activated_at, activated_at
            FROM clients WHERE activated_at IS NOT NULL
          UNION ALL
          SELECT external_userid, 'product_purchase', 'feed', 'bench-act2-' || external_userid,
                 activated_at + random() * (${n} - activated_at), ${n}
            FROM clients WHERE activated_at IS NOT NULL AND random() < 0.2`,
    );
    await step(
      'content_outcomes',
      tx,
      sql`WITH sent AS MATERIALIZED (
            SELECT (${sql.param(COMPONENTS)}::text[])[1 + g % 3] AS comp,
                   CASE WHEN random() < 0.5 THEN 'a' ELSE 'b' END AS variant,
                   ${clientId(sql`floor(random() * ${C}::int)::int`)} AS client,
                   ${n} - random() * interval '31 days' AS at, random() AS u
              FROM generate_series(1, ${Math.round(C * 0.8)}::int) AS g)
          INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome, at)
          SELECT comp, 1, variant, client, 'single', 'sent', at FROM sent
          UNION ALL
          SELECT comp, 1, variant, client, 'single', 'clicked', least(at + u * interval '3 hours', ${n})
            FROM sent WHERE u < CASE WHEN variant = 'a' THEN 0.18 ELSE 0.24 END`,
    );
    // KOCs: 5% of clients came through another client's referral code (the referrers are 2% of clients),
    // and each referrer has a few helpful answers: what KOC influence measures.
    await step(
      'referrals',
      tx,
      sql`INSERT INTO referrals (referrer, referred, rm, state, status, added_at, activated_at)
          SELECT x.referrer, x.external_userid, x.owner_rm, 'rf-bench',
                 CASE WHEN x.activated_at IS NOT NULL THEN 'rewarded' ELSE 'pending' END, x.acquired_at, x.activated_at
            FROM (SELECT ${clientId(sql`floor(random() * ${Math.max(1, Math.round(C * 0.02))}::int)::int`)} AS referrer, c.*
                    FROM clients c
                   WHERE c.owner_rm IS NOT NULL AND c.acquired_at IS NOT NULL AND random() < 0.05) x
           WHERE x.referrer <> x.external_userid`,
    );
    await step(
      'koc_contributions',
      tx,
      sql`INSERT INTO koc_contributions (external_userid, kind, ref, weight, occurred_at)
          SELECT r.referrer, 'helpful_answer', 'bench-koc-' || r.referrer || '-' || g, 3,
                 ${n} - random() * interval '31 days'
            FROM (SELECT DISTINCT referrer FROM referrals) r CROSS JOIN generate_series(1, 3) AS g`,
    );
    // Three lunch-time sales, 10 days apart, each sold out within minutes.
    await step(
      'flash_sales',
      tx,
      sql`WITH sales AS (
            INSERT INTO flash_sales (id, name, item_name, stock, keyword, opens_at, closes_at, created_by, created_at)
            SELECT 'bench-sale-' || s, '午间秒杀 ' || s, '定制保温杯', ${Math.max(1, Math.min(500, Math.floor(C / 100)))}::int, '秒杀',
                   at, at + interval '1 hour', 'bench', at - interval '1 day'
              FROM generate_series(0, 2) AS s,
                   LATERAL (SELECT ((${today}::date - 25 + s * 10)::timestamp + interval '12 hours') AT TIME ZONE ${tz} AS at) AS o
            RETURNING id, stock, opens_at)
          INSERT INTO flash_claims (sale_id, external_userid, status, via, claimed_at, expires_at, redeemed_at)
          SELECT s.id, c.external_userid, st.status, CASE WHEN c.u < 0.7 THEN 'keyword' ELSE 'link' END,
                 s.opens_at + c.u * interval '10 minutes', s.opens_at + c.u * interval '10 minutes' + interval '72 hours',
                 CASE WHEN st.status = 'redeemed' THEN s.opens_at + interval '1 day' END
            FROM sales s
            CROSS JOIN LATERAL (SELECT external_userid, random() AS u FROM clients
                                 WHERE status = 'active' AND s.id IS NOT NULL ORDER BY random() LIMIT s.stock) AS c
            CROSS JOIN LATERAL (SELECT CASE WHEN s.opens_at + interval '72 hours' > ${n} THEN 'won'
                                            WHEN c.u < 0.65 THEN 'redeemed' WHEN c.u < 0.95 THEN 'expired'
                                            ELSE 'returned' END AS status) AS st`,
    );
    await step(
      'flash_sales.taken',
      tx,
      sql`UPDATE flash_sales f SET taken = c.n
            FROM (SELECT sale_id, count(*)::int AS n FROM flash_claims WHERE status <> 'returned' GROUP BY sale_id) AS c
           WHERE c.sale_id = f.id`,
    );
  });

  say('  analyze…');
  const ta = performance.now();
  await queryRows(db, sql`ANALYZE`);
  steps.analyze = Number(((performance.now() - ta) / 1000).toFixed(2));
  const seconds = (performance.now() - t0) / 1000;

  const [rows] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT (SELECT count(*)::int FROM rms) AS rms, (SELECT count(*)::int FROM channels) AS channels,
               (SELECT count(*)::int FROM clients) AS clients, (SELECT count(*)::int FROM client_rms) AS client_rms,
               (SELECT count(*)::int FROM touches) AS touches,
               (SELECT count(*)::int FROM touches WHERE emotional) AS emotional_touches,
               (SELECT count(*)::int FROM calendar_occurrences) AS occurrences,
               (SELECT count(*)::int FROM send_tasks) AS send_tasks, (SELECT count(*)::int FROM deliveries) AS deliveries,
               (SELECT count(*)::int FROM conversations) AS conversations,
               (SELECT count(*)::int FROM activation_events) AS activation_events,
               (SELECT count(*)::int FROM content_outcomes) AS content_outcomes,
               (SELECT count(*)::int FROM flash_claims) AS flash_claims,
               (SELECT count(*)::int FROM referrals) AS referrals,
               (SELECT count(*)::int FROM koc_contributions) AS koc_contributions`,
  );
  return { seconds, steps, rows: rows ?? {} };
}
