import type { Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTouchesRepository } from '../../src/modules/engagement/touches.repository.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's clients page in a real headless Chromium, with two branches: branch A's ops see branch A's
 * clients (a page at a time, names masked) and nothing of branch B's on any page, search finds clients on
 * the server, a client's profile shows its timeline, an RM sees only their own clients, and the routing
 * preview shows the API's problem next to its field.
 */
const world = useConsoleWorld([
  { userid: 'ops_a', name: '甲支行运营' },
  { userid: 'rm_a', name: '张经理' },
  { userid: 'rm_a2', name: '周经理' },
  { userid: 'rm_b', name: '赵经理' },
]);
const { axeProblems } = world;
/** Opens the console at `at` and signs in as `name` on the emulator's WeCom page. */
const signedIn = (name: string, at: string): Promise<Page> => world.signedIn(name, at);

// Branch A's RM (张经理) owns 王小明, 李晓红 and enough more clients for a second page; 赵经理 of branch B
// owns 赵大海. Another RM of branch A (周经理) owns 孙丽丽.
const FILLERS = Array.from({ length: 53 }, (_, i) => `wm_a_f${String(i).padStart(3, '0')}`);
const A_CLIENTS = ['wm_a1', 'wm_a2', ...FILLERS];
const B_CLIENT = { id: 'wm_b1', name: '赵大海' };

beforeAll(async () => {
  const as = (r: request.Test) => world.asAdmin(r);
  for (const [userid, name, branch] of [
    ['rm_a', '张经理', 'BR-A'],
    ['rm_a2', '周经理', 'BR-A'],
    ['rm_b', '赵经理', 'BR-B'],
  ] as const) {
    await as(request(world.web.app).put(`/api/v1/rms/${userid}`))
      .send({ name, branch })
      .expect(200);
  }
  await as(request(world.web.app).put('/api/v1/staff/ops_a'))
    .send({ name: '甲支行运营', role: 'ops', branchScope: 'BR-A' })
    .expect(200);
  const csv = [
    'external_userid,name,aum_band,risk_level,tags,owner_rm',
    'wm_a1,王小明,500k-6m,C3,基金|定投,rm_a',
    'wm_a2,李晓红,lt50k,C2,,rm_a',
    ...FILLERS.map((id, i) => `${id},钱${String.fromCodePoint(0x4e00 + i)}${i},lt50k,C1,,rm_a`),
    'wm_a3,孙丽丽,50k-500k,C2,信用卡,rm_a2',
    `${B_CLIENT.id},${B_CLIENT.name},ge6m,C4,留学,rm_b`,
  ].join('\n');
  await as(request(world.web.app).post('/api/v1/clients/import?fileName=e2e.csv'))
    .set('content-type', 'text/csv')
    .send(`${csv}\n`)
    .expect(201);

  // 王小明's timeline: a quarterly check-in, then 20 newer follow-ups, so the check-in is on the second page.
  const touches = createTouchesRepository();
  const db = world.ctx.database.db;
  const touch = (title: string, kind: 'check_in' | 'follow_up', ref: string) => ({
    rm: 'rm_a',
    externalUserid: 'wm_a1',
    kind,
    emotional: false,
    status: 'done' as const,
    title,
    ref,
  });
  await touches.insert(db, [touch('季度回访', 'check_in', 'e2e-check-in')], new Date('2026-03-03T02:05:00Z'));
  for (let i = 0; i < 20; i++) {
    await touches.insert(
      db,
      [touch(`电话跟进${i}`, 'follow_up', `e2e-follow-up-${i}`)],
      new Date(Date.UTC(2026, 2, 4, 1, i)),
    );
  }
});

/** The client ids the list shows (one button per row). */
const listedIds = (page: Page) =>
  page.getByRole('region', { name: '客户列表' }).locator('tbody tr td:nth-child(2) button').allTextContents();

const mainText = (page: Page) =>
  page
    .locator('main')
    .textContent()
    .then((t) => t ?? '');

