import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's 群与分层 and 审计日志 pages in a real headless Chromium. Groups are registered the way
 * group-registry.test.ts does it (seeded in the WeCom emulator, then `POST /api/v1/groups`). Ops sees them
 * with the tier policy, registers one more, previews a client's routing (Enter submits; a bad field shows
 * its problem next to it) and archives a group after confirming (a WeCom refusal shows in its row first).
 * Compliance then finds those actions, with ops as their actor, in the audit log; ops has no audit log.
 * The tests run in order: the audit log shows what the groups tests did.
 */
const world = useConsoleWorld([
  { userid: 'ops_li', name: '李运营' },
  { userid: 'cmp_chen', name: '陈合规' },
  { userid: 'rm_zhang', name: '张经理' },
]);
const { signedIn, axeProblems } = world;
const asAdmin = (r: request.Test) => world.asAdmin(r);
/** Audit entries of a type no action writes: more than one page of them. */
const PROBES = 60;

beforeAll(async () => {
  const { web, emu, ctx } = world;
  await asAdmin(request(web.app).put('/api/v1/staff/ops_li'))
    .send({ name: '李运营', role: 'ops' })
    .expect(200);
  await asAdmin(request(web.app).put('/api/v1/staff/cmp_chen'))
    .send({ name: '陈合规', role: 'compliance' })
    .expect(200);
  await asAdmin(request(web.app).put('/api/v1/rms/rm_zhang'))
    .send({ name: '张经理', branch: '南山支行' })
    .expect(200);
  emu.emulator.seed({
    groups: [
      { chatId: 'wr_basic_1', owner: 'rm_zhang', name: '初级1群', members: ['wm_b1', 'wm_b2'] },
      { chatId: 'wr_card_1', owner: 'rm_zhang', name: '卡圈1群', members: ['wm_c1'] },
      { chatId: 'wr_card_2', owner: 'rm_zhang', name: '卡圈2群', members: ['wm_c2'] },
      { chatId: 'wr_abroad_1', owner: 'rm_zhang', name: '留学党1群', members: ['wm_l1'] },
    ],
  });
  for (const g of [
    { chatId: 'wr_basic_1', name: '初级1群', groupKey: 'basic', capacity: 200 },
    { chatId: 'wr_card_1', name: '卡圈1群', groupKey: 'kaquan' },
    // The second 卡圈 group joins the first in the key's join way: archiving the first asks WeCom for a new one.
    { chatId: 'wr_card_2', name: '卡圈2群', groupKey: 'kaquan' },
  ])
    await asAdmin(request(web.app).post('/api/v1/groups')).send(g).expect(201);
  // Member counts follow WeCom's member events; this one is as three joins would have left it.
  await queryRows(
    ctx.database.db,
    sql`UPDATE community_groups SET member_count = 3 WHERE chat_id = 'wr_basic_1'`,
  );
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO audit_log (actor, action, target_type, target_id, details)
          SELECT 'probe', 'probe.touch', 'e2e_probe', 'p' || n, jsonb_build_object('n', n)
          FROM generate_series(1, ${PROBES}) AS n`,
  );
}, 60_000);

/** The row of `table` with a cell that reads `text` exactly. */
const rowWith = (table: Locator, text: string): Locator =>
  table.getByRole('row').filter({ has: table.page().getByRole('cell', { name: text, exact: true }) });

/** Whether `el` has the page's focus (the test's types have no DOM). */
const focused = (el: Locator) =>
  el.evaluate(
    (node) =>
      (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement === node,
  );

describe('the 群与分层 page', () => {
  it('shows ops the registered groups with their keys and members, and the tier policy', async () => {
    const page = await signedIn('李运营', '/console/groups');
    await page.getByRole('heading', { name: '群与分层', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '群与分层' }).waitFor();
    expect(await nav.getByRole('link', { name: '审计日志' }).count()).toBe(0);

    const groups = page.getByRole('table', { name: '客户群' });
    const basic = rowWith(groups, '初级1群');
    await basic.waitFor();
    expect(await basic.getByRole('cell').allTextContents()).toEqual([
      '初级1群',
      'wr_basic_1',
      '层级：初级',
      '3 / 200 人',
      'rm_zhang',
      '正常',
      '查看活码',
      '归档',
    ]);
    await basic.getByRole('link', { name: '查看活码（初级1群）' }).waitFor();
    await rowWith(groups, '卡圈1群').getByRole('cell', { name: '兴趣群：卡圈', exact: true }).waitFor();

    // The policy as it is written: bands, each tier's entry rule, interest groups and circles.
    const policy = page.getByRole('region', { name: '分层策略' });
    const text = (await policy.textContent()) ?? '';
    expect(text).toContain('高级（金葵花）: 资产区间不低于 50万–600万; 每群 200 人');
    expect(text).toContain('中级: 资产区间不低于 5万–50万，或活跃度不低于 80');
    expect(text).toContain('初级: 所有客户');
    expect(text).toContain('降级宽限期：30 天');
    expect(text).toContain('私行沙龙');

    // Filtered by key: only the 卡圈 groups.
    const filters = page.getByRole('form', { name: '筛选客户群' });
    await filters.getByLabel('群类别').selectOption({ label: '卡圈' });
    await filters.getByRole('button', { name: '筛选' }).click();
    await expect.poll(async () => (await groups.getByRole('row').allTextContents()).length).toBe(3); // the header and the two 卡圈 groups
    expect(await rowWith(groups, '初级1群').count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("registers a group, with the API's problem next to the field it concerns", async () => {
    const page = await signedIn('李运营', '/console/groups');
    const form = page.getByRole('form', { name: '登记客户群' });
    await form.getByLabel('群 ID').fill('wr_nowhere');
    await form.getByLabel('群名称').fill('不存在的群');
    await form.getByLabel('类别').selectOption({ label: '留学党' });
    await form.getByRole('button', { name: '登记' }).click();
    const chatId = form.getByLabel('群 ID');
    const problem = page.locator('#register-chatId-error');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('企业微信中没有客户群“wr_nowhere”');
    expect(await chatId.getAttribute('aria-invalid')).toBe('true');
    expect(await chatId.getAttribute('aria-describedby')).toBe('register-chatId-error');

    await chatId.fill('wr_abroad_1');
    await form.getByLabel('群名称').fill('留学党1群');
    await form.getByLabel('群名称').press('Enter');
    await form.getByRole('status').getByText('已登记“留学党1群”。').waitFor();
    expect(await problem.count()).toBe(0);
    const row = rowWith(page.getByRole('table', { name: '客户群' }), '留学党1群');
    await row.getByRole('cell', { name: '兴趣群：留学党', exact: true }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it('previews where a client would be routed and why; Enter submits, and a bad field shows its problem', async () => {
    const page = await signedIn('李运营', '/console/groups');
    const form = page.getByRole('form', { name: '分群预演' });
    const score = form.getByLabel('活跃度');
    await score.fill('150');
    await score.press('Enter');
    const scoreError = page.locator('#preview-engagementScore-error');
    await scoreError.waitFor();
    expect(await scoreError.textContent()).toContain('100');
    expect(await score.getAttribute('aria-invalid')).toBe('true');
    expect(await score.getAttribute('aria-describedby')).toBe('preview-engagementScore-error');

    await score.fill('40');
    await form.getByLabel('资产区间').selectOption({ label: '50万–600万' });
    const tags = form.getByLabel('标签');
    await tags.fill('基金');
    await tags.press('Enter');
    const result = page.getByRole('status').filter({ hasText: '预演结果' });
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('层级：高级（金葵花）');
    expect(text).toContain('基民');
    expect(await scoreError.count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lets an RM read the groups and the policy, with nothing to change', async () => {
    const page = await signedIn('张经理', '/console/groups');
    const groups = page.getByRole('table', { name: '客户群' });
    await rowWith(groups, '初级1群').waitFor();
    expect(await groups.getByRole('button').count()).toBe(0);
    expect(await groups.getByRole('columnheader', { name: '操作' }).count()).toBe(0);
    await page.getByRole('region', { name: '分层策略' }).waitFor();
    await page.getByText('登记、归档客户群和分群预演仅对运营和管理员开放。').waitFor();
    expect(await page.getByRole('form', { name: '登记客户群' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: '分群预演' }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('archives a group only after confirming, and shows WeCom’s refusal in its row', async () => {
    const page = await signedIn('李运营', '/console/groups');
    const row = rowWith(page.getByRole('table', { name: '客户群' }), '卡圈1群');
    const archive = row.getByRole('button', { name: '归档 卡圈1群', exact: true });

    // Asked first, in the row; cancelling changes nothing and gives the focus back.
    await archive.click();
    const confirm = row.getByRole('button', { name: '确认归档 卡圈1群' });
    await confirm.waitFor();
    expect(await focused(confirm)).toBe(true);
    await row.getByRole('group', { name: /确定归档吗/ }).waitFor();
    await row.getByRole('button', { name: '取消' }).click();
    await archive.waitFor();
    expect(await focused(archive)).toBe(true);
    expect(await confirm.count()).toBe(0);

    // WeCom refuses the new join way the archive needs: the API's message shows in the row.
    world.emu.emulator.setFaults('externalcontact/groupchat/add_join_way', [
      { kind: 'error', errcode: 48002, errmsg: 'api forbidden' },
    ]);
    await archive.click();
    await confirm.click();
    const refusal = row.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^未能归档：.*48002/);
    await row.getByRole('cell', { name: '正常', exact: true }).waitFor();
    expect(await axeProblems(page)).toEqual([]);

    world.emu.emulator.clearFaults();
    await archive.click();
    await confirm.click();
    await page.getByRole('status').getByText('已归档“卡圈1群”。').waitFor();
    await row.getByRole('cell', { name: /^已归档（\d{4}-\d\d-\d\d \d\d:\d\d）$/ }).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await refusal.count()).toBe(0);

    // Gone from the list routing uses; still there with the archived ones.
    await page.reload();
    await rowWith(page.getByRole('table', { name: '客户群' }), '卡圈2群').waitFor();
    expect(await row.count()).toBe(0);
    const filters = page.getByRole('form', { name: '筛选客户群' });
    await filters.getByLabel('包括已归档的群').check();
    await filters.getByRole('button', { name: '筛选' }).click();
    await row.waitFor();
  });
});

describe('the 审计日志 page', () => {
  /** The audit table's body rows as their cells' text. */
  const rows = async (page: Page) =>
    Promise.all(
      (
        await page
          .getByRole('table', { name: /^审计记录/ })
          .locator('tbody tr')
          .all()
      ).map((r) => r.getByRole('cell').allTextContents()),
    );

  it('shows compliance what was done, newest first, by whom', async () => {
    const page = await signedIn('陈合规', '/console/audit');
    await page.getByRole('heading', { name: '审计日志', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '审计日志' }).waitFor();
    expect(await nav.getByRole('link', { name: '群与分层' }).count()).toBe(0);

    const table = page.getByRole('table', { name: '审计记录' });
    const archived = rowWith(table, 'group.archive');
    await archived.waitFor();
    const [at, actor, action, targetType, targetId, details, requestId] = await archived
      .getByRole('cell')
      .allTextContents();
    expect(at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect([actor, action, targetType, targetId]).toEqual([
      'ops_li',
      'group.archive',
      'community_group',
      'wr_card_1',
    ]);
    expect(details).toContain('groupKey: kaquan');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    // Newest first: the archive, then ops' registration, then the seeded probes and the staff changes.
    const all = await rows(page);
    const index = (act: string, target: string) => all.findIndex((r) => r[2] === act && r[4] === target);
    expect(index('group.archive', 'wr_card_1')).toBeLessThan(index('group.register', 'wr_abroad_1'));
    expect(all[index('group.register', 'wr_abroad_1')]?.[1]).toBe('ops_li');
    expect(index('group.register', 'wr_abroad_1')).toBeLessThan(index('probe.touch', 'p60'));
    expect(await axeProblems(page)).toEqual([]);
  });

  it('filters by target type and loads older entries with 加载更多', async () => {
    const page = await signedIn('陈合规', '/console/audit');
    const type = page.getByRole('form', { name: '筛选审计记录' }).getByLabel('对象类型');
    await type.fill('community_group');
    await type.press('Enter');
    await page.getByRole('heading', { name: '审计记录（对象类型：community_group）' }).waitFor();
    // Only groups' entries: the registrations and the archive.
    await expect
      .poll(async () => [...new Set((await rows(page)).map((r) => r[3]))])
      .toEqual(['community_group']);
    expect((await rows(page)).map((r) => r[2])).toContain('group.archive');

    await type.fill('e2e_probe');
    await type.press('Enter');
    await page.getByRole('heading', { name: '审计记录（对象类型：e2e_probe）' }).waitFor();
    await expect.poll(async () => (await rows(page)).length).toBe(50);
    expect((await rows(page))[0]?.[4]).toBe(`p${PROBES}`);
    await page.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(async () => (await rows(page)).length).toBe(PROBES);
    expect((await rows(page)).at(-1)?.[4]).toBe('p1');
    expect((await rows(page)).at(-1)?.[5]).toBe('n: 1');
    expect(await page.getByRole('button', { name: '加载更多' }).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('is not for ops: no nav entry, and the forbidden note at its address', async () => {
    const page = await signedIn('李运营', '/console/audit');
    await page.getByRole('alert').getByText('你的角色无权查看此页面。').waitFor();
    expect(
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).count(),
    ).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
  });
});
