import { sql } from 'drizzle-orm';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';

// Profile imports route clients into tier groups; lookups are scoped to the caller's clients or branch.
const helix = useHelixWithRms();
const { driver, db, allProcessed } = helix;

// The clients these tests import profiles for: two of 张经理's (one from a channel, one from a state that
// names none) and two of 李经理's (one added without a welcome code).
beforeAll(async () => {
  await driver().clientAddsRm({ externalUserId: 'wm_wang', rmUserId: 'rm_zhang', state: 'ch-metro' });
  await driver().clientAddsRm({ externalUserId: 'wm_stray', rmUserId: 'rm_zhang', state: 'ch-gone' });
  await driver().clientAddsRm({ externalUserId: 'wm_joiner', rmUserId: 'rm_li', state: 'ch-metro' });
  await driver().clientAddsRm({ externalUserId: 'wm_nocode', rmUserId: 'rm_li', welcomeCode: '' });
  await allProcessed();
});

describe('profile import, tier routing and scoped lookup', () => {
  const importCsv = (text: string) =>
    request(helix.web.app)
      .post('/api/v1/clients/import?fileName=feed.csv')
      .set('authorization', `Bearer ${helix.opsToken}`)
      .set('content-type', 'text/csv')
      .send(text);

  it('routes imported clients, invites them with an explanation, and tells their RM', async () => {
    const res = await importCsv(
      'external_userid,aum_band,risk_level,tags\nwm_wang,500k-6m,C3,基金\nwm_stray,lt50k,C2,\n',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ok: true, rows: 2, created: 0, updated: 2 });
    expect(res.body.routing).toMatchObject({ routed: 2, placed: 2 });
    const invites = await queryRows<{ group_key: string; explanation: { text: string }[] }>(
      db(),
      sql`SELECT group_key, explanation FROM group_invitations
          WHERE external_userid = 'wm_wang' AND status = 'pending' ORDER BY group_key`,
    );
    expect(invites.map((i) => i.group_key)).toEqual(['jimin', 'premium']);
    expect(invites[0]?.explanation.map((e) => e.text)).toContain('joins jimin because tag 基金');
    const notices =
      helix.emu.emulator.inspect().members.find((m) => m.userid === 'rm_zhang')?.appMessages ?? [];
    expect(JSON.stringify(notices.at(-1)?.payload)).toContain('入群邀请或调整任务');
  });

  it('changes nothing when the same profile is imported again', async () => {
    const again = await importCsv('external_userid,aum_band,risk_level,tags\nwm_wang,500k-6m,C3,基金\n');
    expect(again.status).toBe(201);
    expect(again.body.routing).toMatchObject({ routed: 1, placed: 0, upgraded: 0, invitations: 0 });
    const [c] = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM group_invitations WHERE external_userid = 'wm_wang' AND status = 'pending'`,
    );
    expect(c?.n).toBe(2);
  });

  it('upgrades a client at once after a new import, and rejects a bad file whole', async () => {
    await importCsv('external_userid,aum_band\nwm_joiner,lt50k\n');
    const res = await importCsv('external_userid,aum_band\nwm_joiner,ge6m\n');
    expect(res.body.routing).toMatchObject({ upgraded: 1 });
    const bad = await importCsv('external_userid,aum_band\nwm_joiner,lt50k\nwm_x,10m\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([
      { line: 3, field: 'aum_band', message: 'must be one of lt50k, 50k-500k, 500k-6m, ge6m' },
    ]);
    const [c] = await queryRows<{ tier: string }>(
      db(),
      sql`SELECT tier FROM clients WHERE external_userid = 'wm_joiner'`,
    );
    expect(c?.tier).toBe('premium');
  });

  it('previews where profiles would go without writing anything', async () => {
    const res = await request(helix.web.app)
      .post('/api/v1/tiers/preview')
      .set('authorization', `Bearer ${helix.opsToken}`)
      .send({
        clients: [
          { aumBand: '500k-6m', tags: ['信用卡'] },
          { aumBand: '50k-500k', tier: 'premium' },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ tier: 'premium', joins: ['premium', 'kaquan'] });
    expect(res.body.items[1]).toMatchObject({ tier: 'premium', pendingDowngradeTo: 'intermediate' });
  });

  it('shows an RM only their own clients and ops only their branch', async () => {
    const tokens = createTokenService({ db: db(), audit: createAuditRepository() });
    const rm = (await tokens.create({ name: 'rm_li', role: 'rm', branchScope: null, actor: 'test' })).secret;
    const futian = (
      await tokens.create({ name: '福田运营', role: 'ops', branchScope: '福田支行', actor: 'test' })
    ).secret;
    const get = (token: string, path: string) =>
      request(helix.web.app).get(path).set('authorization', `Bearer ${token}`);
    expect((await get(rm, '/api/v1/clients/wm_nocode')).status).toBe(200);
    expect((await get(rm, '/api/v1/clients/wm_wang')).status).toBe(404);
    const mine = await get(rm, '/api/v1/clients?limit=500');
    expect(mine.body.items.every((c: { ownerRm: string }) => c.ownerRm === 'rm_li')).toBe(true);
    const branch = await get(futian, '/api/v1/clients?limit=500');
    expect(branch.body.items.length).toBeGreaterThan(0);
    expect(branch.body.items.every((c: { branch: string }) => c.branch === '福田支行')).toBe(true);
    expect((await get(rm, '/api/v1/channels')).status).toBe(403);
  });
});
