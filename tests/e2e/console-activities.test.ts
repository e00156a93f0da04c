import { sql } from 'drizzle-orm';
import type { Locator, Page, Request } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's 活动 and 秒杀 pages in a real headless Chromium. Ops creates an event (a missing title shows
 * its problem next to the field), opens it, imports attendance with one unknown client (that line's problem
 * shows) and sees attended 1, and cancels a sign-up after confirming. Ops creates a flash sale; claims made
 * through the signed claim link while the results are open show up without a reload (units left, winners,
 * attempts). An RM reads the events but has no 秒杀.
 */
const world = useConsoleWorld([
  { userid: 'ops_li', name: '李运营' },
  { userid: 'rm_zhang', name: '张经理' },
]);
const { signedIn, axeProblems } = world;
const asAdmin = (r: request.Test) => world.asAdmin(r);
const DAY = 86_400_000;
/** Each test drives Chromium and runs axe several times, on a 2-core machine other tests share. */
const SLOW = 60_000;

/** A `datetime-local` value for `at` in Shanghai time (the console reads the fields as Shanghai's). */
const shanghaiLocal = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  const { web, ctx } = world;
  await asAdmin(request(web.app).put('/api/v1/staff/ops_li'))
    .send({ name: '李运营', role: 'ops' })
    .expect(200);
  await asAdmin(request(web.app).put('/api/v1/rms/rm_zhang'))
    .send({ name: '张经理', branch: '南山支行' })
    .expect(200);
  const since = new Date(Date.now() - 3 * DAY).toISOString();
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO clients (external_userid, tier, risk_level, acquired_at) VALUES
          ('wm_act_1', 'basic', 'C3', ${since}::timestamptz),
          ('wm_act_2', 'basic', 'C3', ${since}::timestamptz),
          ('wm_act_3', 'basic', 'C3', ${since}::timestamptz)`,
  );
}, 60_000);

/** The row of `table` with a cell that reads `text` exactly. */
const rowWith = (table: Locator, text: string): Locator =>
  table.getByRole('row').filter({ has: table.page().getByRole('cell', { name: text, exact: true }) });

/** How often the 秒杀 page fetches an open sale's results again (the page says so: 每 2 秒刷新一次). */
const POLL_MS = 2000;
/** Whether `r` is the 秒杀 page fetching the results of the sale the tests create. */
const isPoll = (r: Request) => r.url().endsWith('/api/v1/flash-sales/noon-e2e');

/**
 * Once this returns, every request `page` made before the call has been reported to the test: the page makes
 * one more request of its own, and Chromium reports a page's requests in the order they were made.
 */
async function seenAllRequests(page: Page): Promise<void> {
  const sentinel = page.waitForRequest((r) => r.url().endsWith('/api/v1/requests-seen'));
  await page.evaluate(() => {
    void fetch('/api/v1/requests-seen').catch(() => {});
  });
  await sentinel;
}

/** The figure shown under `label` in a `<dl>` of cards. */
const figure = (page: Page, label: string) =>
  page
    .locator('.card')
    .filter({ has: page.locator('dt', { hasText: label }) })
    .locator('dd');

const TITLE = '周五夜校：养老规划';
let eventId = 0;

describe('the 活动 page', () => {
  it(
    "creates an event, with the API's problem next to the field it concerns",
    async () => {
      const page = await signedIn('李运营', '/console/events');
      await page.getByRole('heading', { name: '活动', level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: '主导航' });
      await nav.getByRole('link', { name: '秒杀' }).waitFor();

      const form = page.getByRole('form', { name: '创建活动' });
      const starts = Date.now() + 2 * DAY;
      await form.getByLabel('活动类型').selectOption({ label: '夜校' });
      await form.getByLabel('开始时间').fill(shanghaiLocal(starts));
      await form.getByLabel('结束时间').fill(shanghaiLocal(starts + 2 * 3600_000));
      await form.getByLabel('名额').fill('10');
      await form.getByRole('checkbox', { name: '初级' }).check();
      await form.getByLabel('邀请内容（组件 ID）').fill('event-night-school');
      await form.getByLabel('签到积分').fill('50');
      // No title: the API's problem shows next to the title, which points at it.
      await form.getByRole('button', { name: '创建' }).click();
      const title = form.getByLabel('标题');
      const problem = page.locator('#event-title-error');
      await problem.waitFor();
      expect(await title.getAttribute('aria-invalid')).toBe('true');
      expect(await title.getAttribute('aria-describedby')).toBe('event-title-error');
      expect(await axeProblems(page)).toEqual([]);

      await title.fill(TITLE);
      await form.getByRole('button', { name: '创建' }).click();
      const done = form.getByRole('status').getByText(new RegExp(`^已创建活动“${TITLE}”（编号 \\d+）。$`));
      await done.waitFor();
      eventId = Number(/编号 (\d+)/.exec((await done.textContent()) ?? '')?.[1]);
      expect(await problem.count()).toBe(0);

      const row = rowWith(page.getByRole('table', { name: '活动列表' }), TITLE);
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['夜校', TITLE]);
      expect(cells[3]).toBe('10');
      expect(await axeProblems(page)).toEqual([]);
    },
    SLOW,
  );

  it(
    'marks attendance from a pasted list, shows the bad line, and cancels a sign-up after confirming',
    async () => {
      const { web } = world;
      for (const client of ['wm_act_1', 'wm_act_2'])
        await asAdmin(request(web.app).post(`/api/v1/events/${eventId}/signups`))
          .send({ externalUserid: client })
          .expect(201);
      // The evening has come: attendance is taken once an event has started.
      await queryRows(
        world.ctx.database.db,
        sql`UPDATE events SET starts_at = now() - interval '1 hour' WHERE id = ${eventId}`,
      );

      const page = await signedIn('李运营', '/console/events');
      const row = rowWith(page.getByRole('table', { name: '活动列表' }), TITLE);
      await row.getByRole('cell', { name: '2', exact: true }).waitFor(); // signed up
      await row.getByRole('button', { name: `查看详情：${TITLE}` }).click();
      const detail = page.getByRole('region', { name: `活动详情：${TITLE}` });
      await expect.poll(() => figure(page, '已报名').textContent()).toBe('2');
      expect(await figure(page, '已签到').textContent()).toBe('0');

      const attendance = detail.getByRole('form', { name: '标记签到' });
      await attendance.getByLabel('客户 ID 名单').fill('wm_act_1\nwm_nobody');
      await attendance.getByRole('button', { name: '导入签到' }).click();
      const status = attendance.getByRole('status');
      await status.getByText('已签到 1 人，其中新签到 1 人。').waitFor();
      await status.getByText('第 2 行（wm_nobody）：没有这个客户，未签到').waitFor();
      await expect.poll(() => figure(page, '已签到').textContent()).toBe('1');
      await rowWith(page.getByRole('table', { name: '活动列表' }), TITLE)
        .getByRole('cell', { name: '1', exact: true })
        .waitFor();
      expect(await axeProblems(page)).toEqual([]);

      // Cancelling asks first; 不取消 changes nothing.
      const signups = detail.getByRole('table', { name: '报名名单' });
      const second = rowWith(signups, 'wm_act_2');
      await second.getByRole('button', { name: '取消报名：wm_act_2' }).click();
      await second.getByRole('group', { name: /确定取消 wm_act_2 的报名吗/ }).waitFor();
      await second.getByRole('button', { name: '不取消' }).click();
      await second.getByRole('button', { name: '取消报名：wm_act_2' }).click();
      await second.getByRole('button', { name: '确认取消 wm_act_2 的报名' }).click();
      await detail.getByRole('status').getByText('已取消 wm_act_2 的报名。').first().waitFor();
      await second.getByRole('cell', { name: '已取消', exact: true }).waitFor();
      await expect.poll(() => figure(page, '已取消').textContent()).toBe('1');
      expect(await figure(page, '已报名').textContent()).toBe('1');
      expect(await axeProblems(page)).toEqual([]);
    },
    SLOW,
  );

  it(
    'lets an RM read the events with nothing to change, and has no 秒杀 for them',
    async () => {
      const page = await signedIn('张经理', '/console/events');
      const nav = page.getByRole('navigation', { name: '主导航' });
      await nav.getByRole('link', { name: '活动' }).waitFor();
      expect(await nav.getByRole('link', { name: '秒杀' }).count()).toBe(0);
      await rowWith(page.getByRole('table', { name: '活动列表' }), TITLE).waitFor();
      expect(await page.getByRole('form', { name: '创建活动' }).count()).toBe(0);
      await page.getByText(/^创建活动、标记签到和取消报名仅对运营和管理员开放/).waitFor();
      expect(await axeProblems(page)).toEqual([]);

      await page.goto(`${world.base}/console/flash-sales`);
      await page.getByRole('alert').getByText('你的角色无权查看此页面。').waitFor();
    },
    SLOW,
  );
});

describe('the 秒杀 page', () => {
  it(
    'creates a sale and shows its winners and units left as claims arrive',
    async () => {
      // On Playwright's clock: the next poll comes when the test moves the clock on, not 2 s later.
      const page = await signedIn('李运营', '/console/flash-sales', { clock: true });
      await page.getByRole('heading', { name: '秒杀', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: '创建秒杀' });
      await form.getByLabel('编号（小写字母、数字和连字符）').fill('noon-e2e');
      await form.getByLabel('名称', { exact: true }).fill('午间理财加息券秒杀');
      await form.getByLabel('权益名称').fill('理财加息券');
      await form.getByLabel('库存', { exact: true }).fill('3');
      await form.getByLabel('开始时间').fill(shanghaiLocal(Date.now() - 120_000));
      await form.getByLabel('结束时间').fill(shanghaiLocal(Date.now() + 3600_000));
      await form.getByRole('button', { name: '创建' }).click();
      await form.getByRole('status').getByText('已创建秒杀“午间理财加息券秒杀”。').waitFor();

      const row = rowWith(page.getByRole('table', { name: '秒杀列表' }), 'noon-e2e');
      await row.getByRole('button', { name: '查看结果：午间理财加息券秒杀' }).click();
      const results = page.getByRole('region', { name: '实时结果：午间理财加息券秒杀' });
      await results.getByText('秒杀进行中，每 2 秒刷新一次。').waitFor();
      await expect.poll(() => figure(page, '剩余库存').textContent()).toBe('3');
      await results.getByText('还没有中签客户。').waitFor();
      expect(await axeProblems(page)).toEqual([]);

      // Claims through the clients' signed links, while the page stays open.
      const claim = async (client: string) => {
        const link = await asAdmin(request(world.web.app).post('/api/v1/flash-sales/noon-e2e/links'))
          .send({ externalUserid: client })
          .expect(200);
        const r = await request(world.web.app)
          .post(link.body.claimPath)
          .send({ externalUserid: client, token: link.body.token })
          .expect(200);
        return r.body.outcome as string;
      };
      expect(await claim('wm_act_1')).toBe('won');
      await page.clock.runFor(POLL_MS);
      await expect.poll(() => figure(page, '剩余库存').textContent(), { timeout: 8000 }).toBe('2');
      const winners = results.getByRole('table', { name: '中签客户' });
      await rowWith(winners, 'wm_act_1').waitFor();

      expect(await claim('wm_act_2')).toBe('won');
      expect(await claim('wm_act_2')).toBe('already_claimed');
      await page.clock.runFor(POLL_MS);
      await expect.poll(() => figure(page, '剩余库存').textContent(), { timeout: 8000 }).toBe('1');
      await rowWith(winners, 'wm_act_2').getByRole('cell', { name: '链接', exact: true }).waitFor();
      expect(await figure(page, '中签人数').textContent()).toBe('2');
      const attempts = results.getByRole('list', { name: '领取尝试（按结果）' });
      await attempts.getByText('抢到: 2').waitFor();
      await attempts.getByText('重复领取: 1').waitFor();
      await rowWith(page.getByRole('table', { name: '秒杀列表' }), 'noon-e2e')
        .getByRole('cell', { name: '2', exact: true })
        .waitFor();
      expect(await axeProblems(page)).toEqual([]);
    },
    SLOW,
  );

  it(
    'stops fetching while the page is hidden and once the sale has closed',
    async () => {
      const page = await signedIn('李运营', '/console/flash-sales', { clock: true });
      const fetches: string[] = [];
      page.on('request', (r) => {
        if (isPoll(r)) fetches.push(r.url());
      });
      const row = rowWith(page.getByRole('table', { name: '秒杀列表' }), 'noon-e2e');
      await row.getByRole('button', { name: '查看结果：午间理财加息券秒杀' }).click();
      const results = page.getByRole('region', { name: '实时结果：午间理财加息券秒杀' });
      await results.getByText('秒杀进行中，每 2 秒刷新一次。').waitFor();
      // One polling interval on, the results are fetched again.
      const again = page.waitForRequest(isPoll);
      await page.clock.runFor(POLL_MS);
      await again;
      expect(fetches.length).toBeGreaterThanOrEqual(2);

      // Hidden (another tab in front): nothing is fetched; shown again: at once.
      const setVisibility = (state: 'hidden' | 'visible') =>
        page.evaluate((s) => {
          const doc = (globalThis as unknown as { document: EventTarget }).document;
          Object.defineProperty(doc, 'visibilityState', { value: s, configurable: true });
          doc.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      await seenAllRequests(page);
      const hiddenAt = fetches.length;
      // Absence: the page's clock runs on for longer than one polling interval, and nothing is fetched.
      await page.clock.runFor(POLL_MS + 500);
      await seenAllRequests(page);
      expect(fetches.length).toBe(hiddenAt);
      const refetch = page.waitForRequest(isPoll);
      await setVisibility('visible');
      await refetch;
      expect(fetches.length).toBe(hiddenAt + 1);

      // The window closes: the page says so and polls no more.
      await queryRows(
        world.ctx.database.db,
        sql`UPDATE flash_sales SET closes_at = now() - interval '1 second' WHERE id = 'noon-e2e'`,
      );
      await page.clock.runFor(POLL_MS);
      await results.getByText('秒杀已结束，不再刷新。').waitFor({ timeout: 8000 });
      await seenAllRequests(page);
      const closedAt = fetches.length;
      await page.clock.runFor(POLL_MS + 500);
      await seenAllRequests(page);
      expect(fetches.length).toBe(closedAt);
      expect(await axeProblems(page)).toEqual([]);
    },
    SLOW,
  );
});
