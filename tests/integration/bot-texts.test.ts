import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAQ_BOT_TEXTS } from '../../bots/faq-bot.ts';
import { KF_BOT_TEXTS } from '../../bots/kf-bot.ts';
import { WELCOME_TEXTS } from '../../bots/welcome.ts';
import { createConfiguredChecker } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { loadContentLibrary } from '../../src/modules/content/content-library.ts';
import { HANDOFF_CARD_COMPONENTS } from '../../src/modules/conversations/handoff-card.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

const BOT_TEXTS = [
  ...Object.values(FAQ_BOT_TEXTS),
  ...Object.values(HANDOFF_CARD_COMPONENTS),
  ...Object.values(WELCOME_TEXTS),
  ...Object.values(KF_BOT_TEXTS),
];

// A copy of the shipped library in which head office has reworded the hand-off reply and the 接手 card.
const shipped = loadConfig({}).contentLibraryDir;
const dir = mkdtempSync(path.join(tmpdir(), 'helix-bot-texts-'));
cpSync(shipped, dir, { recursive: true });
const reword = (id: string, from: string, to: string) => {
  const file = path.join(dir, 'components', `${id}.yaml`);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
};
const NEW_HANDOFF = '您的问题已转给客户经理，工作时间内会尽快回复您。';
reword(
  FAQ_BOT_TEXTS.handoff,
  '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。',
  NEW_HANDOFF,
);
reword(HANDOFF_CARD_COMPONENTS.new, '{ title: 客户问题待接手,', '{ title: 有客户等您接手,');

let h: HelixWithEmulator;
beforeAll(async () => {
  h = await startHelixWithEmulator({ env: { CONTENT_LIBRARY_DIR: dir } });
  h.emu.emulator.seed({ members: [{ userid: 'rm_wu', name: '吴经理' }] });
  await queryRows(h.ctx.database.db, sql`INSERT INTO rms (userid, name) VALUES ('rm_wu', '吴经理')`);
  await queryRows(
    h.ctx.database.db,
    sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES ('wm_texts', 'rm_wu', 'basic')`,
  );
});
afterAll(async () => h?.stop());

describe('what the bots say comes from the content library', () => {
  it('has every bot text as a component that passes the compliance rules', () => {
    const library = loadContentLibrary(shipped, { check: createConfiguredChecker(loadConfig({})) });
    for (const id of BOT_TEXTS) {
      const entry = library.components.get(id);
      expect(entry, id).toBeDefined();
      expect(library.problems.filter((p) => p.file === entry?.file)).toEqual([]);
    }
  });

  it('records every bot text as an approved library version', async () => {
    const rows = await queryRows<{ component_id: string; status: string; reviewer: string | null }>(
      h.ctx.database.db,
      sql`SELECT component_id, status, reviewer FROM content_versions
          WHERE component_id IN ${sql.raw(`(${BOT_TEXTS.map((id) => `'${id}'`).join(', ')})`)}`,
    );
    expect(rows.map((r) => r.component_id).sort()).toEqual([...BOT_TEXTS].sort());
    for (const r of rows) expect(r).toMatchObject({ status: 'approved', reviewer: 'code-review' });
  });

  it("says the library's hand-off reply and sends the library's 接手 card, as reworded", async () => {
    const { ask, nextReply } = botChat(() => h.emu.emulator, 'wr_texts');
    expect(await nextReply(await ask('wm_texts', '@智能助手 我想咨询一下房贷提前还款的违约金怎么算'))).toBe(
      NEW_HANDOFF,
    );
    const card = await waitUntil(
      () =>
        h.emu.emulator
          .inspect()
          .members.find((m) => m.userid === 'rm_wu')
          ?.appMessages.find((m) => m.msgtype === 'template_card'),
      10_000,
      'handoff card',
    );
    expect(JSON.stringify(card?.payload)).toContain('有客户等您接手');
  });
});
