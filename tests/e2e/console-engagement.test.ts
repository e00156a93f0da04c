import type { Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../console/src/time.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's RM engagement page in a real headless Chromium: RMs of two branches log touches with their
 * clients through the API and today is recomputed; head-office ops see both branches' rankings, open one
 * RM's explanation down to the touch-log rows and recompute a period not computed yet; branch ops see only
 * their branch, an RM only themself.
 */
const world = useConsoleWorld([
  { userid: 'ops_all', name: '总行运营' },
  { userid: 'ops_a', name: '甲行运营' },
  { userid: 'rm_a1', name: '张经理' },
  { userid: 'rm_a2', name: '李经理' },
  { userid: 'rm_b1', name: '赵经理' },
]);
const { axeProblems } = world;
const as = (r: request.Test) => world.asAdmin(r);
const app = () => world.web.app;
// The touches are logged now: today's day period (Shanghai) is the one scored.
const today = dayOf(new Date());

beforeAll(async () => {
  for (const [userid, name, branch] of [
    ['rm_a1', '张经理', 'BR-A'],
    ['rm_a2', '李经理', 'BR-A'],
    ['rm_b1', '赵经理', 'BR-B'],
  ] as const) {
    await as(request(app()).put(`/api/v1/rms/${userid}`))
      .send({ name, branch })
      .expect(200);
  }
  for (const [userid, name, branchScope] of [
    ['ops_all', '总行运营', null],
    ['ops_a', '甲行运营', 'BR-A'],
  ] as const) {
    await as(request(app()).put(`/api/v1/staff/${userid}`))
      .send({ name, role: 'ops', branchScope })
      .expect(200);
  }
  const csv = [
    'external_userid,name,aum_band,risk_level,tags,owner_rm',
    'wm_e1,王一,lt50k,C3,,rm_a1',
    'wm_e2,王二,lt50k,C3,,rm_a1',
    'wm_e3,王三,lt50k,C3,,rm_a2',
    'wm_e4,王四,lt50k,C3,,rm_a2',
    'wm_e5,王五,lt50k,C3,,rm_b1',
    'wm_e6,王六,lt50k,C3,,rm_b1',
  ].join('\n');
  await as(request(app()).post('/api/v1/clients/import?fileName=e2e.csv'))
    .set('content-type', 'text/csv')
    .send(`${csv}\n`)
    .expect(201);

  // Each RM logs touches with their own token: rm_a1 reaches both clients (one a check-in, which counts as
  // emotional care), rm_a2 one follow-up, rm_b1 one check-in.
  const tokens = createTokenService({ db: world.ctx.database.db, audit: createAuditRepository() });
  const secrets = new Map<string, string>();
  const touch = async (rm: string, externalUserid: string, kind: 'check_in' | 'follow_up', title: string) => {
    if (!secrets.has(rm))
      secrets.set(
        rm,
        (await tokens.create({ name: rm, role: 'rm', branchScope: null, actor: 'test' })).secret,
      );
    await request(app())
      .post('/api/v1/tasks/touches')
      .set('authorization', `Bearer ${secrets.get(rm)}`)
      .send({ externalUserid, kind, title, ref: title })
      .expect(201);
  };
  await touch('rm_a1', 'wm_e1', 'check_in', '关怀回访一');
  await touch('rm_a1', 'wm_e2', 'follow_up', '产品跟进二');
  await touch('rm_a2', 'wm_e3', 'follow_up', '产品跟进三');
  await touch('rm_b1', 'wm_e5', 'check_in', '关怀回访五');
  // rm_a2 follows wm_e3 up 21 more times: more rows than one page of the drill-down holds.
  for (let i = 1; i <= 21; i++) await touch('rm_a2', 'wm_e3', 'follow_up', `追加跟进${i}`);
  await as(request(app()).post('/api/v1/engagement/recompute'))
    .send({ period: 'day', date: today })
    .expect(200);
});

/** The cells of every row of the ranking table titled `name`. */
const rows = (page: Page, name: string) =>
  page
    .getByRole('table', { name })
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((r) =>
        Array.from(
          r.querySelectorAll('td, th'),
          (c: { textContent: string | null }) => c.textContent?.trim() ?? '',
        ),
      ),
    );

/** Signs in as `name` on the engagement page and asks for today's ranking through the form. */
const todayAs = async (name: string): Promise<Page> => {
  const page = await world.signedIn(name, '/console/engagement');
  await page.getByRole('heading', { name: '客户经理考核', level: 1 }).waitFor();
  await page.getByLabel('日期（周期内任一天）').fill(today);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText(`统计日期 ${today}，计算于`).waitFor();
  return page;
};

