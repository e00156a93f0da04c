import type { Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's KOC page and a client's points in a real headless Chromium: ops see the candidates ranked
 * by score and one score explained contribution by contribution, invite a client to a circle (refused for
 * a circle without a group, a join link for one with a group), grant points with a reason, reverse the
 * grant once and see the second reversal refused; an RM sees only their own clients' candidates.
 */
const world = useConsoleWorld([
  { userid: 'ops_all', name: '总行运营' },
  { userid: 'rm_a', name: '张经理' },
  { userid: 'rm_b', name: '赵经理' },
]);
const { axeProblems } = world;

const as = (r: request.Test) => world.asAdmin(r);
/** Signs in as `name`, then opens `at` (sign-in comes back to the path only, not its query). */
const openAs = async (name: string, at: string): Promise<Page> => {
  const page = await world.signedIn(name, at.split('?')[0]);
  await page.goto(`${world.base}${at}`);
  await page.getByText('当前用户').waitFor();
  return page;
};
const app = () => world.web.app;

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
  const csv = [
    'external_userid,name,aum_band,risk_level,tags,owner_rm',
    'wm_k1,王小明,lt50k,C3,,rm_a',
    'wm_k2,李晓红,lt50k,C2,,rm_a',
    'wm_k3,赵大海,lt50k,C4,,rm_b',
  ].join('\n');
  await as(request(app()).post('/api/v1/clients/import?fileName=e2e.csv'))
    .set('content-type', 'text/csv')
    .send(`${csv}\n`)
    .expect(201);

  // wm_k1: two helpful answers and a shared link another client clicked (5 + 5 + 1); wm_k3: one helpful
  // answer (5); wm_k2: one click (1).
  const helpful = (externalUserid: string, ref: string) =>
    as(request(app()).post('/api/v1/koc/helpful')).send({ externalUserid, ref }).expect(200);
  const click = (sharer: string, clicker: string, linkId: string) =>
    as(request(app()).post('/api/v1/koc/share-clicks'))
      .send({ sharer, clicker, linkId })
      .expect(200)
      .then((r) => expect(r.body.counted).toBe(true));
  await helpful('wm_k1', 'chat-1');
  await helpful('wm_k1', 'chat-2');
  await click('wm_k1', 'wm_k2', 'link-1');
  await helpful('wm_k3', 'chat-3');
  await click('wm_k2', 'wm_k1', 'link-2');

  // The private-banking salon has a group (so an invitation gets its join link); the KOC circle has none.
  world.emu.emulator.seed({
    groups: [{ chatId: 'wr_salon_1', owner: 'rm_a', name: '私行沙龙1群', members: [] }],
  });
  await as(request(app()).post('/api/v1/groups'))
    .send({ chatId: 'wr_salon_1', name: '私行沙龙1群', groupKey: 'private-banking-salon', capacity: 50 })
    .expect(201);
});

/** The cells of every row of the candidates' ranking. */
const ranking = (page: Page) =>
  page
    .getByRole('region', { name: '候选人排名' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from(
          r.querySelectorAll('td'),
          (td: { textContent: string | null }) => td.textContent?.trim() ?? '',
        ),
      ),
    );

