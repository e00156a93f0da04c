import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';
import { waitUntil } from '../helpers/infra.ts';

// The corp tag library, kept in step with WeCom's.
const helix = useHelixWithRms();
const { driver, db } = helix;

describe('corp tag library', () => {
  it('re-reads the library when an RM edits tags, and marks tags WeCom dropped as deleted', async () => {
    await queryRows(
      db(),
      sql`INSERT INTO corp_tags (id, name, group_id, group_name) VALUES ('et_old', '旧标签', 'g0', '旧组')`,
    );
    helix.emu.emulator.seed({
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
