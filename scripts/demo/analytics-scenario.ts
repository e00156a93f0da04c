import { dateInZone } from '../../src/platform/calendar/dates.ts';
import type { DemoKit } from './demo-kit.ts';

const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';
const COMPONENT_ZH: Record<string, string> = {
  responsiveness: '响应及时',
  coverage: '客户覆盖',
  taskCompletion: '任务完成',
  emotional: '情感关怀',
  contentDistribution: '内容分发',
  conversions: '转化',
};
/** The month's media spend ops enter for each demo channel. */
const COSTS = [
  { id: 'metro-2611', cost: 12000, reach: 350000, note: '9月灯箱投放' },
  { id: 'salon-1122', cost: 3500, reach: 40, note: '沙龙场地与茶歇' },
];
/** The bank's revenue lines for the demo clients in their first week (fees and interest margin, yuan). */
const REVENUE = [
  ['wm_demo_wang', '3200.00', '2026-09-30', 'demo-rev-1'],
  ['wm_demo_chen', '1850.50', '2026-10-02', 'demo-rev-2'],
  ['wm_demo_zhao', '35.20', '2026-10-01', 'demo-rev-3'],
  ['wm_demo_sun', '5600.00', '2026-09-29', 'demo-rev-4'],
  ['wm_demo_liu', '120.00', '2026-10-03', 'demo-rev-5'],
];

/** How many passers-by open each channel's tracked poster link (`/go/<state>`) on Monday. */
const LINK_OPENS = [
  ['ch-metro-2611', 9],
  ['ch-salon-1122', 3],
] as const;

/**
 * Passers-by open the posters' tracked links on Monday (awareness, the funnel's first step). Played right
 * after the channels exist, since the link counts the day it is opened; part 9 reports them.
 */
export async function openPosterLinks(k: DemoKit) {
  for (const [state, n] of LINK_OPENS)
    for (let i = 0; i < n; i += 1) {
      const res = await fetch(`${k.helix.url}/go/${state}`, { redirect: 'manual' });
      await res.body?.cancel();
      k.expect(res.status === 302, `the tracked link ${state} redirects to its QR code`);
    }
}

type Ranked = { rm: string; branch: string | null; rank: number; score: number };
type Component = { component: string; raw: number; weight: number; points: number };
type FunnelRow = {
  key: string;
  aware: number;
  acquired: number;
  activated: number;
  acquisitionRate: number | null;
  activationRate: number | null;
};
type Figures = {
  acquired: number;
  activated: number;
  cost: number;
  revenue: number;
  aac: number | null;
  aacNote?: 'no activations' | 'no cost entered';
  lroi: number | null;
};

/** Components whose raw figure is a share; the others are per 100 active clients. */
const SHARES = new Set(['responsiveness', 'coverage', 'taskCompletion']);
const rawOf = (c: Component) =>
  SHARES.has(c.component) ? `${round2(c.raw * 100)}%` : `${round2(c.raw)}/100 clients`;
const pct = (r: number | null) => (r === null ? '-' : `${Math.round(r * 1000) / 10}%`);
const round2 = (v: number) => Math.round(v * 100) / 100;
const yuan = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * Growth analytics at the end of the week: ops enter the channels' costs and the bank's revenue
 * file, the nightly analytics run at once, and the RM ranking (one score explained), the funnel per
 * channel and AAC/LROI per channel are printed from the aggregates.
 */
