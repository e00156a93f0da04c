import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { on } from '../../src/modules/inbox/inbound-dispatcher.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { isValidIdNumber, passesLuhn } from '../../src/platform/pii/pii-detector.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

// The library's texts (content-library/components/bot-*.yaml), as clients read them.
const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';

// A resident ID with a valid check digit, a mainland mobile and a Luhn-valid card number.
const ID = '11010519491231002X';
const MOBILE = '13812345678';
const CARD = '6222020200112345679';
const PII = [ID, MOBILE, CARD];
// The digits alone too: a log that dropped the X or a separator would still leak the number.
const FORBIDDEN = [...PII, ...PII.map((v) => v.replace(/\D/g, ''))];

/** Every line Helix logs, as written. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(l);
    cb();
  },
});

/** Lines that carry any of the values, also once spaces and dashes are taken out. */
const leaking = (from = 0) =>
  lines.slice(from).filter((l) => {
    const compact = l.replace(/[\s-]/g, '');
    return FORBIDDEN.some((v) => l.includes(v) || compact.includes(v));
  });
const messages = (from: number) => lines.slice(from).map((l) => (JSON.parse(l) as { msg?: string }).msg);

// Stands in for any handler whose query fails on client data: PostgreSQL repeats the bad value in its
// message, and Drizzle adds every parameter to the error it throws.
const failingQuery = on('app:text', 'test.failing-lookup', async (event, ctx) => {
  const [id, mobile, card] = event.body.Content.split(' ');
  await queryRows(ctx.tx, sql`SELECT ${mobile} AS mobile, ${card} AS card, ${id}::int AS id`);
});

let h: HelixWithEmulator;
let rmToken: string;
let opsToken: string;
const paths: string[] = [];

