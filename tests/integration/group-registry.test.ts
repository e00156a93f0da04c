import { sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createCommunitiesRepository } from '../../src/modules/communities/communities.repository.ts';
import { createGroupReconciler } from '../../src/modules/communities/group-reconcile.service.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';
import { waitUntil } from '../helpers/infra.ts';

// The groups Helix knows: registered for routing (with the overflow groups WeCom creates), and reconciled
// against WeCom nightly. The reconciliation also renames the overflow group the registration test adopted.
const helix = useHelixWithRms();
const { db, withWecom } = helix;

describe('registering groups for routing', () => {
  it('creates one auto-extending join way over the open groups of a key and stores its QR code', async () => {
    helix.emu.emulator.seed({
      groups: [{ chatId: 'wr_card_1', owner: 'rm_zhang', name: '卡圈1群', members: ['wm_c1'] }],
    });
    const res = await request(helix.web.app)
      .post('/api/v1/groups')
      .set('authorization', `Bearer ${helix.opsToken}`)
      .send({ chatId: 'wr_card_1', name: '卡圈1群', groupKey: 'kaquan', capacity: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ chatId: 'wr_card_1', groupKey: 'kaquan', capacity: 3 });
    expect(res.body.joinWayQr).toMatch(/^https?:\/\/.+\.png$/);
    const way = helix.emu.emulator.inspect().joinWays.find((w) => w.chatIds.includes('wr_card_1'));
    expect(way).toMatchObject({ state: 'grp-kaquan', autoCreateRoom: true, roomBaseName: '卡圈' });

    const list = await request(helix.web.app)
      .get('/api/v1/groups?groupKey=kaquan')
      .set('authorization', `Bearer ${helix.opsToken}`);
    expect(list.body.items.map((g: { chatId: string }) => g.chatId)).toEqual(['wr_card_1']);
    // The owner WeCom reports is shown: ops see whose group it is.
    expect(list.body.items[0].ownerRm).toBe('rm_zhang');
    // wr_card_1 holds 4 (owner, wm_c1 and two joiners); the next joiner lands in a group WeCom creates,
    // which Helix adopts under the same key, confirming that client's invitation.
    await queryRows(
      db(),
      sql`INSERT INTO group_invitations (external_userid, group_key, kind) VALUES ('wm_k3', 'kaquan', 'join')`,
    );
    for (const id of ['wm_k1', 'wm_k2'])
      expect(await helix.emu.emulator.joinViaJoinWay(way!.configId, id)).toMatchObject({
        chatId: 'wr_card_1',
      });
    const overflow = await helix.emu.emulator.joinViaJoinWay(way!.configId, 'wm_k3');
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

    const bad = await request(helix.web.app)
      .post('/api/v1/groups')
      .set('authorization', `Bearer ${helix.opsToken}`)
      .send({ chatId: 'wr_x', name: 'x', groupKey: 'Bad Key' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.join(' ')).toContain('groupKey');
  });
});

describe('nightly group reconciliation', () => {
  it('repairs drift against WeCom and reports what it changed', async () => {
    helix.emu.emulator.seed({
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
        clock: helix.ctx.clock,
        log: helix.ctx.log,
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
