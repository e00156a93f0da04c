import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createWecomClients } from '../../src/app/wecom-runtime.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createCommunitiesRepository } from '../../src/modules/communities/communities.repository.ts';
import { createGroupReconciler } from '../../src/modules/communities/group-reconcile.service.ts';
import { createAttributionBackfill } from '../../src/modules/contacts/attribution-backfill.service.ts';
import { createContactsRepository } from '../../src/modules/contacts/contacts.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { postAppCallback } from '../helpers/callbacks.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { TEST_WECOM, waitUntil } from '../helpers/infra.ts';

let h: HelixWithEmulator;
let emu: HelixWithEmulator['emu'];
let ctx: AppContext;
let web: WebApp;
let opsToken: string;

beforeAll(async () => {
  // Small groups, so a join way overflows after a few joins.
  h = await startHelixWithEmulator({ groupCapacity: 4 });
  ({ emu, ctx, web } = h);
  emu.emulator.seed({
    members: [
      { userid: 'rm_zhang', name: '张经理' },
      { userid: 'rm_li', name: '李经理' },
    ],
  });
  const tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  opsToken = (await tokens.create({ name: '运营小王', role: 'ops', branchScope: null, actor: 'test' }))
    .secret;
  // RMs as ops set them up (name, branch, persona); WeCom events only carry their userid.
  for (const [userid, body] of [
    ['rm_zhang', { name: '张经理', branch: '南山支行', persona: 'zhixing-jiejie' }],
    ['rm_li', { name: '李经理', branch: '福田支行' }],
  ] as const) {
    const put = await request(web.app)
      .put(`/api/v1/rms/${userid}`)
      .set('authorization', `Bearer ${opsToken}`)
      .send(body);
    if (put.status !== 200) throw new Error(`PUT /rms/${userid}: ${put.status} ${JSON.stringify(put.body)}`);
  }
});

afterAll(async () => h?.stop());

const driver = () => {
  const d = emu.emulator.driver;
  if (!d) throw new Error('no driver');
  return d;
};
const db = () => ctx.database.db;
const clientRow = async (id: string) =>
  (
    await queryRows<{ channel_id: string; owner_rm: string; status: string; channel_state: string | null }>(
      db(),
      sql`SELECT channel_id, owner_rm, status, channel_state FROM clients WHERE external_userid = ${id}`,
    )
  )[0];
const welcomeOf = async (id: string) =>
  (await waitUntil(
    async () =>
      (
        await queryRows<{ status: string; reason: string | null; text: string | null }>(
          db(),
          sql`SELECT status, reason, text FROM welcomes WHERE external_userid = ${id} AND status <> 'pending'
              ORDER BY id DESC LIMIT 1`,
        )
      )[0],
    10_000,
    `welcome decided for ${id}`,
  ))!;
/** Runs `fn` with Helix's WeCom clients (pointed at the emulator) on a Redis connection of its own. */
async function withWecom(fn: (wecom: ReturnType<typeof createWecomClients>) => Promise<void>) {
  const redis = new Redis(ctx.redisUrl);
  try {
    await fn(
      createWecomClients({
        config: ctx.config,
        baseUrl: ctx.wecomBaseUrl,
        redis,
        log: ctx.log,
        metrics: ctx.metrics,
      }),
    );
  } finally {
    redis.disconnect();
  }
}
const postCallback = (plaintext: string) => postAppCallback(web.app, plaintext);
const allProcessed = () =>
  waitUntil(
    async () => {
      const [r] = await queryRows<{ open: number }>(
        db(),
        sql`SELECT count(*)::int AS open FROM inbox WHERE status <> 'processed'`,
      );
      return r?.open === 0;
    },
    10_000,
    'inbox drained',
  );