beforeAll(async () => {
  expect(isValidIdNumber(ID) && passesLuhn(CARD)).toBe(true);
  h = await startHelixWithEmulator({
    env: { LOG_LEVEL: 'debug' },
    inboundHandlers: [failingQuery],
    logTo: sink,
  });
  h.emu.emulator.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
  const db = h.ctx.database.db;
  await queryRows(db, sql`INSERT INTO rms (userid, name) VALUES ('rm_zhang', '张经理')`);
  await queryRows(
    db,
    sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES ('wm_pii', 'rm_zhang', 'basic')`,
  );
  const tokens = createTokenService({ db, audit: createAuditRepository() });
  rmToken = (await tokens.create({ name: 'rm_zhang', role: 'rm', branchScope: null, actor: 'test' })).secret;
  opsToken = (await tokens.create({ name: 'ops', role: 'ops', branchScope: null, actor: 'test' })).secret;
});
afterAll(async () => {
  await h?.stop();
  // How many failure paths ran and how many lines were read, for whoever reviews this run.
  process.stdout.write(`pii-logs: ${paths.length} failure paths, ${lines.length} log lines captured\n`);
});

describe('no client PII in the logs', () => {
  it('a query failing on client data inside a callback job: logs and last_error keep no parameters', async () => {
    paths.push('callback job query');
    const from = lines.length;
    const out = await h.emu.emulator.driver?.rmSendsAppMessage({
      rmUserId: 'rm_zhang',
      content: `${ID} ${MOBILE} ${CARD}`,
    });
    expect(out?.status).toBe(200);
    await waitUntil(() => messages(from).includes('job failed'), 10_000, 'job failure log line');
    expect(messages(from)).toContain('processing an inbound callback failed');
    const [row] = await queryRows<{ last_error: string }>(
      h.ctx.database.db,
      sql`SELECT last_error FROM inbox WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    // Operators still learn what went wrong, without the values.
    expect(row?.last_error).toMatch(/^database error: .*for type integer/);
    expect(FORBIDDEN.filter((v) => row?.last_error.includes(v))).toEqual([]);
    expect(leaking(from)).toEqual([]);
  });

  it('a failing API request with an ID, mobile or card number in the path', async () => {
    paths.push('API 404 on /clients/<pii>', 'API 500 on /clients/<pii>');
    const from = lines.length;
    for (const v of PII) {
      const res = await request(h.web.app)
        .get(`/api/v1/clients/${v}`)
        .set('authorization', `Bearer ${rmToken}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).not.toContain(v);
    }
    // A query failing underneath the route: its parameter is the id from the path.
    await queryRows(h.ctx.database.db, sql`ALTER TABLE rms RENAME TO rms_away`);
    try {
      const res = await request(h.web.app)
        .get(`/api/v1/clients/${ID}`)
        .set('authorization', `Bearer ${rmToken}`);
      expect(res.status).toBe(500);
    } finally {
      await queryRows(h.ctx.database.db, sql`ALTER TABLE rms_away RENAME TO rms`);
    }
    expect(messages(from).filter((m) => m === 'request rejected')).toHaveLength(3);
    expect(messages(from)).toContain('unhandled error');
    expect(lines.slice(from).join('\n')).toContain('"path":"/api/v1/clients/110105********002X"');
    expect(leaking(from)).toEqual([]);
  });

  it('a 404 for an unknown route with PII in the path', async () => {
    paths.push('404 unknown route');
    const from = lines.length;
    const res = await request(h.web.app)
      .get(`/api/v1/lookup/${ID}/${MOBILE}/${CARD}`)
      .set('authorization', `Bearer ${opsToken}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'no route for GET /api/v1/lookup/110105********002X/138****5678/6222***********5679',
    );
    expect((await request(h.web.app).get(`/${MOBILE}`)).status).toBe(404);
    expect(messages(from).filter((m) => m === 'request rejected')).toHaveLength(2);
    expect(leaking(from)).toEqual([]);
  });

  it('a bot question with PII that is handed off: logs, stored conversation and RM card are masked', async () => {
    paths.push('bot hand-off');
    const from = lines.length;
    const { ask, nextReply } = botChat(() => h.emu.emulator, 'wr_pii_group');
    const reply = await nextReply(
      await ask(
        'wm_pii',
        `@智能助手 我的身份证${ID}，手机${MOBILE}，卡号${CARD}，房贷提前还款的违约金怎么算`,
      ),
    );
    expect(reply).toBe(HANDOFF_REPLY);
    const card = await waitUntil(
      () =>
        h.emu.emulator
          .inspect()
          .members.find((m) => m.userid === 'rm_zhang')
          ?.appMessages.find((m) => m.msgtype === 'template_card'),
      10_000,
      'handoff card',
    );
    const stored = await queryRows<{ text: string }>(
      h.ctx.database.db,
      sql`SELECT m.text FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE c.client_userid = 'wm_pii' AND m.role = 'client'`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.text).toContain('110105********002X');
    const kept = JSON.stringify(stored) + JSON.stringify(card?.payload);
    expect(FORBIDDEN.filter((v) => kept.includes(v))).toEqual([]);
    expect(lines.length).toBeGreaterThan(from);
    expect(leaking(from)).toEqual([]);
  });

  it('an import with bad rows that carry PII', async () => {
    paths.push('profile import (CSV)', 'profile import (JSONL)');
    const from = lines.length;
    const csv = await request(h.web.app)
      .post('/api/v1/clients/import')
      .set('authorization', `Bearer ${opsToken}`)
      .set('content-type', 'text/csv')
      .send(`external_userid,name,risk_level,${ID}\n${MOBILE},${CARD},C9,x\n`);
    expect(csv.status).toBe(400);
    const jsonl = await request(h.web.app)
      .post('/api/v1/clients/import')
      .set('authorization', `Bearer ${opsToken}`)
      .set('content-type', 'application/x-ndjson')
      .send(
        `{"external_userid":"${ID}","name":"${MOBILE} ${CARD}","risk_level":"C9"}\n{"external_userid":\n`,
      );
    expect(jsonl.status).toBe(400);
    expect(messages(from).filter((m) => m === 'request rejected')).toHaveLength(2);
    expect(leaking(from)).toEqual([]);
  });

  it('captured lines from every path, none of them carrying the values', () => {
    expect(paths.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeGreaterThan(0);
    expect(leaking()).toEqual([]);
  });
});
