import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { on } from '../../src/modules/inbox/inbound-dispatcher.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { botCallback, nextMsgId, postSignedCallback } from '../helpers/callbacks.ts';
import { waitUntil } from '../helpers/infra.ts';
import { startWebAndWorker, type WebAndWorker } from '../helpers/web-and-worker.ts';

/**
 * A callback whose text PostgreSQL cannot store used to be acknowledged and then fail on every attempt,
 * with neither its attempts nor its error recorded (that update failed on the same character), so the
 * sweeper re-enqueued it forever. Now the text is made storable, and whatever still fails ends as a
 * visible dead letter.
 */

let helix: WebAndWorker;
let ctx: AppContext;
let web: WebApp;
let opsToken: string;

// Writes every bot text it sees into a text column, as a real handler would; a text marked POISON is
// written with a raw U+0000 instead, a handler bug that no retry can fix.
const textRecorder = on('bot:text', 'test-text-recorder', async (event, c) => {
  const content = event.body.text.content;
  const stored = content.startsWith('POISON') ? `${content}\u0000` : content;
  await c.tx.execute(sql`INSERT INTO test_texts (inbox_id, content) VALUES (${c.inboxId}, ${stored})`);
});

beforeAll(async () => {
  helix = await startWebAndWorker({
    inboundHandlers: [textRecorder],
    prepare: async (c) => {
      await c.database.db.execute(
        sql`CREATE TABLE test_texts (inbox_id bigint NOT NULL, content text NOT NULL)`,
      );
      return [];
    },
  });
  ({ ctx, web } = helix);
  const tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  opsToken = (await tokens.create({ name: 'ops', role: 'ops', actor: 'test' })).secret;
});

afterAll(async () => helix?.stop());

const botText = (content: string) => ({
  msgid: nextMsgId(),
  aibotid: 'bot_helix',
  chattype: 'single',
  from: { userid: 'wm_client_nul' },
  msgtype: 'text',
  text: { content },
});

const sendBot = async (payload: ReturnType<typeof botText>) => {
  const cb = botCallback(payload);
  const res = await postSignedCallback(web.app, '/wecom/bot/callback', cb, 'application/json');
  expect(res.status).toBe(200);
  const [row] = await queryRows<{ id: string }>(
    ctx.database.db,
    sql`SELECT id::text AS id FROM inbox WHERE msg_id = ${payload.msgid}`,
  );
  expect(row).toBeDefined();
  return Number(row?.id);
};

const inboxRow = async (id: number) =>
  (await ctx.database.db.query.inbox.findFirst({ where: (t, { eq }) => eq(t.id, id) }))!;

describe('a signed bot callback whose text holds U+0000', () => {
  it('is processed, by every handler, with the NUL replaced by U+FFFD', async () => {
    const id = await sendBot(botText('我的卡号\u0000是多少'));
    await waitUntil(async () => (await inboxRow(id)).status === 'processed', 15_000, 'row processed');
    const texts = await queryRows<{ content: string }>(
      ctx.database.db,
      sql`SELECT content FROM test_texts WHERE inbox_id = ${id}`,
    );
    expect(texts.map((t) => t.content)).toEqual(['我的卡号\uFFFD是多少']);
    // The bot's own handler logged the question too (it failed on the NUL before).
    const logged = await queryRows<{ text: string }>(
      ctx.database.db,
      sql`SELECT text FROM faq_questions WHERE text LIKE ${'%\uFFFD%'}`,
    );
    expect(logged.length).toBe(1);
    // The stored payload is storable and still says what the client sent.
    expect((await inboxRow(id)).plaintext).not.toContain('\u0000');
  });
});

describe('a callback that fails on every attempt', () => {
  it('ends dead-lettered with its attempts and reason, listed by the inbox API and counted in /metrics', async () => {
    const id = await sendBot(botText('POISON 客户的原话'));
    // Five attempts with exponential backoff from 1 s: about 15 s.
    await waitUntil(async () => (await inboxRow(id)).status === 'dead', 40_000, 'row dead-lettered');
    const row = await inboxRow(id);
    expect(row.attempts).toBe(5);
    // The database's reason, without the query's parameters (the client's text) or a NUL.
    expect(row.lastError).toMatch(/^database error: .*0x00/);
    expect(row.lastError).not.toContain('客户的原话');

    const list = await request(web.app)
      .get('/api/v1/inbox?status=dead')
      .set('authorization', `Bearer ${opsToken}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: String(id), status: 'dead', attempts: 5, lastError: row.lastError }),
    ]);

    const metrics = await request(web.app).get('/metrics');
    expect(metrics.text).toMatch(/^helix_inbox_dead_letters 1$/m);
  }, 60_000);
});
