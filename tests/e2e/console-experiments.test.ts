import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's A/B experiments page and the KOC page's influence section in a real headless Chromium:
 * outcomes recorded through the API for the library's two-variant morning brief, recomputed; head-office
 * ops see each variant's rates and intervals, the winner sentence, a component's versions and recompute;
 * a branch's ops see only their branch's counts; the KOC page ranks a referring KOC's influence.
 */
const COMPONENT = 'morning-brief-daily';
const world = useConsoleWorld(
  [
    { userid: 'ops_all', name: '总行运营' },
    { userid: 'ops_a', name: '甲行运营' },
    { userid: 'rm_a', name: '张经理' },
    { userid: 'rm_b', name: '赵经理' },
  ],
  // Small samples judge here: a verdict needs 10 exposed per variant instead of 100.
  { env: { EXPERIMENT_MIN_EXPOSURES: '10' } },
);
const { axeProblems } = world;
const as = (r: request.Test) => world.asAdmin(r);
const app = () => world.web.app;
/** Signs in as `name`, then opens `at` (sign-in comes back to the path only, not its query). */
const openAs = async (name: string, at: string): Promise<Page> => {
  const page = await world.signedIn(name, at.split('?')[0]);
  if (at.includes('?')) {
    await page.goto(`${world.base}${at}`);
    await page.getByText('当前用户').waitFor();
  }
  return page;
};

beforeAll(async () => {
  for (const [userid, name, branch] of [
    ['rm_a', '张经理', 'BR-A'],
    ['rm_b', '赵经理', 'BR-B'],
  ] as const)
    await as(request(app()).put(`/api/v1/rms/${userid}`))
      .send({ name, branch })
      .expect(200);
  await as(request(app()).put('/api/v1/staff/ops_all'))
    .send({ name: '总行运营', role: 'ops', branchScope: null })
    .expect(200);
  await as(request(app()).put('/api/v1/staff/ops_a'))
    .send({ name: '甲行运营', role: 'ops', branchScope: 'BR-A' })
    .expect(200);

  // 24 clients in each branch: 1–12 were sent the control `concise`, 13–24 the variant `story`.
  const ids = (b: 'a' | 'b', from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `wm_${b}${from + i}`);
  const csv = ['external_userid,name,aum_band,risk_level,tags,owner_rm'];
  for (const b of ['a', 'b'] as const)
    for (const id of ids(b, 1, 24)) csv.push(`${id},客户${id.slice(3)},lt50k,C3,,rm_${b}`);
  await as(request(app()).post('/api/v1/clients/import?fileName=e2e.csv'))
    .set('content-type', 'text/csv')
    .send(`${csv.join('\n')}\n`)
    .expect(201);

  const versions = await as(request(app()).get(`/api/v1/content/components/${COMPONENT}/versions`)).expect(
    200,
  );
  const version = (versions.body.items as { version: number }[])[0]!.version;
  const record = (variantId: string, outcome: string) => (externalUserid: string) =>
    as(request(app()).post('/api/v1/content/outcomes'))
      .send({ componentId: COMPONENT, version, variantId, externalUserid, channel: 'text', outcome })
      .expect(201);
  // concise: 2 of branch A's 12 and 1 of branch B's clicked (3/24); story: 10 and 8 (18/24).
  const batches = [
    ...[...ids('a', 1, 12), ...ids('b', 1, 12)].map(record('concise', 'sent')),
    ...[...ids('a', 1, 2), ...ids('b', 1, 1)].map(record('concise', 'clicked')),
    ...[...ids('a', 13, 24), ...ids('b', 13, 24)].map(record('story', 'sent')),
    ...[...ids('a', 13, 22), ...ids('b', 13, 20)].map(record('story', 'clicked')),
  ];
  await Promise.all(batches);
  await as(request(app()).post('/api/v1/experiments/recompute')).expect(200);

  // A KOC who referred six clients in January (four activated) against ten similar clients without a KOC
  // (two activated); referrals arrive through WeCom callbacks, so the rows are inserted as the
  // integration test does.
  const db = world.ctx.database.db;
  const JAN = '2026-01-15T10:00:00+08:00';
  const client = (id: string, rm: string, tier: string, acquired: string, activated: boolean) =>
    queryRows(
      db,
      sql`INSERT INTO clients (external_userid, owner_rm, tier, acquired_at, activated_at, status)
          VALUES (${id}, ${rm}, ${tier}, ${acquired}::timestamptz,
                  ${activated ? acquired : null}::timestamptz, 'active')`,
    );
  await client('koc_a', 'rm_a', 'gold', '2025-06-01T10:00:00+08:00', true);
  for (let i = 1; i <= 6; i++) {
    await client(`ref_${i}`, 'rm_a', 'basic', JAN, i <= 4);
    await queryRows(
      db,
      sql`INSERT INTO referrals (referrer, referred, rm, state, status, added_at)
          VALUES ('koc_a', ${`ref_${i}`}, 'rm_a', 'rf-koc-a', ${i <= 4 ? 'rewarded' : 'pending'}, ${JAN}::timestamptz)`,
    );
  }
  for (let i = 1; i <= 10; i++) await client(`base_${i}`, 'rm_b', 'basic', JAN, i <= 2);
  await as(request(app()).post('/api/v1/koc/helpful'))
    .send({ externalUserid: 'koc_a', ref: 'ans-1' })
    .expect(200);
  await as(request(app()).post('/api/v1/koc/influence/recompute')).expect(200);
}, 60_000);