describe('channels, attribution and welcome', () => {
  it('creates a channel whose contact way carries its state, with an audit entry', async () => {
    const res = await request(web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${opsToken}`)
      .send({
        id: 'metro-ad',
        name: '地铁灯箱广告',
        state: 'ch-metro',
        cost: 12000,
        rmUserids: ['rm_zhang'],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'metro-ad', state: 'ch-metro', cost: 12000 });
    expect(res.body.configId).toEqual(expect.any(String));
    const way = emu.emulator.inspect().contactWays.find((w) => w.configId === res.body.configId);
    expect(way).toMatchObject({ state: 'ch-metro', users: ['rm_zhang'] });
    const dup = await request(web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${opsToken}`)
      .send({ id: 'metro-ad-2', name: '重复', state: 'ch-metro', rmUserids: ['rm_zhang'] });
    expect(dup.status).toBe(409);
    const tooLong = await request(web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${opsToken}`)
      .send({ id: 'x', name: 'x', state: 'a'.repeat(31), rmUserids: ['rm_zhang'] });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('state');
    const audit = await queryRows<{ actor: string }>(
      db(),
      sql`SELECT actor FROM audit_log WHERE action = 'channel.create' AND target_id = 'metro-ad'`,
    );
    expect(audit).toEqual([{ actor: '运营小王' }]);
  });

  it('attributes a client to the channel its state names and welcomes them within the window', async () => {
    const outcome = await driver().clientAddsRm({
      externalUserId: 'wm_wang',
      rmUserId: 'rm_zhang',
      state: 'ch-metro',
    });
    expect(outcome.status).toBe(200);
    const welcome = await welcomeOf('wm_wang');
    expect(welcome).toMatchObject({ status: 'sent', reason: null });
    // 张经理's persona (知性姐姐) has its own basic-tier welcome.
    expect(welcome.text).toContain('我是张经理，以后就是你的客户经理啦');
    expect(await clientRow('wm_wang')).toMatchObject({ channel_id: 'metro-ad', owner_rm: 'rm_zhang' });
    // The client really received it, through WeCom's send_welcome_msg with the event's code.
    const received = emu.emulator.inspect().clients.find((c) => c.externalUserId === 'wm_wang')?.welcomes;
    expect(received?.map((w) => w.text)).toEqual([welcome.text]);
  });

  it("carries the join link of the client's likely tier group", async () => {
    await queryRows(
      db(),
      sql`INSERT INTO community_groups (chat_id, name, group_key, join_way_config_id, join_way_qr)
          VALUES ('wr_basic_1', '理财入门1群', 'basic', 'cfg1', 'https://wework.qpic.cn/join/basic1.png')`,
    );
    await driver().clientAddsRm({ externalUserId: 'wm_joiner', rmUserId: 'rm_li', state: 'ch-metro' });
    const welcome = await welcomeOf('wm_joiner');
    expect(welcome.status).toBe('sent');
    expect(welcome.text).toContain('欢迎扫码加入：https://wework.qpic.cn/join/basic1.png');
    await queryRows(db(), sql`UPDATE community_groups SET status = 'archived' WHERE chat_id = 'wr_basic_1'`);
  });

  it('attributes a state that names no channel to "unknown", and counts it', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_stray', rmUserId: 'rm_zhang', state: 'ch-gone' });
    await welcomeOf('wm_stray');
    expect(await clientRow('wm_stray')).toMatchObject({ channel_id: 'unknown', channel_state: 'ch-gone' });
    const metric = (await ctx.metrics.clientsAdded.get()).values.find(
      (v) => v.labels.channel === 'unknown' && v.labels.new === 'true',
    );
    expect(metric?.value).toBeGreaterThanOrEqual(1);
  });

  it('records why nothing was sent when the event has no welcome code, or arrives too late', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_nocode', rmUserId: 'rm_li', welcomeCode: '' });
    expect(await welcomeOf('wm_nocode')).toMatchObject({ status: 'skipped', reason: 'no_welcome_code' });

    // An event WeCom created 25 s ago (Helix was down, say): its welcome code is already dead.
    const late = h.connectDriver({ now: () => new Date(Date.now() - 25_000) });
    await late.clientAddsRm({ externalUserId: 'wm_late', rmUserId: 'rm_li' });
    expect(await welcomeOf('wm_late')).toMatchObject({ status: 'skipped', reason: 'welcome_code_expired' });
    h.connectDriver();
  });

  it('creates unknown RMs and clients, and keeps one client record for duplicate and concurrent adds', async () => {
    await Promise.all(
      ['rm_new_1', 'rm_new_2', 'rm_new_3', 'rm_zhang'].map((rm) =>
        driver().clientAddsRm({ externalUserId: 'wm_popular', rmUserId: rm, state: 'ch-metro' }),
      ),
    );
    await driver().clientAddsRm({ externalUserId: 'wm_popular', rmUserId: 'rm_zhang', state: 'ch-metro' });
    await allProcessed();
    const [counts] = await queryRows<{ clients: number; links: number; rms: number; failed: number }>(
      db(),
      sql`SELECT (SELECT count(*)::int FROM clients WHERE external_userid = 'wm_popular') AS clients,
                 (SELECT count(*)::int FROM client_rms WHERE external_userid = 'wm_popular') AS links,
                 (SELECT count(*)::int FROM rms WHERE userid LIKE 'rm_new_%') AS rms,
                 (SELECT count(*)::int FROM inbox WHERE status = 'failed') AS failed`,
    );
    expect(counts).toEqual({ clients: 1, links: 4, rms: 3, failed: 0 });
    expect((await clientRow('wm_popular'))?.channel_id).toBe('metro-ad');
  });

  it('records who ended a relationship', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_leaving', rmUserId: 'rm_li' });
    await allProcessed();
    const plaintext = `<xml><ToUserName><![CDATA[${TEST_WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[del_follow_user]]></ChangeType><UserID><![CDATA[rm_li]]></UserID><ExternalUserID><![CDATA[wm_leaving]]></ExternalUserID></xml>`;
    const res = await postCallback(plaintext);
    expect(res.status).toBe(200);
    await allProcessed();
    expect((await clientRow('wm_leaving'))?.status).toBe('removed_by_client');
  });
});

describe('group membership from change_external_chat', () => {
  it('opens and closes stays, confirms the routing invitation, and ignores a repeated join', async () => {
    emu.emulator.seed({ groups: [{ chatId: 'wr_mid_1', owner: 'rm_zhang', name: '进阶理财1群' }] });
    await queryRows(
      db(),
      sql`INSERT INTO community_groups (chat_id, name, group_key) VALUES ('wr_mid_1', '进阶理财1群', 'intermediate')`,
    );
    await queryRows(
      db(),
      sql`INSERT INTO group_invitations (external_userid, group_key, kind) VALUES ('wm_chen', 'intermediate', 'join')`,
    );
    await driver().clientJoinsGroup({ chatId: 'wr_mid_1', externalUserId: 'wm_chen', joinScene: 3 });
    await driver().clientJoinsGroup({ chatId: 'wr_mid_1', externalUserId: 'wm_chen', joinScene: 3 });
    await driver().clientJoinsGroup({ chatId: 'wr_mid_1', externalUserId: 'wm_zhou' });
    await allProcessed();
    const group = async () =>
      (
        await queryRows<{ member_count: number; status: string }>(
          db(),
          sql`SELECT member_count, status FROM community_groups WHERE chat_id = 'wr_mid_1'`,
        )
      )[0];
    expect((await group())?.member_count).toBe(2);
    const [invite] = await queryRows<{ status: string; chat_id: string }>(
      db(),
      sql`SELECT status, chat_id FROM group_invitations WHERE external_userid = 'wm_chen'`,
    );
    expect(invite).toEqual({ status: 'confirmed', chat_id: 'wr_mid_1' });

    await driver().clientLeavesGroup({ chatId: 'wr_mid_1', externalUserId: 'wm_zhou' });
    await allProcessed();
    expect((await group())?.member_count).toBe(1);
    const stays = await queryRows<{ member_id: string; left: boolean; join_scene: number | null }>(
      db(),
      sql`SELECT member_id, left_at IS NOT NULL AS left, join_scene FROM group_memberships
          WHERE chat_id = 'wr_mid_1' ORDER BY member_id`,
    );
    expect(stays).toEqual([
      { member_id: 'wm_chen', left: false, join_scene: 3 },
      { member_id: 'wm_zhou', left: true, join_scene: 3 },
    ]);
  });

  it('learns about a group it has never seen, and closes every stay when it is dismissed', async () => {
    await driver().clientJoinsGroup({ chatId: 'wr_surprise', externalUserId: 'wm_x' });
    await allProcessed();
    const plaintext = `<xml><ToUserName><![CDATA[${TEST_WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wr_surprise]]></ChatId><ChangeType><![CDATA[dismiss]]></ChangeType></xml>`;
    expect((await postCallback(plaintext)).status).toBe(200);
    await allProcessed();
    const [g] = await queryRows<{ status: string; open: number }>(
      db(),
      sql`SELECT status, (SELECT count(*)::int FROM group_memberships WHERE chat_id = 'wr_surprise'
                          AND left_at IS NULL) AS open
          FROM community_groups WHERE chat_id = 'wr_surprise'`,
    );
    expect(g).toEqual({ status: 'dismissed', open: 0 });
  });
});

describe('registering groups for routing', () => {
  it('creates one auto-extending join way over the open groups of a key and stores its QR code', async () => {
    emu.emulator.seed({
      groups: [{ chatId: 'wr_card_1', owner: 'rm_zhang', name: '卡圈1群', members: ['wm_c1'] }],
    });
    const res = await request(web.app)
      .post('/api/v1/groups')
      .set('authorization', `Bearer ${opsToken}`)
      .send({ chatId: 'wr_card_1', name: '卡圈1群', groupKey: 'kaquan', capacity: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ chatId: 'wr_card_1', groupKey: 'kaquan', capacity: 3 });
    expect(res.body.joinWayQr).toMatch(/^https:\/\//);
    const way = emu.emulator.inspect().joinWays.find((w) => w.chatIds.includes('wr_card_1'));
    expect(way).toMatchObject({ state: 'grp-kaquan', autoCreateRoom: true, roomBaseName: '卡圈' });

    const list = await request(web.app)
      .get('/api/v1/groups?groupKey=kaquan')
      .set('authorization', `Bearer ${opsToken}`);
    expect(list.body.items.map((g: { chatId: string }) => g.chatId)).toEqual(['wr_card_1']);
    // wr_card_1 holds 4 (owner, wm_c1 and two joiners); the next joiner lands in a group WeCom creates,
    // which Helix adopts under the same key, confirming that client's invitation.
    await queryRows(
      db(),
      sql`INSERT INTO group_invitations (external_userid, group_key, kind) VALUES ('wm_k3', 'kaquan', 'join')`,
    );
    for (const id of ['wm_k1', 'wm_k2'])
      expect(await emu.emulator.joinViaJoinWay(way!.configId, id)).toMatchObject({ chatId: 'wr_card_1' });
    const overflow = await emu.emulator.joinViaJoinWay(way!.configId, 'wm_k3');
    expect(overflow).toMatchObject({ createdGroup: true });
    const newChat = 'chatId' in overflow ? overflow.chatId : '';
    const adopted = await waitUntil(
      async () =>
        (
          await queryRows<{ group_key: string | null; status: string }>(
            db(),
            sql`SELECT g.group_key, i.status FROM community_groups g, group_invitations i
                WHERE g.chat_id = ${newChat} AND i.external_userid = 'wm_k3'`,
          )
        ).find((r) => r.group_key === 'kaquan' && r.status === 'confirmed'),
      10_000,
      'overflow group adopted',
    );
    expect(adopted).toBeTruthy();

    const bad = await request(web.app)
      .post('/api/v1/groups')
      .set('authorization', `Bearer ${opsToken}`)
      .send({ chatId: 'wr_x', name: 'x', groupKey: 'Bad Key' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.join(' ')).toContain('groupKey');
  });
});

describe('profile import, tier routing and scoped lookup', () => {
  const importCsv = (text: string) =>
    request(web.app)
      .post('/api/v1/clients/import?fileName=feed.csv')
      .set('authorization', `Bearer ${opsToken}`)
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
    const notices = emu.emulator.inspect().members.find((m) => m.userid === 'rm_zhang')?.appMessages ?? [];
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
    const res = await request(web.app)
      .post('/api/v1/tiers/preview')
      .set('authorization', `Bearer ${opsToken}`)
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
      request(web.app).get(path).set('authorization', `Bearer ${token}`);
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

describe('corp tag library', () => {
  it('re-reads the library when an RM edits tags, and marks tags WeCom dropped as deleted', async () => {
    await queryRows(
      db(),
      sql`INSERT INTO corp_tags (id, name, group_id, group_name) VALUES ('et_old', '旧标签', 'g0', '旧组')`,
    );
    emu.emulator.seed({
      corpTags: [
        {
          groupId: 'etg_1',
          groupName: '客户兴趣',
          tags: [
            { id: 'et_fund', name: '基金' },
            { id: 'et_card', name: '信用卡' },
          ],
        },
      ],
    });
    await driver().rmEditsTags({ tagId: 'et_card', changeType: 'create' });
    const rows = await waitUntil(
      async () => {
        const r = await queryRows<{ id: string; name: string; deleted: boolean }>(
          db(),
          sql`SELECT id, name, deleted_at IS NOT NULL AS deleted FROM corp_tags ORDER BY id`,
        );
        return r.length === 3 ? r : undefined;
      },
      10_000,
      'tags synced',
    );
    expect(rows).toEqual([
      { id: 'et_card', name: '信用卡', deleted: false },
      { id: 'et_fund', name: '基金', deleted: false },
      { id: 'et_old', name: '旧标签', deleted: true },
    ]);
  });
});

describe('attribution backfill', () => {
  it('attributes clients whose add event never reached Helix, from externalcontact/list + get', async () => {
    // WeCom knows these relationships; Helix never received their add events.
    emu.emulator.seed({
      contacts: [
        { externalUserId: 'wm_missed_1', followUsers: [{ userid: 'rm_li', state: 'ch-metro' }] },
        { externalUserId: 'wm_missed_2', followUsers: [{ userid: 'rm_li', state: '' }] },
      ],
    });
    await withWecom(async (wecom) => {
      const backfill = createAttributionBackfill({
        db: db(),
        repo: createContactsRepository(),
        audit: createAuditRepository(),
        contact: wecom.contact,
        clock: ctx.clock,
        log: ctx.log,
      });
      const report = await backfill.backfill();
      expect(report).toMatchObject({ added: 2, attributed: 1 });
      expect(await clientRow('wm_missed_1')).toMatchObject({ channel_id: 'metro-ad', owner_rm: 'rm_li' });
      expect(await clientRow('wm_missed_2')).toMatchObject({ channel_id: 'unknown' });
      const [welcomes] = await queryRows<{ n: number }>(
        db(),
        sql`SELECT count(*)::int AS n FROM welcomes WHERE external_userid LIKE 'wm_missed_%'`,
      );
      expect(welcomes?.n).toBe(0);
      // A second night finds nothing new (the unattributable one is looked at again, and stays unknown).
      expect(await backfill.backfill()).toMatchObject({ added: 0, attributed: 0 });
    });
  });
});

describe('nightly group reconciliation', () => {
  it('repairs drift against WeCom and reports what it changed', async () => {
    emu.emulator.seed({
      members: [{ userid: 'rm_wu', name: '吴经理' }],
      groups: [
        { chatId: 'wr_rec_1', owner: 'rm_wu', name: '基民交流1群', members: ['wm_r1', 'wm_r2'] },
        { chatId: 'wr_rec_2', owner: 'rm_wu', name: '卡圈1群', members: ['wm_r3'] },
      ],
    });
    // Helix missed wm_r2 joining wr_rec_1 and wm_gone leaving it; it has never heard of wr_rec_2.
    await queryRows(
      db(),
      sql`INSERT INTO community_groups (chat_id, name, group_key) VALUES ('wr_rec_1', '旧名字', 'jimin')`,
    );
    await queryRows(
      db(),
      sql`INSERT INTO group_memberships (chat_id, member_id, member_type, joined_at) VALUES
            ('wr_rec_1', 'rm_wu', 1, now()), ('wr_rec_1', 'wm_r1', 2, now()), ('wr_rec_1', 'wm_gone', 2, now())`,
    );
    await withWecom(async (wecom) => {
      const reconciler = createGroupReconciler({
        db: db(),
        repo: createCommunitiesRepository(),
        audit: createAuditRepository(),
        contact: wecom.contact,
        clock: ctx.clock,
        log: ctx.log,
      });
      const report = await reconciler.reconcile();
      expect(report).toMatchObject({ newGroups: 1, left: 1 });
      // 旧名字 → 基民交流1群, and the overflow group adopted earlier gets WeCom's name for it.
      expect(report.renamed).toBe(2);
      expect(report.joined).toBeGreaterThanOrEqual(3); // wm_r2, plus wr_rec_2's owner and wm_r3
      const members = async (chat: string) =>
        (
          await queryRows<{ member_id: string }>(
            db(),
            sql`SELECT member_id FROM group_memberships WHERE chat_id = ${chat} AND left_at IS NULL ORDER BY member_id`,
          )
        ).map((r) => r.member_id);
      expect(await members('wr_rec_1')).toEqual(['rm_wu', 'wm_r1', 'wm_r2']);
      expect(await members('wr_rec_2')).toEqual(['rm_wu', 'wm_r3']);
      const [audit] = await queryRows<{ details: { left: number } }>(
        db(),
        sql`SELECT details FROM audit_log WHERE action = 'groups.reconcile' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit?.details.left).toBe(1);
      // A second run finds nothing to repair.
      expect(await reconciler.reconcile()).toMatchObject({ newGroups: 0, renamed: 0, joined: 0, left: 0 });
    });
  });
});
