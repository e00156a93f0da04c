import { sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import type { GrantReward } from '../../src/modules/referral/referral.service.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';

// Referral (裂变): a client's personal code, the referrals its add events record, and rewards that are
// paid only when the referred client activates, under the anti-fraud rules. The points module is not
// here: a recorder stands in for its grant.
type Reward = Parameters<GrantReward>[1];
const rewards: Reward[] = [];
const helix = useHelixWithRms({
  // Small limits, so the cap and the cluster show with a few clients; each test adds to RMs of its own so
  // only the cluster test ever reaches REFERRAL_CLUSTER_SIZE referrals to one RM.
  env: { REFERRAL_MONTHLY_CAP: '2', REFERRAL_CLUSTER_SIZE: '4', REFERRAL_CLUSTER_MINUTES: '10' },
  ports: {
    grantReward: async (_tx, r) => {
      rewards.push(r);
    },
  },
});
const { driver, db, welcomeOf } = helix;

const ops = () => `Bearer ${helix.opsToken}`;

/** A client who added `rm` with no state (an ordinary client), once their welcome is decided. */
async function clientOf(id: string, rm = 'rm_zhang') {
  await driver().clientAddsRm({ externalUserId: id, rmUserId: rm });
  await welcomeOf(id);
}

/** The referrer's code, created (or read back) by ops. */
async function codeOf(referrer: string): Promise<{ state: string; configId: string; rm: string }> {
  const res = await request(helix.web.app)
    .post(`/api/v1/clients/${referrer}/referral-code`)
    .set('authorization', ops());
  expect(res.status).toBe(200);
  return res.body;
}

/** `id` adds `rm` through `state` (scans a referral code); resolves once the add is processed. */
async function addsThrough(id: string, state: string, rm: string) {
  await driver().clientAddsRm({ externalUserId: id, rmUserId: rm, state });
  // Not welcomeOf: a client who was here before already has a decided welcome.
  await helix.allProcessed();
}

async function referralOf(referred: string) {
  const res = await request(helix.web.app).get('/api/v1/referrals?limit=500').set('authorization', ops());
  expect(res.status).toBe(200);
  return (res.body.items as { id: number; referred: string; status: string; reason: string | null }[]).find(
    (r) => r.referred === referred,
  );
}

async function activate(
  events: { externalUserid: string; ref: string; occurredAt?: string; kind?: string }[],
) {
  return request(helix.web.app)
    .post('/api/v1/activation-events')
    .set('authorization', ops())
    .send({
      events: events.map((e) => ({
        kind: 'first_deposit',
        occurredAt: new Date().toISOString(),
        ...e,
      })),
    });
}

describe('referral codes', () => {
  it("gives a client one personal contact-me code on their RM, to ops and to the client's own RM only", async () => {
    await clientOf('wm_ref1');
    const first = await codeOf('wm_ref1');
    expect(first.state).toMatch(/^rf-[a-z2-7]{16}$/);
    expect(first.rm).toBe('rm_zhang');
    const way = helix.emu.emulator.inspect().contactWays.find((w) => w.configId === first.configId);
    expect(way).toMatchObject({ state: first.state, users: ['rm_zhang'] });
    // Idempotent: the same code again, and no second contact way in WeCom.
    expect(await codeOf('wm_ref1')).toEqual(first);
    expect(helix.emu.emulator.inspect().contactWays.filter((w) => w.state === first.state)).toHaveLength(1);

    const tokens = createTokenService({ db: db(), audit: createAuditRepository() });
    const token = async (name: string) =>
      (await tokens.create({ name, role: 'rm', branchScope: null, actor: 'test' })).secret;
    const own = await request(helix.web.app)
      .post('/api/v1/clients/wm_ref1/referral-code')
      .set('authorization', `Bearer ${await token('rm_zhang')}`);
    expect(own.status).toBe(200);
    expect(own.body.state).toBe(first.state);
    const other = await request(helix.web.app)
      .post('/api/v1/clients/wm_ref1/referral-code')
      .set('authorization', `Bearer ${await token('rm_li')}`);
    expect(other.status).toBe(404);
    const missing = await request(helix.web.app)
      .post('/api/v1/clients/wm_nobody/referral-code')
      .set('authorization', ops());
    expect(missing.status).toBe(404);
  });

  it('gives concurrent first calls one code, and leaves no orphan contact way in WeCom', async () => {
    await clientOf('wm_race');
    const waysBefore = helix.emu.emulator.inspect().contactWays.length;
    const codes = await Promise.all([1, 2, 3].map(() => codeOf('wm_race')));
    expect(new Set(codes.map((c) => c.state)).size).toBe(1);
    const ways = helix.emu.emulator.inspect().contactWays;
    expect(ways).toHaveLength(waysBefore + 1);
    expect(
      ways.filter((w) => w.state.startsWith('rf-') && w.users.includes('rm_zhang')).map((w) => w.state),
    ).toContain(codes[0]?.state);
  });

  it('refuses a channel whose state looks like a referral code', async () => {
    const res = await request(helix.web.app)
      .post('/api/v1/channels')
      .set('authorization', ops())
      .send({ id: 'fake-ref', name: '冒充', state: 'rf-abc', rmUserids: ['rm_zhang'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('rf-');
  });
});

describe('referral rewards', () => {
  it('records the referrer on the add event and pays only once the referred client activates', async () => {
    const { state } = await codeOf('wm_ref1');
    await addsThrough('wm_new1', state, 'rm_zhang');
    expect(await referralOf('wm_new1')).toMatchObject({
      referrer: 'wm_ref1',
      status: 'pending',
      reason: null,
    });
    // Attributed as any client without a channel, with the code's state kept; no reward yet.
    const [client] = await queryRows<{ channel_id: string; channel_state: string }>(
      db(),
      sql`SELECT channel_id, channel_state FROM clients WHERE external_userid = 'wm_new1'`,
    );
    expect(client).toEqual({ channel_id: 'unknown', channel_state: state });
    expect(rewards).toEqual([]);

    const res = await activate([{ externalUserid: 'wm_new1', ref: 'dep-new1' }]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ ref: 'dep-new1', status: 'activated' }]);
    expect(await referralOf('wm_new1')).toMatchObject({ status: 'rewarded' });
    expect(rewards).toEqual([
      { referralId: expect.any(Number), referrer: 'wm_ref1', referred: 'wm_new1', points: 200 },
    ]);
    // A second activation (another product) pays nothing more.
    const again = await activate([{ externalUserid: 'wm_new1', ref: 'buy-new1', kind: 'product_purchase' }]);
    expect(again.body.results).toEqual([{ ref: 'buy-new1', status: 'recorded' }]);
    expect(rewards).toHaveLength(1);
  });

  it('rejects a self-referral', async () => {
    const { state } = await codeOf('wm_ref1');
    await addsThrough('wm_ref1', state, 'rm_self');
    expect(await referralOf('wm_ref1')).toMatchObject({ status: 'rejected', reason: 'self_referral' });
  });

  it('pays nothing for a contact who was already a client', async () => {
    const { state } = await codeOf('wm_ref1');
    await clientOf('wm_old', 'rm_readd');
    // The old client removes and re-adds the RM, this time through a friend's code.
    await addsThrough('wm_old', state, 'rm_readd');
    expect(await referralOf('wm_old')).toMatchObject({ status: 'rejected', reason: 'already_client' });
    await activate([{ externalUserid: 'wm_old', ref: 'dep-old' }]);
    expect(rewards.filter((r) => r.referred === 'wm_old')).toEqual([]);
  });

  it('pays a referrer at most the monthly cap; the rest are rejected with reason cap', async () => {
    await clientOf('wm_ref2');
    const { state } = await codeOf('wm_ref2');
    for (const id of ['wm_cap1', 'wm_cap2', 'wm_cap3']) await addsThrough(id, state, 'rm_cap');
    const res = await activate(
      ['wm_cap1', 'wm_cap2', 'wm_cap3'].map((id) => ({ externalUserid: id, ref: `dep-${id}` })),
    );
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'activated',
      'activated',
      'activated',
    ]);
    expect(rewards.filter((r) => r.referrer === 'wm_ref2').map((r) => r.referred)).toEqual([
      'wm_cap1',
      'wm_cap2',
    ]);
    expect(await referralOf('wm_cap3')).toMatchObject({ status: 'rejected', reason: 'cap' });
  });

  it('sends a burst of referrals to one RM to review; an approved one is paid once its client activated', async () => {
    await clientOf('wm_ref3', 'rm_li');
    const { state } = await codeOf('wm_ref3');
    const burst = ['wm_bur1', 'wm_bur2', 'wm_bur3', 'wm_bur4'];
    for (const id of burst) await addsThrough(id, state, 'rm_li');
    const queue = await request(helix.web.app)
      .get('/api/v1/referrals?status=review')
      .set('authorization', ops());
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((r: { referred: string }) => r.referred)).toEqual(burst);
    expect(queue.body.items.every((r: { reason: string }) => r.reason === 'cluster')).toBe(true);

    // Activation alone pays nothing while the referral waits for review.
    await activate([{ externalUserid: 'wm_bur1', ref: 'dep-bur1' }]);
    expect(rewards.filter((r) => r.referrer === 'wm_ref3')).toEqual([]);

    const ids = Object.fromEntries(
      queue.body.items.map((r: { referred: string; id: number }) => [r.referred, r.id]),
    );
    const review = (id: number, decision: string, reason = '已核实') =>
      request(helix.web.app)
        .post(`/api/v1/referrals/${id}/review`)
        .set('authorization', ops())
        .send({ decision, reason });
    const approved = await review(ids.wm_bur1, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'rewarded', reviewedBy: '运营小王' });
    expect(rewards.filter((r) => r.referrer === 'wm_ref3').map((r) => r.referred)).toEqual(['wm_bur1']);
    // Approved before activating: it waits, pending, and is paid when the client activates.
    expect((await review(ids.wm_bur2, 'approve')).body).toMatchObject({ status: 'pending' });
    await activate([{ externalUserid: 'wm_bur2', ref: 'dep-bur2' }]);
    expect(rewards.filter((r) => r.referrer === 'wm_ref3').map((r) => r.referred)).toEqual([
      'wm_bur1',
      'wm_bur2',
    ]);
    const rejected = await review(ids.wm_bur3, 'reject', '同一设备批量添加');
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '同一设备批量添加' });
    // Decided already: a second decision is refused.
    expect((await review(ids.wm_bur3, 'approve')).status).toBe(409);
    expect((await review(999_999, 'approve')).status).toBe(404);
    expect((await review(ids.wm_bur4, 'maybe')).status).toBe(400);
    const audit = await queryRows<{ action: string }>(
      db(),
      sql`SELECT action FROM audit_log WHERE target_type = 'referral' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['referral.approve', 'referral.approve', 'referral.reject']);
  });
});