/** The cells (header and data) of every variant row in `region`. */
const variantRows = (region: ReturnType<Page['getByRole']>) =>
  region
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from(
          r.querySelectorAll('th, td'),
          (c: { textContent: string | null }) => c.textContent?.trim() ?? '',
        ),
      ),
    );
const card = (page: Page) =>
  page
    .getByRole('region', { name: '实验结果' })
    .getByRole('region', { name: new RegExp(`^早间财经速递（${COMPONENT}`) });

describe('the A/B experiments page', () => {
  it('shows head-office ops each variant with its rate and interval, the winner, and recomputes', async () => {
    const page = await world.signedIn('总行运营', '/console/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: 'A/B 实验' }).click();
    await page.getByRole('heading', { name: 'A/B 实验', level: 1 }).waitFor();
    const brief = card(page);
    await brief.getByRole('table').waitFor();
    expect(await brief.textContent()).toContain('story 方案点击率显著高于 concise 方案（p<0.001）');
    const api = await as(request(app()).get(`/api/v1/experiments/${COMPONENT}`)).expect(200);
    const [ctl, story] = api.body.experiments[0].variants as {
      ciLow: number;
      ciHigh: number;
      pValue: number;
    }[];
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const rows = await variantRows(brief);
    expect(rows).toEqual([
      [
        'concise（对照）',
        '24',
        '3',
        '12.5%',
        `${pct(ctl!.ciLow)} – ${pct(ctl!.ciHigh)}`,
        '— 对照方案',
        expect.any(String),
      ],
      [
        'story 胜出',
        '24',
        '18',
        '75.0%',
        `${pct(story!.ciLow)} – ${pct(story!.ciHigh)}`,
        '<0.001',
        'story 方案点击率显著高于 concise 方案（p<0.001）',
      ],
    ]);
    expect(story!.pValue).toBeLessThan(0.001);
    // The chart names every rate with its interval.
    const chart = brief.getByRole('img', { name: /置信区间/ });
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toBe(
      `早间财经速递各方案点击率及 95% 置信区间：concise 12.5%（${pct(ctl!.ciLow)} – ${pct(ctl!.ciHigh)}）；story 75.0%（${pct(story!.ciLow)} – ${pct(story!.ciHigh)}）`,
    );
    expect(await page.getByRole('link', { name: '下载 CSV' }).getAttribute('href')).toBe(
      '/api/v1/experiments?outcome=clicked&format=csv',
    );
    expect(await axeProblems(page)).toEqual([]);

    // The component's versions, then another outcome: nobody converted, so no winner.
    await brief.getByRole('button', { name: `查看 ${COMPONENT} 各版本` }).click();
    const detail = page.getByRole('region', { name: `${COMPONENT} 各版本结果` });
    await detail.getByRole('table').waitFor();
    expect(page.url()).toContain(`component=${COMPONENT}`);
    await page.getByLabel('转化指标').selectOption({ label: '成交' });
    await expect
      .poll(() => variantRows(card(page)).then((r) => r.map((c) => c.slice(0, 4))))
      .toEqual([
        ['concise（对照）', '24', '0', '0.0%'],
        ['story', '24', '0', '0.0%'],
      ]);
    expect(await card(page).textContent()).not.toContain('胜出');

    await page.getByRole('button', { name: '重新计算' }).click();
    await page
      .getByRole('status')
      .getByText(/^已重新计算，共 \d+ 行。$/)
      .waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows a branch's ops their branch's counts only, without recompute", async () => {
    const page = await openAs('甲行运营', '/console/experiments');
    const brief = card(page);
    await brief.getByRole('table').waitFor();
    expect((await variantRows(brief)).map((r) => r.slice(0, 4))).toEqual([
      ['concise（对照）', '12', '2', '16.7%'],
      ['story 胜出', '12', '10', '83.3%'],
    ]);
    expect(await page.getByRole('button', { name: '重新计算' }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });
});

describe('KOC influence on the KOC page', () => {
  it("ranks the KOC's people against the baseline and shows it in the candidate's explanation", async () => {
    const page = await openAs('总行运营', '/console/koc');
    const section = page.getByRole('region', { name: '影响力', exact: true });
    const row = section.getByRole('row', { name: /koc_a/ });
    await row.waitFor();
    const cells = await row.locator('th, td').allTextContents();
    expect(cells.slice(0, 5)).toEqual(['koc_a', '6', '1', '2', '6']);
    expect(cells[5]).toBe('66.7%，基准 20.0%，+46.7 个百分点');
    expect(await section.getByRole('link', { name: '下载影响力 CSV' }).getAttribute('href')).toBe(
      '/api/v1/koc/influence?limit=50&format=csv',
    );

    await row.getByRole('button', { name: 'koc_a' }).click();
    const explanation = page.getByRole('region', { name: '得分说明 · koc_a' });
    const influence = explanation.getByRole('region', { name: '影响力' });
    await influence.getByRole('table').waitFor();
    expect(await influence.textContent()).toContain(
      '带来 6 人（可比 6 人），有用解答 1 次，待激活推荐 2 人。',
    );
    expect(await axeProblems(page)).toEqual([]);
  });
});
