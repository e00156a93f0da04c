import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createAudienceRepository } from '../../src/modules/contacts/audience.repository.ts';
import { createFlashSalesRepository } from '../../src/modules/flash-sales/flash-sales.repository.ts';
import { claimLinkToken } from '../../src/modules/flash-sales/flash-sales.rules.ts';
import {
  createFlashSalesService,
  type FlashSalesService,
  type NewFlashSale,
} from '../../src/modules/flash-sales/flash-sales.service.ts';
import {
  createFlashSaleStore,
  type FlashSaleStore,
} from '../../src/modules/flash-sales/flash-sales.store.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { type Clock, fixedClock, systemClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { createRedis } from '../../src/platform/redis/connection.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

const HOUR = 3600_000;
let h: HelixWithEmulator;
let ctx: AppContext;
let web: WebApp;
let redis: Redis;
let store: FlashSaleStore;
let sales: FlashSalesService;
let ops: string;
const actor = { name: 'ops_li', requestId: null };

/** The claim service as Helix wires it (same database, Redis and key namespace), on `clock`. */
const serviceOn = (clock: Clock) =>
  createFlashSalesService({
    db: ctx.database.db,
    repo: createFlashSalesRepository(),
    store,
    facts: createAudienceRepository().eligibilityFacts,
    audit: createAuditRepository(),
    cacheMs: 1000,
    clock,
    log: ctx.log,
  });

const sale = (id: string, o: Partial<NewFlashSale> = {}): NewFlashSale => ({
  id,
  name: '午间理财加息券秒杀',
  itemName: '理财加息券',
  stock: 100,
  opensAt: new Date(Date.now() - 60_000),
  closesAt: new Date(Date.now() + HOUR),
  ...o,
});

const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(ctx.database.db, q);
const pgWinners = (id: string) =>
  rows<{ u: string }>(sql`SELECT external_userid AS u FROM flash_claims WHERE sale_id = ${id}`);

/** Runs `n` tasks with at most `concurrency` in flight. */
async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

beforeAll(async () => {
  h = await startHelixWithEmulator();
  ({ ctx, web } = h);
  redis = createRedis(ctx.redisUrl, 'general');
  // The general connection queues nothing while it connects.
  await waitUntil(() => redis.status === 'ready', 10_000, 'redis');
  store = createFlashSaleStore(redis, ctx.config.queue.prefix);
  sales = serviceOn(systemClock);
  const tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  ops = (await tokens.create({ name: 'ops_li', role: 'ops', branchScope: null, actor: 'test' })).secret;
  const day = 24 * HOUR;
  await rows(
    sql`INSERT INTO clients (external_userid, tier, risk_level, acquired_at) VALUES
          ('wm_vip', 'premium', 'C3', ${new Date(Date.now() - 3 * day).toISOString()}::timestamptz),
          ('wm_vip2', 'premium', 'C3', ${new Date(Date.now() - 3 * day).toISOString()}::timestamptz),
          ('wm_basic', 'basic', 'C3', ${new Date(Date.now() - 3 * day).toISOString()}::timestamptz),
          ('wm_old', 'premium', 'C3', ${new Date(Date.now() - 400 * day).toISOString()}::timestamptz),
          ('wm_c1', 'premium', 'C1', ${new Date(Date.now() - 3 * day).toISOString()}::timestamptz)`,
  );
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await h?.stop();
});

describe('a flash sale under load', () => {
  it('10,000 concurrent claims for 100 units: exactly 100 distinct winners, and PostgreSQL and Redis agree', async () => {
    await sales.create(sale('load-100'), actor);
    const results = await pool(10_000, 500, (i) => sales.claim('load-100', `wm_load_${i}`, { via: 'link' }));
    const won = results.filter((r) => r.outcome === 'won');
    expect(won).toHaveLength(100);
    expect(results.filter((r) => r.outcome === 'sold_out')).toHaveLength(9_900);
    const winners = await pgWinners('load-100');
    expect(new Set(winners.map((w) => w.u)).size).toBe(100);
    const live = await store.live('load-100');
    expect(live).toMatchObject({ stockLeft: 0, claimants: 100 });
    expect(live.attempts).toMatchObject({ won: 100, sold_out: 9_900 });
    const [s] = await rows<{ taken: number }>(sql`SELECT taken FROM flash_sales WHERE id = 'load-100'`);
    expect(s?.taken).toBe(100);
  }, 120_000);

  it('Redis losing the sale mid-way loses no claim and oversells nothing', async () => {
    await sales.create(sale('flush-100'), actor);
    const k = store.keys('flush-100');
    let flushed = false;
    const results = await pool(4_000, 200, async (i) => {
      if (i === 60 && !flushed) {
        flushed = true;
        // What a Redis restart without persistence does to the sale: its keys are gone.
        await redis.del(k.state, k.claimants, k.attempts);
      }
      return sales.claim('flush-100', `wm_flush_${i}`, { via: 'link' });
    });
    const won = results.flatMap((r, i) => (r.outcome === 'won' ? [`wm_flush_${i}`] : []));
    const winners = (await pgWinners('flush-100')).map((w) => w.u).sort();
    // Every client told "won" has their durable row, and no one else does: nothing lost, nothing extra.
    expect(winners).toEqual(won.sort());
    expect(winners).toHaveLength(100);
    expect(flushed).toBe(true);
    // Redis was rebuilt from PostgreSQL: no units left, the same 100 claimants; the reconciler finds nothing.
    await sales.reconcile();
    expect(await store.live('flush-100')).toMatchObject({ stockLeft: 0, claimants: 100 });
    // A winner claiming again after the rebuild is still refused a second unit.
    expect((await sales.claim('flush-100', won[0] as string, { via: 'link' })).outcome).toBe(
      'already_claimed',
    );
  }, 120_000);
});