describe('the RM engagement page', () => {
  it("ranks both branches for head-office ops and explains one RM's score down to the touch log", async () => {
    const page = await todayAs('总行运营');
    expect(page.url()).toBe(`${world.base}/console/engagement?period=day&date=${today}`);
    // One query form, not one per query asked.
    expect(await page.getByRole('form', { name: '查询条件' }).count()).toBe(1);
    const api = await as(request(app()).get(`/api/v1/engagement/rms?period=day&date=${today}`)).expect(200);
    const a1 = (api.body.items as { rm: string; score: number }[]).find((r) => r.rm === 'rm_a1');
    // Columns: branch, rank, RM, score, then the six components' points.
    expect((await rows(page, 'BR-A 排名')).map((r) => r.slice(0, 4))).toEqual([
      ['BR-A', '1', 'rm_a1', a1?.score.toFixed(2)],
      ['BR-A', '2', 'rm_a2', expect.any(String)],
    ]);
    expect((await rows(page, 'BR-B 排名')).map((r) => r.slice(0, 3))).toEqual([['BR-B', '1', 'rm_b1']]);
    // rm_a1 touched both clients (coverage 15 of 15) and, with rm_b1, leads emotional care (30 of 30).
    const [first] = await rows(page, 'BR-A 排名');
    expect(first?.slice(4)).toEqual(['0.00', '15.00', '0.00', '30.00', '0.00', '0.00']);
    const chart = page.getByRole('img', { name: /^得分前 3 名客户经理的横向条形图/ });
    expect(await chart.getAttribute('aria-label')).toContain('rm_a1 45.00 分');
    const csv = await page.getByRole('link', { name: '下载 CSV' }).getAttribute('href');
    expect(csv).toBe(`/api/v1/engagement/rms?period=day&date=${today}&format=csv`);

    await page.getByRole('button', { name: '查看客户经理 rm_a1 的得分说明' }).click();
    expect(page.url()).toContain('rm=rm_a1');
    const explanation = page.getByRole('region', { name: '得分说明 · rm_a1' });
    await explanation.getByText('BR-A第 1 名，总分 45.00').waitFor();
    const components = await rows(page, '得分说明 · rm_a1');
    expect(components.find((r) => r[0] === '客户覆盖')).toEqual([
      '客户覆盖',
      '100.0%',
      '100.0% → 1.00',
      '15%',
      '15.00',
      expect.stringContaining('名下客户 2，已触达客户 2'),
    ]);
    expect(components.find((r) => r[0] === '情感关怀')?.slice(1, 5)).toEqual([
      '50/百人',
      '50/百人，95分位 50 → 1.00',
      '30%',
      '30.00',
    ]);
    expect(await explanation.locator('tfoot td').first().textContent()).toBe('45.00');
    // The trend: today's score last, as a chart and a table.
    const trend = await rows(page, '近 8 个周期走势');
    expect(trend).toHaveLength(8);
    expect(trend.at(-1)).toEqual([today, '45.00']);
    await explanation.getByRole('img', { name: /近 8 个周期总分折线图/ }).waitFor();

    await explanation.getByRole('button', { name: '查看明细（情感关怀）' }).click();
    const touches = explanation.getByRole('region', { name: '情感关怀明细 · rm_a1' });
    await touches.getByRole('table').waitFor();
    expect((await rows(page, '情感关怀明细 · rm_a1')).map((r) => r.slice(1))).toEqual([
      ['关怀回访', '是', 'wm_e1', '关怀回访一'],
    ]);
    await explanation.getByRole('button', { name: '查看明细（客户覆盖）' }).click();
    await expect
      .poll(() => rows(page, '客户覆盖明细 · rm_a1').then((r) => r.map((x) => x[4]).sort()))
      .toEqual(['产品跟进二', '关怀回访一']);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("pages through the touch-log rows behind an RM's coverage", async () => {
    const page = await world.signedIn('总行运营', '/console/engagement');
    await page.goto(`${world.base}/console/engagement?period=day&date=${today}&rm=rm_a2`);
    const explanation = page.getByRole('region', { name: '得分说明 · rm_a2' });
    await explanation.getByRole('button', { name: '查看明细（客户覆盖）' }).click();
    const coverage = () => rows(page, '客户覆盖明细 · rm_a2');
    await expect.poll(() => coverage().then((r) => r.length)).toBe(20);
    await explanation.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => coverage().then((r) => r.length)).toBe(22);
    const titles = (await coverage()).map((r) => r[4]);
    expect(new Set(titles).size).toBe(22);
    expect(titles).toContain('产品跟进三');
    expect(await explanation.getByRole('button', { name: '加载更多' }).count()).toBe(0);
  });

  it('tells head-office ops a period is not computed yet, and recomputes it on demand', async () => {
    const page = await world.signedIn('总行运营', '/console/engagement');
    await page.getByLabel('周期', { exact: true }).selectOption({ label: '月' });
    await page.getByLabel('日期（周期内任一天）').fill('2025-01-15');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('统计周期 2025-01-01 至 2025-01-31').waitFor();
    await page.getByText('尚未计算：夜间任务完成后显示').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await page.getByRole('button', { name: '重新计算' }).click();
    await page.getByText(/^已重新计算 3 位客户经理的得分/).waitFor();
    // Computed now (nobody did anything that month): every RM is ranked with 0.
    await expect
      .poll(() => rows(page, 'BR-B 排名').then((r) => r.map((x) => x.slice(2, 4))))
      .toEqual([['rm_b1', '0.00']]);
    expect(await page.getByText('尚未计算').count()).toBe(0);
  });

  it("shows branch ops only their branch's RMs and an RM only themself, without the branch filter or recompute", async () => {
    const page = await todayAs('甲行运营');
    expect((await rows(page, 'BR-A 排名')).map((r) => r[2])).toEqual(['rm_a1', 'rm_a2']);
    expect(await page.getByRole('table', { name: 'BR-B 排名' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('rm_b1');
    expect(await page.getByLabel('分行', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '重新计算' }).count()).toBe(0);
    // Another branch's RM is not found, by URL as by API.
    await page.goto(`${world.base}/console/engagement?period=day&date=${today}&rm=rm_b1`);
    await page.getByRole('region', { name: '得分说明 · rm_b1' }).getByRole('alert').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    const rm = await todayAs('李经理');
    expect((await rows(rm, 'BR-A 排名')).map((r) => r.slice(0, 3))).toEqual([['BR-A', '2', 'rm_a2']]);
    expect(await rm.locator('main').textContent()).not.toContain('rm_a1');
    expect(await rm.getByRole('button', { name: '重新计算' }).count()).toBe(0);
    expect(await axeProblems(rm)).toEqual([]);
  });
});
