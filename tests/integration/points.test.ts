import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createPointsRepository } from '../../src/modules/points/points.repository.ts';
import {
  createPointsService,
  type PointsService,
  pointsRefusalOf,
} from '../../src/modules/points/points.service.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

// Points and membership (issue 15 part 4) on real PostgreSQL, through the API, the service other modules
// call in their own transactions, and the bot a client asks for their balance.

let h: HelixWithEmulator;
let ctx: AppContext;
let web: WebApp;
let db: Db;
let points: PointsService;
let admin: string;
let rmA: string;

const api = () => request(web.app);
const balanceOf = async (client: string) =>
  (
    await queryRows<{ balance: number }>(
      db,
      sql`SELECT balance FROM points_balances WHERE external_userid = ${client}`,
    )
  )[0]?.balance ?? 0;
const lotsLeft = async (client: string) =>
  (
    await queryRows<{ n: number }>(
      db,
      sql`SELECT COALESCE(sum(remaining), 0)::int AS n FROM points_lots WHERE external_userid = ${client}`,
    )
  )[0]?.n;
const grant = (client: string, amount: number, source: string, svc = points) =>
  db.transaction((tx) =>
    svc.grant(tx, {
      externalUserid: client,
      amount,
      reason: 'test',
      source: { type: 'event', id: source },
      actor: 'test',
    }),
  );

