import { sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createAttributionBackfill } from '../../src/modules/contacts/attribution-backfill.service.ts';
import { createContactsRepository } from '../../src/modules/contacts/contacts.repository.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';
import { TEST_WECOM } from '../helpers/infra.ts';

// How clients arrive: channels and their contact ways, attribution, welcomes, and the backfill of missed
// add events. Tests build on each other: the channel the first one creates attributes the later clients.
const helix = useHelixWithRms();
const { driver, db, clientRow, welcomeOf, withWecom, postCallback, allProcessed } = helix;

describe('channels, attribution and welcome', () => {
  it('creates a channel whose contact way carries its state, with an audit entry', async () => {
    const res = await request(helix.web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${helix.opsToken}`)
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
    const way = helix.emu.emulator.inspect().contactWays.find((w) => w.configId === res.body.configId);
    expect(way).toMatchObject({ state: 'ch-metro', users: ['rm_zhang'] });
    const dup = await request(helix.web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${helix.opsToken}`)
      .send({ id: 'metro-ad-2', name: '重复', state: 'ch-metro', rmUserids: ['rm_zhang'] });
    expect(dup.status).toBe(409);
    const tooLong = await request(helix.web.app)
      .post('/api/v1/channels')
      .set('authorization', `Bearer ${helix.opsToken}`)
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
    const received = helix.emu.emulator
      .inspect()
      .clients.find((c) => c.externalUserId === 'wm_wang')?.welcomes;
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
    const metric = (await helix.ctx.metrics.clientsAdded.get()).values.find(
      (v) => v.labels.channel === 'unknown' && v.labels.new === 'true',
    );
    expect(metric?.value).toBeGreaterThanOrEqual(1);
  });

  it('records why nothing was sent when the event has no welcome code, or arrives too late', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_nocode', rmUserId: 'rm_li', welcomeCode: '' });
    expect(await welcomeOf('wm_nocode')).toMatchObject({ status: 'skipped', reason: 'no_welcome_code' });

    // An event WeCom created 25 s ago (Helix was down, say): its welcome code is already dead.
    const late = helix.h.connectDriver({ now: () => new Date(Date.now() - 25_000) });
    await late.clientAddsRm({ externalUserId: 'wm_late', rmUserId: 'rm_li' });
    expect(await welcomeOf('wm_late')).toMatchObject({ status: 'skipped', reason: 'welcome_code_expired' });
    helix.h.connectDriver();
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

describe('attribution backfill', () => {
  it('attributes clients whose add event never reached Helix, from externalcontact/list + get', async () => {
    // WeCom knows these relationships; Helix never received their add events.
    helix.emu.emulator.seed({
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
        clock: helix.ctx.clock,
        log: helix.ctx.log,
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
