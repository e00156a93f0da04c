import { sql } from 'drizzle-orm';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The ops console in a real headless Chromium: staff sign in through the emulator's WeCom page, create a
 * channel and see its QR code, read the week's calendar, see the API's own error next to the field, and
 * see only the pages their role may. The console is built from source into a temporary folder first.
 */
const world = useConsoleWorld([
  { userid: 'ops_li', name: '李运营' },
  { userid: 'rm_wang', name: '王经理' },
]);
const { signedIn, axeProblems } = world;

beforeAll(async () => {
  await world
    .asAdmin(request(world.web.app).put('/api/v1/staff/ops_li'))
    .send({ name: '李运营', role: 'ops' })
    .expect(200);
  await world
    .asAdmin(request(world.web.app).put('/api/v1/rms/rm_wang'))
    .send({ name: '王经理', branch: '南山支行' })
    .expect(200);
});

describe('the ops console', () => {
  it('signs ops in with WeCom, lands on the overview, and passes axe', async () => {
    const page = await signedIn('李运营');
    await expect(page.getByRole('heading', { name: '今日概览' }).isVisible()).resolves.toBe(true);
    expect(page.url()).toBe(`${world.base}/console/`);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lets ops create a channel and shows its QR code, with the API refusal next to the field', async () => {
    const page = await signedIn('李运营', '/console/channels');
    const form = page.getByRole('form', { name: '新建渠道' });
    await form.getByLabel('渠道编号').fill('metro-ads');
    await form.getByLabel('渠道名称').fill('地铁广告');
    await form.getByLabel('渠道参数 state').fill('bad state!');
    await form.getByLabel('接待客户经理').fill('rm_wang');
    await form.getByRole('button', { name: '创建并生成活码' }).click();
    // The API's own problem for `state`, next to that field.
    const stateError = page.locator('#state-error');
    await stateError.waitFor();
    expect(await stateError.textContent()).toContain('最多 30 个字符');
    expect(await form.getByLabel('渠道参数 state').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('渠道参数 state').fill('metro-ads');
    await form.getByRole('button', { name: '创建并生成活码' }).click();
    const qr = page.getByRole('img', { name: '渠道活码：地铁广告' });
    await qr.waitFor();
    // The image really loads (the emulator serves it, as WeCom's CDN would).
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: '下载活码' }).isVisible()).resolves.toBe(true);
    await page.getByRole('cell', { name: '地铁广告' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it('shows the week of the content calendar with the seeded spiral', async () => {
    const page = await signedIn('李运营', '/console/calendar');
    await page.getByRole('heading', { name: '内容日历' }).waitFor();
    expect(await page.locator('.day').count()).toBe(7);
    // The 08:00 morning brief runs on working days: some day of any week shows it.
    await page.locator('.occ', { hasText: '08:00' }).first().waitFor();
    const before = await page.locator('.day h2').first().textContent();
    await page.getByRole('button', { name: '下一周' }).click();
    await expect.poll(() => page.locator('.day h2').first().textContent()).not.toBe(before);
    expect(await axeProblems(page)).toEqual([]);
  });

  it("shows the month, and a recorded occurrence's figures when it is opened", async () => {
    // Today's 08:00 (Shanghai) morning brief, recorded as done: two delivered, one failed.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const db = world.ctx.database.db;
    const [occ] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO calendar_occurrences (entry_id, scheduled_at, entry_version, status)
          VALUES ('morning-brief', ${`${today}T08:00:00+08:00`}::timestamptz, 1, 'done') RETURNING id::int AS id`,
    );
    for (const [who, status] of [
      ['wm_a', 'sent'],
      ['wm_b', 'sent'],
      ['wm_c', 'failed'],
    ] as const)
      await queryRows(
        db,
        sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, created_at, updated_at)
            VALUES (${occ?.id}, ${who}, 'single', 'rm_wang', ${status}, now(), now())`,
      );
    const page = await signedIn('李运营', '/console/calendar');
    await page.getByRole('button', { name: '月', exact: true }).click();
    await page.getByText(`月视图：${today.slice(0, 7)}`).waitFor();
    // Whole weeks covering the month: every day of it is there, and the count is a multiple of seven.
    const days = await page.locator('.day').count();
    expect(days % 7).toBe(0);
    expect(days).toBeGreaterThanOrEqual(28);
    const lastDay = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).getUTCDate();
    for (const d of ['01', String(lastDay)]) {
      expect(await page.locator(`.day[data-day="${today.slice(0, 8)}${d}"]`).count()).toBe(1);
    }
    await page.locator(`.day[data-day="${today}"]`).getByRole('button', { name: /08:00/ }).click();
    const figures = page.getByRole('region', { name: /执行数据/ });
    await figures.getByRole('row', { name: '目标人数 3' }).waitFor();
    await figures.getByRole('row', { name: '已送达 2' }).waitFor();
    await figures.getByRole('row', { name: '失败 1' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
  });

  it('shows an RM only the pages an RM may see', async () => {
    const page = await signedIn('王经理');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '概览' }).isVisible()).resolves.toBe(true);
    expect(await nav.getByRole('link', { name: '渠道活码' }).count()).toBe(0);
    await page.goto(`${world.base}/console/channels`);
    await page.getByText('你的角色无权查看此页面。').waitFor();
  });

  it('can be used from the keyboard: skip link, then the navigation', async () => {
    const page = await signedIn('李运营');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      '跳到正文',
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      '渠道活码',
    );
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '渠道活码' }).waitFor();
  });
});