beforeAll(async () => {
  h = await startHelixWithEmulator();
  ({ ctx, web } = h);
  db = ctx.database.db;
  points = createPointsService({
    db,
    repo: createPointsRepository(),
    audit: createAuditRepository(),
    clock: ctx.clock,
    timeZone: 'Asia/Shanghai',
  });
  await queryRows(db, sql`INSERT INTO rms (userid, name) VALUES ('rm_a', 'A经理'), ('rm_b', 'B经理')`);
  await queryRows(
    db,
    sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES
          ('wm_spender', 'rm_a', 'basic'), ('wm_ops', 'rm_a', 'basic'), ('wm_idem', 'rm_a', 'basic'),
          ('wm_old', 'rm_a', 'basic'), ('wm_asker', 'rm_a', 'basic'), ('wm_vip', 'rm_b', 'premium')`,
  );
  const tokens = createTokenService({ db, audit: createAuditRepository() });
  admin = (await tokens.create({ name: 'admin', role: 'admin', branchScope: null, actor: 'test' })).secret;
  rmA = (await tokens.create({ name: 'rm_a', role: 'rm', branchScope: null, actor: 'test' })).secret;
});
afterAll(async () => h?.stop());

describe('the balance under concurrency', () => {
  it('lets exactly 10 of 50 concurrent one-point spends through a balance of 10, and never below 0', async () => {
    await grant('wm_spender', 10, 'welfare-day-1');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction((tx) =>
          points.spend(tx, {
            externalUserid: 'wm_spender',
            amount: 1,
            reason: '兑换',
            source: { type: 'claim', id: `claim-${i}` },
            actor: 'flash-sale',
          }),
        ),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [pointsRefusalOf(o.reason)] : []));
    expect(won).toHaveLength(10);
    expect(refused).toEqual(Array(40).fill('points.insufficient'));
    expect(await balanceOf('wm_spender')).toBe(0);
    expect(await lotsLeft('wm_spender')).toBe(0);
    const [spends] = await queryRows<{ n: number; total: number }>(
      db,
      sql`SELECT count(*)::int AS n, sum(amount)::int AS total FROM points_ledger
          WHERE external_userid = 'wm_spender' AND kind = 'spend'`,
    );
    expect(spends).toEqual({ n: 10, total: -10 });
  });

  it('leaves no ledger row behind for a refused spend its caller caught', async () => {
    const before = await queryRows(db, sql`SELECT id FROM points_ledger`);
    await db.transaction(async (tx) => {
      const err = await points
        .spend(tx, {
          externalUserid: 'wm_spender',
          amount: 5,
          reason: '兑换',
          source: { type: 'claim', id: 'caught' },
          actor: 'flash-sale',
        })
        .catch((e: unknown) => e);
      expect(pointsRefusalOf(err)).toBe('points.insufficient');
    });
    expect(await queryRows(db, sql`SELECT id FROM points_ledger`)).toHaveLength(before.length);
  });
});

describe('grants and reversals', () => {
  it('grants once per source: a repeat changes nothing', async () => {
    const first = await grant('wm_idem', 300, 'night-school-7');
    const again = await grant('wm_idem', 300, 'night-school-7');
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ entryId: first.entryId, balance: 300, duplicate: true });
    expect(await balanceOf('wm_idem')).toBe(300);

    const body = { amount: 50, reason: '客诉补偿', ref: 'ticket-42' };
    const r1 = await api()
      .post('/api/v1/clients/wm_idem/points/grants')
      .auth(admin, { type: 'bearer' })
      .send(body);
    const r2 = await api()
      .post('/api/v1/clients/wm_idem/points/grants')
      .auth(admin, { type: 'bearer' })
      .send(body);
    expect([r1.status, r2.status]).toEqual([201, 200]);
    expect(r2.body).toEqual({ entryId: r1.body.entryId, balance: 350, duplicate: true });
  });

  it('refuses a grant without a reason (400), and one for a client it does not know (404)', async () => {
    const noReason = await api()
      .post('/api/v1/clients/wm_ops/points/grants')
      .auth(admin, { type: 'bearer' })
      .send({ amount: 10 });
    expect(noReason.status).toBe(400);
    const blank = await api()
      .post('/api/v1/clients/wm_ops/points/grants')
      .auth(admin, { type: 'bearer' })
      .send({ amount: 10, reason: '   ' });
    expect(blank.status).toBe(400);
    const nobody = await api()
      .post('/api/v1/clients/wm_nobody/points/grants')
      .auth(admin, { type: 'bearer' })
      .send({ amount: 10, reason: '补偿' });
    expect(nobody.status).toBe(404);
    expect(await balanceOf('wm_ops')).toBe(0);
  });

  it('reverses a grant once, refuses a reversal of a reversal, and audits both changes', async () => {
    const granted = await api()
      .post('/api/v1/clients/wm_ops/points/grants')
      .auth(admin, { type: 'bearer' })
      .send({ amount: 200, reason: '活动奖励' });
    expect(granted.status).toBe(201);
    const reversed = await api()
      .post(`/api/v1/points/entries/${granted.body.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({ reason: '误发' });
    expect(reversed.status).toBe(201);
    expect(reversed.body.balance).toBe(0);

    const ofReversal = await api()
      .post(`/api/v1/points/entries/${reversed.body.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({ reason: '再撤销' });
    expect(ofReversal.status).toBe(409);
    expect(ofReversal.body.error.message).toContain('points.reversal_of_reversal');
    const twice = await api()
      .post(`/api/v1/points/entries/${granted.body.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({ reason: '再撤销' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('points.already_reversed');
    const noReason = await api()
      .post(`/api/v1/points/entries/${granted.body.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({});
    expect(noReason.status).toBe(400);
    expect(await balanceOf('wm_ops')).toBe(0);

    const audited = await queryRows<{ action: string }>(
      db,
      sql`SELECT action FROM audit_log WHERE target_id = 'wm_ops' ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual(['points.grant', 'points.reverse']);
    const page = await api().get('/api/v1/clients/wm_ops/points').auth(admin, { type: 'bearer' });
    expect(page.body.ledger.items.map((e: { kind: string; amount: number }) => [e.kind, e.amount])).toEqual([
      ['reversal', -200],
      ['grant', 200],
    ]);
  });

  it('refuses to reverse a grant whose points were spent, and reverses a spend as a refund', async () => {
    const g = await grant('wm_ops', 100, 'welfare-day-9');
    const spent = await db.transaction((tx) =>
      points.spend(tx, {
        externalUserid: 'wm_ops',
        amount: 60,
        reason: '兑换加息券',
        source: { type: 'claim', id: 'claim-ops' },
        actor: 'flash-sale',
      }),
    );
    const refused = await api()
      .post(`/api/v1/points/entries/${g.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({ reason: '误发' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('points.already_used');
    expect(await balanceOf('wm_ops')).toBe(40);
    const refund = await api()
      .post(`/api/v1/points/entries/${spent.entryId}/reversal`)
      .auth(admin, { type: 'bearer' })
      .send({ reason: '订单取消' });
    expect(refund.status).toBe(201);
    expect(refund.body.balance).toBe(100);
    expect(await lotsLeft('wm_ops')).toBe(100);
    expect(await balanceOf('wm_ops')).toBe(100);
  });

  it('keeps the ledger append-only in the database itself', async () => {
    const refusal = (q: ReturnType<typeof sql>) =>
      queryRows(db, q).then(
        () => 'allowed',
        (err: { cause?: { message?: string } }) => err.cause?.message,
      );
    await grant('wm_ops', 1, 'append-only-probe');
    expect(await refusal(sql`UPDATE points_ledger SET amount = 1`)).toMatch(/append-only/);
    expect(await refusal(sql`DELETE FROM points_ledger`)).toMatch(/append-only/);
    expect(await refusal(sql`TRUNCATE points_ledger CASCADE`)).toMatch(/append-only/);
  });
});

describe('expiry', () => {
  it('expires points at the end of the year after their grant: expire rows, a lower balance, once', async () => {
    // Granted in mid-2024 (Shanghai): expired since 2026-01-01 00:00 +08:00; today's grant is kept.
    const past = createPointsService({
      db,
      repo: createPointsRepository(),
      audit: createAuditRepository(),
      clock: fixedClock(new Date('2024-06-01T02:00:00Z')),
      timeZone: 'Asia/Shanghai',
    });
    await grant('wm_old', 500, 'old-event', past);
    await grant('wm_old', 70, 'new-event');
    expect(await balanceOf('wm_old')).toBe(570);
    const run = await api().post('/api/v1/points/expiry-runs').auth(admin, { type: 'bearer' }).send({});
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ lots: 1, points: 500 });
    expect(await balanceOf('wm_old')).toBe(70);
    const rows = await queryRows<{ kind: string; amount: number }>(
      db,
      sql`SELECT kind, amount FROM points_ledger WHERE external_userid = 'wm_old' AND kind = 'expire'`,
    );
    expect(rows).toEqual([{ kind: 'expire', amount: -500 }]);
    const again = await api().post('/api/v1/points/expiry-runs').auth(admin, { type: 'bearer' }).send({});
    expect(again.body).toEqual({ lots: 0, points: 0 });
    // The rule's edge: one second before local new year 2026 the 2024 grant would still have been good.
    await grant('wm_old', 5, 'edge-event', past);
    expect(await points.expire(new Date('2025-12-31T15:59:59Z'))).toEqual({ lots: 0, points: 0 });
    expect(await points.expire(new Date('2025-12-31T16:00:00Z'))).toEqual({ lots: 1, points: 5 });
  });
});

describe('reading points', () => {
  it('answers 积分查询 from the bot with the balance and level read from the ledger', async () => {
    await grant('wm_asker', 1200, 'tea-party-3');
    const { ask, nextReply } = botChat(() => h.emu.emulator, 'wr_points_group');
    const reply = await nextReply(await ask('wm_asker', '@智能助手 积分查询'));
    expect(reply).toContain('1200');
    expect(reply).toContain('银卡');
    // A premium client is a 钻石卡 member by tier, whatever their points.
    const vip = await nextReply(await ask('wm_vip', '@智能助手 我的积分'));
    expect(vip).toContain('积分余额为 0 分');
    expect(vip).toContain('钻石卡');
    // Alone with the bot, too; and the FAQ bot, wired after it, stays silent.
    const { replies } = botChat(() => h.emu.emulator, 'unused');
    const before = replies().length;
    expect(
      (await h.emu.emulator.driver?.clientMessagesBot({ userId: 'wm_asker', content: '查积分' }))?.status,
    ).toBe(200);
    expect(await nextReply(before)).toContain('1200');
    await waitUntil(async () => {
      const [r] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM inbox WHERE status = 'received'`,
      );
      return r?.n === 0;
    });
    expect(replies()).toHaveLength(before + 1);
  });

  it("shows an RM their own client's points and hides another RM's client (404)", async () => {
    const own = await api().get('/api/v1/clients/wm_asker/points').auth(rmA, { type: 'bearer' });
    expect(own.status).toBe(200);
    expect(own.body.balance).toBe(1200);
    expect(own.body.membership.name).toBe('银卡');
    const other = await api().get('/api/v1/clients/wm_vip/points').auth(rmA, { type: 'bearer' });
    expect(other.status).toBe(404);
    const grantByRm = await api()
      .post('/api/v1/clients/wm_asker/points/grants')
      .auth(rmA, { type: 'bearer' })
      .send({ amount: 10, reason: '自己加' });
    expect(grantByRm.status).toBe(403);
  });

  it('pages the ledger newest first', async () => {
    const first = await api().get('/api/v1/clients/wm_idem/points?limit=1').auth(admin, { type: 'bearer' });
    expect(first.body.ledger.items[0].amount).toBe(50);
    const next = await api()
      .get(`/api/v1/clients/wm_idem/points?limit=1&cursor=${first.body.ledger.nextCursor}`)
      .auth(admin, { type: 'bearer' });
    expect(next.body.ledger.items[0].amount).toBe(300);
    expect(next.body.ledger.nextCursor).toBeNull();
  });
});
