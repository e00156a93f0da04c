import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';
import { TEST_WECOM } from '../helpers/infra.ts';

// Group membership as WeCom's change_external_chat events report it.
const helix = useHelixWithRms();
const { driver, db, postCallback, allProcessed } = helix;

describe('group membership from change_external_chat', () => {
  it('opens and closes stays, confirms the routing invitation, and ignores a repeated join', async () => {
    helix.emu.emulator.seed({ groups: [{ chatId: 'wr_mid_1', owner: 'rm_zhang', name: '进阶理财1群' }] });
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