describe('claim outcomes', () => {
  it('answers each kind of claimant, outside the window included', async () => {
    await sales.create(
      sale('rules', {
        stock: 2,
        eligibility: { tiers: ['premium'], riskLevels: ['C3'], newClientsWithinDays: 30 },
      }),
      actor,
    );
    await sales.create(
      sale('later', { opensAt: new Date(Date.now() + HOUR), closesAt: new Date(Date.now() + 2 * HOUR) }),
      actor,
    );
    await sales.create(
      sale('over', { opensAt: new Date(Date.now() - 2 * HOUR), closesAt: new Date(Date.now() - HOUR) }),
      actor,
    );
    const claim = (id: string, u: string) => sales.claim(id, u, { via: 'link' });
    expect(await claim('rules', 'wm_basic')).toMatchObject({ outcome: 'not_eligible', reason: 'tier' });
    expect(await claim('rules', 'wm_c1')).toMatchObject({ outcome: 'not_eligible', reason: 'risk_level' });
    expect(await claim('rules', 'wm_old')).toMatchObject({
      outcome: 'not_eligible',
      reason: 'not_new_client',
    });
    expect(await claim('rules', 'wm_nobody')).toMatchObject({
      outcome: 'not_eligible',
      reason: 'unknown_client',
    });
    expect((await claim('rules', 'wm_vip')).outcome).toBe('won');
    expect((await claim('rules', 'wm_vip')).outcome).toBe('already_claimed');
    expect((await claim('later', 'wm_vip')).outcome).toBe('not_open');
    expect((await claim('over', 'wm_vip')).outcome).toBe('closed');
  });

  it('gives an expired unit back to the stock only when the sale says so', async () => {
    const clock = fixedClock(new Date());
    const timed = serviceOn(clock);
    await timed.create(
      sale('give-back', {
        stock: 1,
        returnUnclaimed: true,
        redeemWithinHours: 1,
        closesAt: new Date(Date.now() + 24 * HOUR),
      }),
      actor,
    );
    await timed.create(
      sale('keep', { stock: 1, redeemWithinHours: 1, closesAt: new Date(Date.now() + 24 * HOUR) }),
      actor,
    );
    expect((await timed.claim('give-back', 'wm_a', { via: 'link' })).outcome).toBe('won');
    expect((await timed.claim('keep', 'wm_a', { via: 'link' })).outcome).toBe('won');
    expect((await timed.claim('give-back', 'wm_b', { via: 'link' })).outcome).toBe('sold_out');
    clock.set(new Date(clock.now().getTime() + 2 * HOUR));
    expect(await timed.expireDue()).toBe(2);
    expect((await timed.claim('give-back', 'wm_b', { via: 'link' })).outcome).toBe('won');
    expect((await timed.claim('keep', 'wm_b', { via: 'link' })).outcome).toBe('sold_out');
    // The first claimant's expired unit went back, but the one-per-client limit still holds for them.
    expect((await timed.claim('give-back', 'wm_a', { via: 'link' })).outcome).toBe('already_claimed');
    const statuses = await rows<{ sale_id: string; external_userid: string; status: string }>(
      sql`SELECT sale_id, external_userid, status FROM flash_claims WHERE sale_id IN ('give-back', 'keep')
          ORDER BY sale_id, external_userid`,
    );
    expect(statuses.map((s) => `${s.sale_id}/${s.external_userid}/${s.status}`)).toEqual([
      'give-back/wm_a/returned',
      'give-back/wm_b/won',
      'keep/wm_a/expired',
    ]);
  });
});