export async function playAnalytics(k: DemoKit, weekStart: Date) {
  const { say } = k;
  say('9. Growth analytics: costs and revenue in, the nightly analytics run, the week in figures.');
  // The demo's week in the business time zone: Monday 9/28 to Sunday 10/4; its clients came in September.
  const monday = dateInZone(weekStart, TZ);
  const sunday = dateInZone(new Date(weekStart.getTime() + 6 * DAY), TZ);
  const month = monday.slice(0, 7);
  const nextMonth = dateInZone(new Date(weekStart.getTime() + 7 * DAY), TZ).slice(0, 7);

  // 王先生 and 陈女士 (地铁灯箱广告's clients) make their first deposits during the week: activations.
  const when = (days: number) => new Date(weekStart.getTime() + days * DAY + 11 * 3600_000).toISOString();
  const deposits = await k.api<{ results: { status: string }[] }>('POST', '/activation-events', {
    events: [
      { externalUserid: 'wm_demo_wang', kind: 'first_deposit', ref: 'demo-deposit-2', occurredAt: when(2) },
      { externalUserid: 'wm_demo_chen', kind: 'first_deposit', ref: 'demo-deposit-3', occurredAt: when(4) },
    ],
  });
  k.expect(
    deposits.results.every((r) => r.status === 'activated'),
    'the first deposits activate 王先生 and 陈女士',
  );
  say('   王先生 (Wed) and 陈女士 (Fri) made their first deposits: both are activated');
  for (const c of COSTS)
    await k.api('PUT', `/channels/${c.id}/costs/${month}`, { cost: c.cost, reach: c.reach, note: c.note });
  say(`   costs for ${month}: ${COSTS.map((c) => `${c.id} ¥${yuan(c.cost)}`).join('、')}`);
  const imported = await k.api<{ accepted: number }>(
    'POST',
    `/revenue/imports?fileName=revenue-${month}.csv`,
    ['external_userid,amount,occurred_at,ref', ...REVENUE.map((r) => r.join(','))].join('\n'),
    'text/csv',
  );
  k.expect(imported.accepted === REVENUE.length, 'the revenue file is imported');
  say(`   revenue file: ${imported.accepted} lines accepted`);

  // The nightly analytics, run now instead of at night.
  const started = Date.now();
  const scored = await k.api<{ rms: number }>('POST', '/engagement/recompute', {
    period: 'week',
    date: monday,
  });
  await k.api('POST', '/funnel/recompute', {});
  await k.api('POST', '/channel-profiles/recompute', { from: month, to: nextMonth });
  await k.api('POST', '/experiments/recompute');
  await k.api('POST', '/koc/influence/recompute');
  say(
    `   nightly analytics recomputed in ${((Date.now() - started) / 1000).toFixed(1)} s (${scored.rms} RMs scored)`,
  );

  // The RM engagement ranking of the week, and one RM's score explained.
  const rms = await k.api<{ items: { userid: string; name: string }[] }>('GET', '/rms?limit=50');
  const nameOfRm = (id: string) => rms.items.find((r) => r.userid === id)?.name ?? id;
  const ranking = (
    await k.api<{ items: Ranked[] }>('GET', `/engagement/rms?period=week&date=${monday}`)
  ).items.sort((a, b) => b.score - a.score);
  say(`   RM engagement, week of ${monday} (rank within branch):`);
  say('     名次  客户经理  分行      活跃度得分');
  for (const r of ranking)
    say(
      `     ${String(r.rank).padEnd(4)}  ${nameOfRm(r.rm).padEnd(6)}  ${(r.branch ?? '-').padEnd(6)}  ${r.score.toFixed(1)}`,
    );
  const best = ranking[0];
  k.expect(best !== undefined && best.score > 0, 'an RM has a non-zero engagement score');
  if (best) {
    const e = await k.api<{ score: number; components: Component[] }>(
      'GET',
      `/engagement/rms/${best.rm}?period=week&date=${monday}`,
    );
    say(`   why ${nameOfRm(best.rm)} scores ${e.score.toFixed(1)}:`);
    for (const c of e.components)
      say(
        `     ${(COMPONENT_ZH[c.component] ?? c.component).padEnd(4, '　')}  ${rawOf(c).padEnd(15)} × weight ${String(c.weight).padStart(2)}  → ${c.points.toFixed(2)} points`,
      );
    // Summed in the scoring's order and rounded like it (to 1e-6), so equal sums print equal.
    const sum = Math.round(e.components.reduce((s, c) => s + c.points, 0) * 1e6) / 1e6;
    k.expect(Math.abs(sum - e.score) < 0.05, 'the explanation adds up to the score');
    say(`     the points sum to ${sum.toFixed(1)} = the score ${e.score.toFixed(1)}`);
  }

  // The channel reports: the weekly funnel, and the monthly profiles with AAC and LROI.
  const profiles = await k.api<{ channels: { channelId: string; name: string; totals: Figures }[] }>(
    'GET',
    `/channel-profiles?from=${month}&to=${nextMonth}`,
  );
  const nameOf = (id: string) => profiles.channels.find((c) => c.channelId === id)?.name ?? id;
  const funnel = (
    await k.api<{ items: FunnelRow[] }>('GET', `/funnel?by=channel&from=${monday}&to=${sunday}`)
  ).items;
  say(`   funnel by channel, ${monday} – ${sunday} (曝光 = poster-link opens + the clients who scanned):`);
  for (const f of funnel)
    say(
      `     ${nameOf(f.key)}: 曝光 ${f.aware} → 获客 ${f.acquired} (${pct(f.acquisitionRate)}) → 激活 ${f.activated} (${pct(f.activationRate)})`,
    );
  k.expect(
    funnel.some((f) => f.acquired > 0 && f.activated > 0 && f.aware > f.acquired),
    'a channel funnel with awareness, acquisitions and activations',
  );

  say('   channel economics (AAC = cost ÷ activated clients, LROI = new-client revenue ÷ cost):');
  for (const c of profiles.channels) {
    const t = c.totals;
    say(
      `     ${c.name}: cost ¥${yuan(t.cost)}, ${t.acquired} new, ${t.activated} activated, AAC ${t.aac !== null ? `¥${yuan(t.aac)}` : t.aacNote === 'no cost entered' ? '未录入成本' : '暂无激活'}, revenue ¥${yuan(t.revenue)}, LROI ${t.lroi === null ? '未录入成本' : t.lroi.toFixed(2)}`,
    );
  }
  k.expect(
    profiles.channels.some((c) => c.totals.aac !== null) &&
      profiles.channels.some((c) => c.totals.aacNote === 'no activations'),
    'one channel has an AAC, the other no activations',
  );
}
