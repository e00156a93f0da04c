import { sql } from 'drizzle-orm';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The overview's delivery charts in a real headless Chromium: the last 14 days' deliveries per day and the
 * send funnel, each readable without seeing it (the chart's name states its figures, and the per-day
 * figures are a table for screen readers); an RM's charts count only their own deliveries, and a role the
 * API refuses sees no charts.
 */
const world = useConsoleWorld([
  { userid: 'ops_li', name: '李运营' },
  { userid: 'rm_wang', name: '王经理' },
  { userid: 'cmp_zhao', name: '赵合规' },
]);
const { signedIn, axeProblems } = world;

beforeAll(async () => {
  const { web, ctx } = world;
  const as = (r: request.Test) => world.asAdmin(r);
  await as(request(web.app).put('/api/v1/staff/ops_li')).send({ name: '李运营', role: 'ops' }).expect(200);
  await as(request(web.app).put('/api/v1/staff/cmp_zhao'))
    .send({ name: '赵合规', role: 'compliance' })
    .expect(200);
  await as(request(web.app).put('/api/v1/rms/rm_wang'))
    .send({ name: '王经理', branch: '南山支行' })
    .expect(200);
  await as(request(web.app).put('/api/v1/rms/rm_chen'))
    .send({ name: '陈经理', branch: '福田支行' })
    .expect(200);
  const db = ctx.database.db;
  const task = async (sender: string, batch: number, status: string) =>
    (
      await queryRows<{ id: number }>(
        db,
        sql`INSERT INTO send_tasks (occurrence_id, kind, sender, variant_id, batch, recipients, status)
            VALUES (1, 'single', ${sender}, 'v1', ${batch}, 1, ${status}) RETURNING id::int AS id`,
      )
    )[0]?.id ?? null;
  const confirmed = await task('rm_wang', 0, 'confirmed');
  const open = await task('rm_wang', 1, 'created');
  const failed = await task('rm_wang', 2, 'failed');
  const chens = await task('rm_chen', 0, 'confirmed');
  // rm_wang today: 3 sent, 1 pending, 1 failed; two days ago: 2 skipped. rm_chen today: 4 sent.
  const rows: [recipient: string, rm: string, status: string, taskId: number | null, daysAgo: number][] = [
    ['wm_1', 'rm_wang', 'sent', confirmed, 0],
    ['wm_2', 'rm_wang', 'sent', confirmed, 0],
    ['wm_3', 'rm_wang', 'sent', confirmed, 0],
    ['wm_4', 'rm_wang', 'pending', open, 0],
    ['wm_5', 'rm_wang', 'failed', failed, 0],
    ['wm_6', 'rm_wang', 'skipped', null, 2],
    ['wm_7', 'rm_wang', 'skipped', null, 2],
    ['wm_8', 'rm_chen', 'sent', chens, 0],
    ['wm_9', 'rm_chen', 'sent', chens, 0],
    ['wm_10', 'rm_chen', 'sent', chens, 0],
    ['wm_11', 'rm_chen', 'sent', chens, 0],
  ];
  for (const [recipient, rm, status, taskId, daysAgo] of rows)
    await queryRows(
      db,
      sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, task_id, created_at, updated_at)
          VALUES (1, ${recipient}, 'single', ${rm}, ${status}, ${taskId},
                  now() - make_interval(days => ${daysAgo}), now())`,
    );
}, 60_000);

describe('the overview delivery charts', () => {
  it('shows ops the stacked daily chart and the funnel with their figures, and passes axe', async () => {
    const page = await signedIn('李运营');
    await page.getByRole('heading', { name: '近 14 天发送' }).waitFor();
    await page.getByRole('heading', { name: '发送漏斗' }).waitFor();
    // Both charts load on demand, each named by a summary of what it draws.
    await page
      .getByRole('img', { name: '近 14 天每日发送堆叠柱状图，合计：已发送 7，待发送 1，失败 1，跳过 2' })
      .waitFor();
    await page
      .getByRole('img', {
        name: '发送漏斗图（近 14 天）：目标对象 11，已建发送任务 9，客户经理已确认 7，已发送 7',
      })
      .waitFor();
    // Drawn: the SVG has bars in it.
    expect(await page.locator('.overview-chart svg path').count()).toBeGreaterThan(4);

    // The per-day figures as a table: every day of the window, today's last.
    const table = page.getByRole('table', { name: /^近 14 天每日发送人次/ });
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(15);
    expect(await rows.nth(0).getByRole('columnheader').allTextContents()).toEqual([
      '日期',
      '已发送',
      '待发送',
      '失败',
      '跳过',
    ]);
    expect(await rows.nth(14).getByRole('cell').allTextContents()).toEqual(['7', '1', '1', '0']);
    expect(await rows.nth(12).getByRole('cell').allTextContents()).toEqual(['0', '0', '0', '2']);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows an RM only their own deliveries, not another branch's RM's", async () => {
    const page = await signedIn('王经理');
    await page
      .getByRole('img', {
        name: '发送漏斗图（近 14 天）：目标对象 7，已建发送任务 5，客户经理已确认 3，已发送 3',
      })
      .waitFor();
    await page.getByRole('img', { name: '合计：已发送 3，待发送 1，失败 1，跳过 2' }).waitFor();
  });

  it('shows no delivery charts to a role the API refuses them', async () => {
    const page = await signedIn('赵合规');
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/deliveries/daily'));
    await page.reload();
    expect((await answered).status()).toBe(403);
    await page.getByRole('heading', { name: '今日概览' }).waitFor();
    // The charts' headings show while the answer is awaited, and go with the refusal.
    await expect.poll(() => page.getByRole('heading', { name: '发送漏斗' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