describe('the API', () => {
  const api = () => request(web.app);
  it('ops create a sale, clients claim through their signed link, ops see live results and redeem', async () => {
    const created = await api()
      .post('/api/v1/flash-sales')
      .set('Authorization', `Bearer ${ops}`)
      .send({
        id: 'api-sale',
        name: '周三福利日秒杀',
        itemName: '视频会员月卡',
        stock: 5,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + HOUR).toISOString(),
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: 'api-sale', keyword: '秒杀', stock: 5, taken: 0 });

    const link = await api()
      .post('/api/v1/flash-sales/api-sale/links')
      .set('Authorization', `Bearer ${ops}`)
      .send({ externalUserid: 'wm_link' });
    expect(link.status).toBe(200);
    expect(link.body.token).toBe(claimLinkToken(ctx.config.flashSales.linkSecret, 'api-sale', 'wm_link'));

    // Another client's token, or none, claims nothing.
    const forged = await api()
      .post('/public/flash-sales/api-sale/claims')
      .send({
        externalUserid: 'wm_link',
        token: claimLinkToken(ctx.config.flashSales.linkSecret, 'api-sale', 'wm_x'),
      });
    expect(forged.status).toBe(401);
    const bad = await api().post('/public/flash-sales/api-sale/claims').send({ externalUserid: 'wm_link' });
    expect(bad.status).toBe(400);

    const claimed = await api()
      .post('/public/flash-sales/api-sale/claims')
      .send({ externalUserid: 'wm_link', token: link.body.token });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toEqual({ outcome: 'won' });
    const again = await api()
      .post('/public/flash-sales/api-sale/claims')
      .send({ externalUserid: 'wm_link', token: link.body.token });
    expect(again.body).toEqual({ outcome: 'already_claimed' });

    const results = await api().get('/api/v1/flash-sales/api-sale').set('Authorization', `Bearer ${ops}`);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({
      stockLeft: 4,
      claimsByStatus: { won: 1 },
      attempts: { won: 1, already_claimed: 1 },
    });
    expect(results.body.winners.map((w: { externalUserid: string }) => w.externalUserid)).toEqual([
      'wm_link',
    ]);

    const redeemed = await api()
      .post('/api/v1/flash-sales/api-sale/redemptions')
      .set('Authorization', `Bearer ${ops}`)
      .send({ externalUserid: 'wm_link' });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.status).toBe('redeemed');
    const twice = await api()
      .post('/api/v1/flash-sales/api-sale/redemptions')
      .set('Authorization', `Bearer ${ops}`)
      .send({ externalUserid: 'wm_link' });
    expect(twice.status).toBe(409);

    const list = await api().get('/api/v1/flash-sales').set('Authorization', `Bearer ${ops}`);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain('api-sale');
    const audit = await rows<{ action: string }>(
      sql`SELECT action FROM audit_log WHERE target_type = 'flash_sale' AND target_id = 'api-sale' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['flash_sale.create', 'flash_sale.redeem']);
  });

  it('refuses bad input with a 4xx', async () => {
    const res = await api()
      .post('/api/v1/flash-sales')
      .set('Authorization', `Bearer ${ops}`)
      .send({ id: 'Bad Id', name: '', stock: -1 });
    expect(res.status).toBe(400);
    const missing = await api().get('/api/v1/flash-sales/no-such-sale').set('Authorization', `Bearer ${ops}`);
    expect(missing.status).toBe(404);
    const noAuth = await api().get('/api/v1/flash-sales');
    expect(noAuth.status).toBe(401);
  });
});

describe('the bot in a group', () => {
  const { ask, nextReply } = botChat(() => h.emu.emulator, 'wr_flash_group');
  it('claims on the keyword and answers every outcome with its approved text', async () => {
    await sales.create(
      sale('lunch', { stock: 1, keyword: '午间秒杀', eligibility: { tiers: ['premium'] } }),
      actor,
    );
    await sales.create(
      sale('evening', {
        keyword: '晚间秒杀',
        opensAt: new Date(Date.now() + HOUR),
        closesAt: new Date(Date.now() + 2 * HOUR),
      }),
      actor,
    );
    await sales.create(
      sale('morning', {
        keyword: '早间秒杀',
        opensAt: new Date(Date.now() - 2 * HOUR),
        closesAt: new Date(Date.now() - HOUR),
      }),
      actor,
    );
    const say = async (u: string, text: string) => nextReply(await ask(u, `@智能助手 ${text}`));
    expect(await say('wm_vip', '午间秒杀')).toContain('恭喜您抢到理财加息券');
    expect(await say('wm_vip', '午间秒杀')).toContain('每位客户限领一次');
    expect(await say('wm_basic', '午间秒杀')).toContain('仅限指定客户等级');
    expect(await say('wm_vip2', '午间秒杀')).toContain('已全部抢完');
    expect(await say('wm_vip', '晚间秒杀')).toContain('还未开始');
    expect(await say('wm_vip', '早间秒杀')).toContain('已经结束');
    const [row] = await rows<{ via: string; chat_id: string }>(
      sql`SELECT via, chat_id FROM flash_claims WHERE sale_id = 'lunch'`,
    );
    expect(row).toEqual({ via: 'keyword', chat_id: 'wr_flash_group' });
  }, 60_000);
});