describe('the KOC page', () => {
  it('ranks the candidates for ops and explains one score contribution by contribution', async () => {
    const page = await world.signedIn('总行运营', '/console/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: 'KOC' }).click();
    await page.getByRole('heading', { name: 'KOC 候选人' }).waitFor();
    // Names and owner RMs arrive from each client's profile.
    await expect
      .poll(() => ranking(page))
      .toEqual([
        ['1', '王**', 'wm_k1', '11.00', 'rm_a'],
        ['2', '赵**', 'wm_k3', '5.00', 'rm_b'],
        ['3', '李**', 'wm_k2', '1.00', 'rm_a'],
      ]);
    expect(await page.locator('main').textContent()).not.toContain('王小明');

    await page.getByRole('button', { name: '查看客户 wm_k1 的得分说明' }).click();
    expect(page.url()).toBe(`${world.base}/console/koc?id=wm_k1`);
    const explanation = page.getByRole('region', { name: '得分说明 · wm_k1' });
    const table = explanation.getByRole('table');
    await table.waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((rs) =>
        rs.map((r) =>
          Array.from(r.querySelectorAll('td'), (td: { textContent: string | null }) => td.textContent ?? ''),
        ),
      );
    expect(rows.map((r) => [r[0], r[1], r[3], r[4]]).sort()).toEqual(
      [
        ['分享被点击', '1', '0.0 天', '1.00'],
        ['帮助解答', '5', '0.0 天', '5.00'],
        ['帮助解答', '5', '0.0 天', '5.00'],
      ].sort(),
    );
    // The contributions' decayed values sum to the score the page and the API show.
    const total = await table.locator('tfoot td').textContent();
    expect(total).toBe('11.00');
    expect(await explanation.textContent()).toContain('得分 11.00');
    const api = await as(request(app()).get('/api/v1/koc/candidates/wm_k1')).expect(200);
    const sum = (api.body.contributions as { decayed: number }[]).reduce((s, c) => s + c.decayed, 0);
    expect(sum).toBeCloseTo(api.body.score, 9);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows the API's refusal next to the invitation for a circle with no group, and a join link for one with a group", async () => {
    const page = await openAs('总行运营', '/console/koc?id=wm_k3');
    const invite = page.getByRole('form', { name: '邀请加入圈子' });
    await invite.getByLabel('圈子').selectOption({ label: 'KOC核心圈' });
    await invite.getByRole('button', { name: '邀请加入圈子' }).click();
    const refusal = invite.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('该圈子还没有客户群');
    expect(await invite.getByLabel('圈子').getAttribute('aria-invalid')).toBe('true');
    expect(await axeProblems(page)).toEqual([]);

    await invite.getByLabel('圈子').selectOption({ label: '私行沙龙' });
    await invite.getByRole('button', { name: '邀请加入圈子' }).click();
    const done = invite.getByRole('status');
    await done.waitFor();
    expect(await done.textContent()).toContain('已邀请客户加入“私行沙龙”');
    const group = await as(request(app()).get('/api/v1/groups')).expect(200);
    const salon = (group.body.items as { chatId: string; joinWayQr: string | null }[]).find(
      (g) => g.chatId === 'wr_salon_1',
    );
    expect(await done.getByRole('link').getAttribute('href')).toBe(salon?.joinWayQr);
    expect(await invite.getByRole('alert').count()).toBe(0);
    const invites = await as(request(app()).get('/api/v1/circles/private-banking-salon/invites')).expect(200);
    expect(invites.body.items).toMatchObject([{ externalUserid: 'wm_k3', status: 'invited' }]);
  });

  it("shows an RM only their own clients' candidates", async () => {
    const page = await world.signedIn('张经理', '/console/koc');
    await expect
      .poll(() => ranking(page))
      .toEqual([
        ['1', '王**', 'wm_k1', '11.00', 'rm_a'],
        ['2', '李**', 'wm_k2', '1.00', 'rm_a'],
      ]);
    expect(await page.locator('main').textContent()).not.toContain('wm_k3');
    // Another RM's client is not found, by URL as by API.
    await page.goto(`${world.base}/console/koc?id=wm_k3`);
    await page.getByRole('region', { name: '得分说明 · wm_k3' }).getByRole('alert').waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });
});

describe("a client's points", () => {
  const ledgerRows = (page: Page) =>
    page
      .getByRole('region', { name: '积分' })
      .getByRole('table')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from(
            r.querySelectorAll('td'),
            (td: { textContent: string | null }) => td.textContent?.trim() ?? '',
          ),
        ),
      );
  const balance = (page: Page) => page.getByTestId('points-balance').textContent();

  it('grants with a reason, shows the balance, level and ledger row, reverses once and refuses the second reversal', async () => {
    const page = await openAs('总行运营', '/console/clients?id=wm_k2');
    const points = page.getByRole('region', { name: '积分' });
    await expect.poll(() => balance(page)).toBe('0');
    expect(await points.textContent()).toContain('普卡');
    await points.getByText('还没有积分记录。').waitFor();

    // No reason: the API's problem is shown next to the reason field.
    const grant = points.getByRole('form', { name: '发放积分' });
    await grant.getByLabel('积分数量').fill('1200');
    await grant.getByRole('button', { name: '发放' }).click();
    const reasonField = grant.getByLabel('发放原因');
    await expect.poll(() => reasonField.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await reasonField.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toMatch(/\S/);
    expect(await axeProblems(page)).toEqual([]);

    await reasonField.fill('线下活动补发');
    await grant.getByRole('button', { name: '发放' }).click();
    await grant.getByRole('status').getByText('已发放 1200 积分，当前余额 1200。').waitFor();
    await expect.poll(() => balance(page)).toBe('1200');
    expect(await points.textContent()).toContain('银卡');
    expect(await points.textContent()).toContain('福利日专属名额');
    await expect.poll(() => ledgerRows(page).then((r) => r.length)).toBe(1);
    const [row] = await ledgerRows(page);
    expect(row![0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(row!.slice(1, 4)).toEqual(['发放', '+1200', '线下活动补发']);
    expect(row![4]).toMatch(/^运营发放（.+）$/);
    expect(row![5]).toBe('冲正');

    // A second console tab still shows the grant as not reversed.
    const stale = await openAs('总行运营', '/console/clients?id=wm_k2');
    await expect.poll(() => ledgerRows(stale).then((r) => r.length)).toBe(1);

    // Reverse it: a reason, then the confirmation.
    await points.getByRole('button', { name: /^冲正明细 \d+$/ }).click();
    const form = points.getByRole('form', { name: /^冲正明细 \d+$/ });
    await form.getByLabel('冲正原因').fill('发放有误');
    await form.getByRole('button', { name: '确认冲正' }).click();
    await expect.poll(() => balance(page)).toBe('0');
    expect(await points.textContent()).toContain('普卡');
    await expect.poll(() => ledgerRows(page).then((r) => r.length)).toBe(2);
    const [reversal, granted] = await ledgerRows(page);
    expect(reversal!.slice(1, 4)).toEqual([expect.stringMatching(/^冲正冲正明细 \d+$/), '-1200', '发放有误']);
    expect(granted![1]).toMatch(/^发放已冲正（明细 \d+）$/);
    // Neither row offers another reversal.
    expect(await points.getByRole('button', { name: /^冲正明细/ }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);

    // The stale tab tries again: the API refuses, and the refusal is shown in that row.
    const stalePoints = stale.getByRole('region', { name: '积分' });
    await stalePoints.getByRole('button', { name: /^冲正明细 \d+$/ }).click();
    const staleForm = stalePoints.getByRole('form', { name: /^冲正明细 \d+$/ });
    await staleForm.getByLabel('冲正原因').fill('重复操作');
    await staleForm.getByRole('button', { name: '确认冲正' }).click();
    const refusal = staleForm.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('该记录已撤销过，不能重复撤销。');
    expect(await staleForm.getByLabel('冲正原因').getAttribute('aria-invalid')).toBe('true');
    const ledger = await as(request(app()).get('/api/v1/clients/wm_k2/points')).expect(200);
    expect(ledger.body.balance).toBe(0);
    expect(ledger.body.ledger.items).toHaveLength(2);
  }, 60_000);

  it("shows an RM their client's points without the grant form or reversals", async () => {
    await as(request(app()).post('/api/v1/clients/wm_k1/points/grants'))
      .send({ amount: 30, reason: '夜校签到' })
      .expect(201);
    const page = await openAs('张经理', '/console/clients?id=wm_k1');
    await expect.poll(() => balance(page)).toBe('30');
    const points = page.getByRole('region', { name: '积分' });
    await expect
      .poll(() => ledgerRows(page))
      .toEqual([
        [expect.stringMatching(/^\d{4}-/), '发放', '+30', '夜校签到', expect.stringMatching(/^运营发放/)],
      ]);
    expect(await points.getByRole('form', { name: '发放积分' }).count()).toBe(0);
    expect(await points.getByRole('button', { name: /冲正/ }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });
});