describe('the clients page', () => {
  it("shows branch A's ops every client of branch A, a page at a time, and none of branch B's", async () => {
    const page = await signedIn('甲支行运营', '/console/clients');
    const list = page.getByRole('region', { name: '客户列表' });
    await list.getByRole('button', { name: '查看客户 wm_a1 的资料' }).waitFor();
    expect(await listedIds(page)).toHaveLength(50);
    await list.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => listedIds(page).then((ids) => ids.length)).toBe(A_CLIENTS.length + 1);
    expect((await listedIds(page)).sort()).toEqual([...A_CLIENTS, 'wm_a3'].sort());
    expect(await list.getByRole('button', { name: '加载更多' }).count()).toBe(0);

    // Names are masked: the surname, then a star for every other character.
    const row = list.getByRole('row', { name: /wm_a1/ });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      '王**',
      'wm_a1',
      '高级（金葵花）',
      '—',
      'rm_a',
      'BR-A',
      '正常',
    ]);
    const text = await mainText(page);
    expect(text).not.toContain('王小明');
    expect(text).not.toContain(B_CLIENT.id);
    expect(text).not.toContain('赵大');
    expect(text).not.toContain('BR-B');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('filters by tier and owner RM, and searches every client in scope by name or id', async () => {
    const page = await signedIn('甲支行运营', '/console/clients');
    const list = page.getByRole('region', { name: '客户列表' });
    await list.getByRole('button', { name: '查看客户 wm_a1 的资料' }).waitFor();
    await list.getByLabel('层级').selectOption({ label: '高级（金葵花）' });
    await list.getByRole('button', { name: '筛选', exact: true }).click();
    await expect.poll(() => listedIds(page)).toEqual(['wm_a1']);

    await list.getByLabel('层级').selectOption({ label: '全部层级' });
    await list.getByLabel('客户经理').fill('rm_a2');
    await list.getByRole('button', { name: '筛选', exact: true }).click();
    await expect.poll(() => listedIds(page)).toEqual(['wm_a3']);
    await list.getByLabel('客户经理').fill('');
    await list.getByRole('button', { name: '筛选', exact: true }).click();
    await expect.poll(() => listedIds(page).then((ids) => ids.length)).toBe(50);

    // The search goes to the server (Enter submits it), so it finds clients not loaded yet.
    const search = page.getByRole('search', { name: '搜索客户' }).getByRole('searchbox');
    await search.fill('晓红');
    await search.press('Enter');
    await expect.poll(() => listedIds(page)).toEqual(['wm_a2']);
    await search.fill('WM_A1');
    await search.press('Enter');
    await expect.poll(() => listedIds(page)).toEqual(['wm_a1']);
    await search.fill('钱');
    await search.press('Enter');
    await expect.poll(() => listedIds(page).then((ids) => ids.length)).toBe(50);
    await list.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => listedIds(page).then((ids) => ids.sort())).toEqual(FILLERS);
    // Branch B's client is not in scope, so no search finds it.
    await search.fill('赵');
    await search.press('Enter');
    await list.getByText('没有符合条件的客户。').waitFor();
    expect(await listedIds(page)).toEqual([]);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('finds a client by name, opens it and shows its timeline in Shanghai time, a page at a time', async () => {
    const page = await signedIn('甲支行运营', '/console/clients');
    const list = page.getByRole('region', { name: '客户列表' });
    const search = list.getByRole('searchbox', { name: /搜索客户/ });
    await search.fill('小明');
    await search.press('Enter');
    await expect.poll(() => listedIds(page)).toEqual(['wm_a1']);
    await list.getByRole('button', { name: '查看客户 wm_a1 的资料' }).click();

    const timeline = page.getByRole('region', { name: '客户动态' });
    const rows = timeline.locator('tbody tr');
    await timeline.getByRole('row', { name: /电话跟进19/ }).waitFor();
    expect(await rows.count()).toBe(20);
    expect(await rows.first().getByRole('cell').allTextContents()).toEqual([
      '2026-03-04 09:19',
      '客户经理触达',
      '电话跟进19',
      '已完成（跟进）',
      'rm_a',
    ]);
    await timeline.getByRole('button', { name: '加载更多' }).click();
    const checkIn = timeline.getByRole('row', { name: /季度回访/ });
    await checkIn.waitFor();
    expect(await checkIn.getByRole('cell').allTextContents()).toEqual([
      '2026-03-03 10:05',
      '客户经理触达',
      '季度回访',
      '已完成（回访）',
      'rm_a',
    ]);
    expect(await rows.count()).toBe(21);
    expect(await timeline.getByRole('button', { name: '加载更多' }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows a client's profile, and not found for branch B's client by URL and by API", async () => {
    const page = await signedIn('甲支行运营', '/console/clients');
    await page.getByRole('button', { name: '查看客户 wm_a1 的资料' }).click();
    const profile = page.getByRole('region', { name: /客户资料/ });
    await profile.getByText('C3').waitFor();
    expect(page.url()).toBe(`${world.base}/console/clients?id=wm_a1`);
    const profileText = (await profile.textContent()) ?? '';
    expect(profileText).toContain('王**');
    expect(profileText).not.toContain('王小明');
    expect(profileText).toContain('基金、定投');
    expect(profileText).toContain('50万–600万');
    expect(profileText).toContain('高级（金葵花）');
    expect(await axeProblems(page)).toEqual([]);

    await page.goto(`${world.base}/console/clients?id=${B_CLIENT.id}`);
    await page.getByText('你的范围内没有这位客户。').waitFor();
    expect(await mainText(page)).not.toContain('赵大');
    const res = await page.request.get(`${world.base}/api/v1/clients/${B_CLIENT.id}`);
    expect(res.status()).toBe(404);
    expect(await res.text()).not.toContain(B_CLIENT.name);
    const list = await page.request.get(`${world.base}/api/v1/clients?limit=200`);
    expect(list.status()).toBe(200);
    expect(await list.text()).not.toContain(B_CLIENT.id);
  });

  it("does not show branch B's client on the overview or the calendar", async () => {
    const page = await signedIn('甲支行运营', '/console/');
    await page.getByRole('heading', { name: '今日概览' }).waitFor();
    for (const at of ['/console/', '/console/calendar']) {
      await page.goto(`${world.base}${at}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const text = await mainText(page);
      expect(text).not.toContain(B_CLIENT.name);
      expect(text).not.toContain(B_CLIENT.id);
    }
  });

  it('shows an RM only their own clients, and no routing preview', async () => {
    const page = await signedIn('周经理', '/console/clients');
    const list = page.getByRole('region', { name: '客户列表' });
    await list.getByRole('button', { name: '查看客户 wm_a3 的资料' }).waitFor();
    expect(await listedIds(page)).toEqual(['wm_a3']);
    await page.getByRole('heading', { name: '分层策略' }).waitFor();
    expect(await page.getByRole('form', { name: '分群预演' }).count()).toBe(0);
    await page.goto(`${world.base}/console/clients?id=wm_a1`);
    await page.getByText('你的范围内没有这位客户。').waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it("previews a profile's routing, with the API's problem next to its field", async () => {
    const page = await signedIn('甲支行运营', '/console/clients');
    const form = page.getByRole('form', { name: '分群预演' });
    await form.getByLabel('活跃度').fill('150');
    await form.getByRole('button', { name: '预演分群' }).click();
    const scoreError = page.locator('#preview-engagementScore-error');
    await scoreError.waitFor();
    expect(await scoreError.textContent()).toContain('100');
    expect(await form.getByLabel('活跃度').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('活跃度').fill('40');
    await form.getByLabel('资产区间').selectOption({ label: '50万–600万' });
    await form.getByLabel('标签').fill('基金，信用卡');
    await form.getByRole('button', { name: '预演分群' }).click();
    const result = page.getByRole('status').filter({ hasText: '预演结果' });
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('层级：高级（金葵花）');
    expect(text).toContain('基民');
    expect(text).toContain('卡圈');
    expect(await scoreError.count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });
});
