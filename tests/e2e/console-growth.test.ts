import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's growth page (增长分析) in a real headless Chromium. Two channels: 地铁海报 (branch A's RM)
 * brought 4 clients a few minutes ago, 2 of them activated; 理财沙龙 (branch B's RM) brought 2, none
 * activated. Branch B's RM also lost 3 of 10 older clients this week (a churn alert). Head-office ops enter a
 * cost through the page (a negative one refused beside the field), import revenue (a bad line refused by
 * number, then a good file), recompute, and see AAC, 暂无激活, the funnel, churn and cohorts; branch B's
 * ops see only their channel and neither import nor recompute.
 */
const world = useConsoleWorld([
  { userid: 'ops_all', name: '总行运营' },
  { userid: 'ops_b', name: '分行运营' },
  { userid: 'rm_a', name: '张经理' },
  { userid: 'rm_b', name: '赵经理' },
]);
const { axeProblems } = world;
const as = (r: request.Test) => world.asAdmin(r);
const app = () => world.web.app;
const exec = (q: ReturnType<typeof sql>) => queryRows(world.ctx.database.db, q);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Signs in as `name`, then opens `at` (sign-in comes back to the path only, not its query). */
const openAs = async (name: string, at: string): Promise<Page> => {
  const page = await world.signedIn(name, at.split('?')[0]);
  await page.goto(`${world.base}${at}`);
  await page.getByText('当前用户').waitFor();
  return page;
};

/** The cells (row header first) of every body row of `table`. */
const cells = (table: Locator) =>
  table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from(
          r.querySelectorAll('th, td'),
          (c: { textContent: string | null }) => c.textContent?.trim() ?? '',
        ),
      ),
    );

beforeAll(async () => {
  for (const [userid, name, branch] of [
    ['rm_a', '张经理', 'BR-A'],
    ['rm_b', '赵经理', 'BR-B'],
  ] as const) {
    await as(request(app()).put(`/api/v1/rms/${userid}`))
      .send({ name, branch })
      .expect(200);
  }
  await as(request(app()).put('/api/v1/staff/ops_all'))
    .send({ name: '总行运营', role: 'ops', branchScope: null })
    .expect(200);
  await as(request(app()).put('/api/v1/staff/ops_b'))
    .send({ name: '分行运营', role: 'ops', branchScope: 'BR-B' })
    .expect(200);
  for (const [id, name, rm] of [
    ['ch-poster', '地铁海报', 'rm_a'],
    ['ch-salon', '理财沙龙', 'rm_b'],
  ] as const) {
    await as(request(app()).post('/api/v1/channels'))
      .send({ id, name, state: id, rmUserids: [rm] })
      .expect(201);
  }
  // Test factories: clients as the contact callbacks leave them (acquired through a channel, with the RM).
  const acquire = async (
    id: string,
    rm: string,
    channel: string | null,
    at: string,
    activatedAt: string | null,
  ) => {
    await exec(sql`INSERT INTO clients (external_userid, owner_rm, channel_id, acquired_at, activated_at, tier)
                   VALUES (${id}, ${rm}, ${channel}, ${at}::timestamptz, ${activatedAt}::timestamptz, 'basic')`);
    await exec(sql`INSERT INTO client_rms (external_userid, rm_userid, added_at)
                   VALUES (${id}, ${rm}, ${at}::timestamptz)`);
  };
  for (const i of [1, 2, 3, 4])
    await acquire(`wm_p${i}`, 'rm_a', 'ch-poster', ago(10), i <= 2 ? ago(5) : null);
  for (const i of [1, 2]) await acquire(`wm_s${i}`, 'rm_b', 'ch-salon', ago(10), null);
  // Branch A's RM checked in with one new client: active in its first week.
  await exec(sql`INSERT INTO touches (rm, external_userid, kind, status, title, ref, created_at, done_at)
                 VALUES ('rm_a', 'wm_p1', 'check_in', 'done', 'e2e', 'growth-touch-1', ${ago(3)}::timestamptz,
                         ${ago(3)}::timestamptz)`);
  // Branch B's RM held 10 older clients (no channel); 3 deleted the RM a minute ago.
  for (let i = 0; i < 10; i++) await acquire(`wm_o${i}`, 'rm_b', null, ago(40 * 24 * 60), null);
  await exec(
    sql`UPDATE clients SET status = 'removed_by_client' WHERE external_userid IN ('wm_o0', 'wm_o1', 'wm_o2')`,
  );
  await exec(sql`UPDATE client_rms SET removed_at = ${ago(1)}::timestamptz
                 WHERE external_userid IN ('wm_o0', 'wm_o1', 'wm_o2')`);
});

