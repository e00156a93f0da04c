import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's 转人工 page in a real headless Chromium: a client's question the FAQ bot cannot answer
 * becomes a pending hand-off (through the bot callback, as in bot-handoff.test.ts); ops signs in through
 * the emulator's WeCom page, sees it with a running SLA clock (and an overdue one in red), resolves it and
 * finds it under 已解决; a hand-off closed meanwhile shows the API's refusal next to its row.
 */
const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';
/** The hand-offs created: one fresh, one already past its SLA. */
const ids = { fresh: 0, overdue: 0 };
const world = useConsoleWorld(
  [
    { userid: 'ops_li', name: '李运营' },
    { userid: 'rm_zhang', name: '张经理' },
  ],
  { worker: true },
);
const { signedIn, axeProblems } = world;
const { ask, nextReply } = botChat(() => world.emu.emulator, 'wr_handoff_group');

beforeAll(async () => {
  const { ctx, web } = world;
  const as = (r: request.Test) => world.asAdmin(r);
  await as(request(web.app).put('/api/v1/staff/ops_li')).send({ name: '李运营', role: 'ops' }).expect(200);
  await as(request(web.app).put('/api/v1/rms/rm_zhang'))
    .send({ name: '张经理', branch: '南山支行' })
    .expect(200);
  // Clients the RM owns, as bot-handoff.test.ts has them (one statement per query, for PGlite).
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES ('wm_alpha_7781', 'rm_zhang', 'basic'),
          ('wm_beta_5523', 'rm_zhang', 'basic')`,
  );

  // Questions the FAQ does not cover: each becomes a hand-off pending a person.
  expect(await nextReply(await ask('wm_beta_5523', '@智能助手 我想咨询一下外汇期权的定价模型'))).toBe(
    HANDOFF_REPLY,
  );
  expect(
    await nextReply(await ask('wm_alpha_7781', '@智能助手 我想咨询一下房贷提前还款的违约金怎么算')),
  ).toBe(HANDOFF_REPLY);
  await queryRows(
    ctx.database.db,
    sql`UPDATE conversations SET sla_due_at = now() - interval '5 minutes' WHERE client_userid = 'wm_beta_5523'`,
  );
  const pending = await as(request(web.app).get('/api/v1/conversations?state=pending-human')).expect(200);
  const idOf = (client: string) =>
    (pending.body.items as { id: number; clientUserid: string }[]).find((c) => c.clientUserid === client)
      ?.id ?? 0;
  ids.fresh = idOf('wm_alpha_7781');
  ids.overdue = idOf('wm_beta_5523');
  expect(ids.fresh).toBeGreaterThan(0);
  expect(ids.overdue).toBeGreaterThan(0);
}, 90_000);

/** The browser's `getComputedStyle`, as far as this test uses it (the test's types have no DOM). */
type Styled = { getComputedStyle: (el: unknown) => { color: string } };

/** The table row of hand-off `id` (its first cell is the id). */
const rowOf = (page: Page, id: number): Locator =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: String(id), exact: true }) });

describe('the 转人工 page', () => {
  it('lists pending hand-offs with masked clients and a running SLA clock, overdue in red', async () => {
    // On Playwright's clock: the clocks tick when the test moves time on, not a wall-clock second later.
    const page = await signedIn('李运营', '/console/handoffs', { clock: true });
    await page.getByRole('heading', { name: '转人工', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: '待接手', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );

    const fresh = rowOf(page, ids.fresh);
    await fresh.waitFor();
    // The client's id is masked: its first four characters only.
    await fresh.getByRole('cell', { name: 'wm_a…', exact: true }).waitFor();
    expect(await page.content()).not.toContain('wm_alpha_7781');
    await fresh.getByRole('cell', { name: 'wr_handoff_group', exact: true }).waitFor();
    await fresh.getByRole('cell', { name: 'rm_zhang', exact: true }).waitFor();
    await fresh.getByRole('cell', { name: '尚无人接手', exact: true }).waitFor();

    // The clock counts down, second by second.
    const clock = fresh.getByRole('timer');
    const first = await clock.textContent();
    expect(first).toMatch(/^剩余 (\d+:)?\d\d:\d\d$/);
    await page.clock.runFor(1000);
    await expect.poll(() => clock.textContent(), { timeout: 5_000 }).not.toBe(first);
    expect(await clock.textContent()).toMatch(/^剩余 /);
    // The due time is shown in Shanghai's time.
    expect(await fresh.locator('time').textContent()).toMatch(/^时限 \d{4}-\d\d-\d\d \d\d:\d\d$/);

    // Past its due time: how long overdue, in red, counting up.
    const overdue = rowOf(page, ids.overdue).getByRole('timer');
    expect(await overdue.textContent()).toMatch(/^已超时 \d\d:\d\d$/);
    expect(await overdue.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).color)).toBe(
      'rgb(180, 35, 24)',
    );
    const late = await overdue.textContent();
    await page.clock.runFor(1000);
    await expect.poll(() => overdue.textContent(), { timeout: 5_000 }).not.toBe(late);

    expect(await axeProblems(page)).toEqual([]);
  });

  it('resolves a hand-off: it leaves the pending list and shows under 已解决', async () => {
    const page = await signedIn('李运营', '/console/handoffs');
    const row = rowOf(page, ids.fresh);
    await row.getByRole('button', { name: `标记已解决（会话 ${ids.fresh}）` }).click();
    await page.getByRole('status').getByText(`会话 ${ids.fresh} 已解决`).waitFor();
    await expect.poll(() => row.count()).toBe(0);
    // The other one is still pending.
    await rowOf(page, ids.overdue).waitFor();

    await page.getByRole('button', { name: '已解决', exact: true }).click();
    await page.getByRole('heading', { name: '已解决的转人工' }).waitFor();
    const resolved = rowOf(page, ids.fresh);
    await resolved.waitFor();
    // Closed: no clock, no resolve button.
    expect(await resolved.getByRole('timer').count()).toBe(0);
    expect(await resolved.getByRole('button').count()).toBe(0);
    expect(await rowOf(page, ids.overdue).count()).toBe(0);
    expect(await axeProblems(page)).toEqual([]);

    // And it is no longer pending after a reload either.
    await page.reload();
    await rowOf(page, ids.overdue).waitFor();
    expect(await rowOf(page, ids.fresh).count()).toBe(0);
  });

  it('shows the API’s own refusal next to the row when the hand-off was closed meanwhile', async () => {
    const page = await signedIn('李运营', '/console/handoffs');
    const row = rowOf(page, ids.overdue);
    await row.waitFor();
    // Someone else closes it behind this page's back.
    await world
      .asAdmin(request(world.web.app).post(`/api/v1/conversations/${ids.overdue}/resolve`))
      .expect(200);
    await row.getByRole('button', { name: `标记已解决（会话 ${ids.overdue}）` }).click();
    const alert = row.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      `在您的权限范围内没有编号为 ${ids.overdue} 的待处理转人工会话`,
    );
    expect(await axeProblems(page)).toEqual([]);
  });
});