describe('the growth page', () => {
  it('takes a cost (refusing a negative one beside the field) and revenue (a bad line by number), recomputes, and shows AAC and 暂无激活', async () => {
    const page = await openAs('总行运营', '/console/growth?tab=channels');
    await page.getByRole('heading', { name: '渠道画像', exact: true }).waitFor();

    const cost = page.getByRole('form', { name: '录入渠道成本' });
    await cost.getByLabel('渠道').selectOption({ label: '地铁海报' });
    await cost.getByLabel('成本（元）').fill('-5');
    await cost.getByRole('button', { name: '保存成本' }).click();
    const costField = cost.getByLabel('成本（元）');
    await expect.poll(() => costField.getAttribute('aria-invalid')).toBe('true');
    const described = await costField.getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).textContent()).toContain('成本不能为负数');
    await costField.fill('1000');
    await cost.getByLabel('触达人数（可选）').fill('5000');
    await cost.getByRole('button', { name: '保存成本' }).click();
    await cost
      .getByRole('status')
      .getByText(/^已保存 地铁海报 \d{4}-\d{2} 的成本 ¥1,000\.00/)
      .waitFor();
    expect(await costField.getAttribute('aria-invalid')).toBeNull();

    const revenue = page.getByRole('form', { name: '导入收入数据' });
    const header = 'external_userid,amount,occurred_at,ref';
    await revenue
      .getByLabel('收入数据（CSV）')
      .fill([header, `wm_p1,300.00,${ago(1)},R-1`, `wm_ghost,50,${ago(1)},R-2`].join('\n'));
    await revenue.getByRole('button', { name: '导入' }).click();
    const refusal = revenue.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('未做任何更改');
    expect(await cells(refusal.getByRole('table'))).toEqual([['3', 'external_userid', 'unknown client']]);
    expect(await axeProblems(page)).toEqual([]);
    await revenue.getByLabel('收入数据（CSV）').fill([header, `wm_p1,300.00,${ago(1)},R-1`].join('\n'));
    await revenue.getByRole('button', { name: '导入' }).click();
    await revenue
      .getByRole('status')
      .getByText('已导入：共 1 行，接受 1 行，跳过 0 行（此前已导入）。')
      .waitFor();
    expect(await revenue.getByRole('alert').count()).toBe(0);

    await page.getByRole('button', { name: '重新计算' }).click();
    await page.getByText(/^已重新计算 .* 的渠道画像/).waitFor();
    const table = page.getByRole('table', { name: /各渠道合计/ });
    await expect
      .poll(() => cells(table))
      .toEqual([
        ['地铁海报', '4', '2', expect.stringMatching(/天$/), '¥1,000.00', '¥300.00', '¥500.00', '0.30'],
        ['理财沙龙', '2', '0', '—', '¥0.00', '¥0.00', '暂无激活', '未录入成本'],
      ]);
    // AAC is drawn for the channel with activations; the other is listed, not drawn as 0.
    const chart = page.getByRole('img', { name: /各渠道 AAC 柱状图/ });
    expect(await chart.getAttribute('aria-label')).toBe('各渠道 AAC 柱状图：地铁海报 ¥500.00。');
    await page.getByText('暂无激活或未录入成本、未绘制的渠道：理财沙龙').waitFor();

    // A channel's detail: its mixes and months.
    await page.getByRole('button', { name: '查看渠道 地铁海报 的画像' }).click();
    expect(page.url()).toBe(`${world.base}/console/growth?tab=channels&channel=ch-poster`);
    const detail = page.getByRole('region', { name: '渠道画像 · 地铁海报' });
    const tiers = detail.getByRole('table', { name: '客户等级' });
    await expect.poll(() => cells(tiers)).toEqual([['basic', '4']]);
    expect(await axeProblems(page)).toEqual([]);
  }, 60_000);

  it("shows the funnel by channel with names, and the week's churn alert highlighted", async () => {
    const page = await openAs('总行运营', '/console/growth');
    await page.getByRole('heading', { name: '获客漏斗' }).waitFor();
    await page.getByRole('button', { name: '重新计算' }).click();
    await page.getByText(/^已重新计算 .* 的漏斗/).waitFor();
    const table = page.getByRole('table', { name: /的获客漏斗/ });
    await expect
      .poll(async () => (await cells(table)).sort())
      .toEqual([
        ['地铁海报', '4', '4', '2', '100.0%', '50.0%', '0', '0'],
        ['未知渠道', '10', '10', '0', '100.0%', '0.0%', '3', '0'],
        ['理财沙龙', '2', '2', '0', '100.0%', '0.0%', '0', '0'],
      ]);
    expect(await page.getByRole('link', { name: '下载 CSV' }).first().getAttribute('href')).toMatch(
      /^\/api\/v1\/funnel\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&by=channel&format=csv$/,
    );
    const churn = page.getByRole('region', { name: '流失' });
    await churn.getByText(/^客户经理 rm_b：流失 3 \/ 10（30\.0%，阈值 5\.0%）$/).waitFor();
    const alertRow = churn.locator('tr.growth-alert');
    expect(await cells(churn.getByRole('table'))).toEqual([['rm_b', '未知渠道', '3', '0', '流失预警']]);
    expect(await alertRow.count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
  }, 30_000);

  it('shows the retention cohorts as a shaded table', async () => {
    await as(request(app()).post('/api/v1/funnel/recompute')).send({}).expect(200);
    const page = await openAs('总行运营', '/console/growth?tab=cohorts');
    const table = page.getByRole('table', { name: /按获客周的留存/ });
    await table.waitFor();
    const rows = await cells(table);
    // The older cohort (10, 3 gone this week) and this week's (6 clients, one touched: active).
    expect(rows).toHaveLength(2);
    const [older, latest] = rows as [string[], string[]];
    expect(older.slice(1, 3)).toEqual(['10', '100.0%活跃 0.0%']);
    expect(older.filter((c) => c.startsWith('70.0%'))).toHaveLength(1);
    expect(latest.slice(1, 3)).toEqual(['6', '100.0%活跃 16.7%']);
    expect(await table.locator('td.shade-4').count()).toBeGreaterThan(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows a branch's ops only their channel, without the revenue import or recomputes", async () => {
    const page = await openAs('分行运营', '/console/growth?tab=channels');
    const table = page.getByRole('table', { name: /各渠道合计/ });
    await expect
      .poll(() => cells(table))
      .toEqual([['理财沙龙', '2', '0', '—', '¥0.00', '¥0.00', '暂无激活', '未录入成本']]);
    expect(await page.getByRole('form', { name: '导入收入数据' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '重新计算' }).count()).toBe(0);
    // Their cost form offers their own channel only.
    expect(await page.getByRole('form', { name: '录入渠道成本' }).getByLabel('渠道').textContent()).toBe(
      '理财沙龙',
    );
    expect(await axeProblems(page)).toEqual([]);
    // An RM has no growth page.
    const rm = await openAs('张经理', '/console/growth');
    await rm.getByRole('alert').getByText('你的角色无权查看此页面。').waitFor();
    expect(await rm.getByRole('navigation', { name: '主导航' }).getByText('增长分析').count()).toBe(0);
  });
});
