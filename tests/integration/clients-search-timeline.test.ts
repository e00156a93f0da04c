import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { createTestContext } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// Client search (`GET /clients?q=&ownerRm=`) and a client's timeline (`GET /clients/:id/timeline`), on
// real PostgreSQL, with two branches: search and timeline never reach past the caller's scope.

let close: () => Promise<void>;
let web: WebApp;
let db: Db;
let seeded: Awaited<ReturnType<typeof seedTwoBranches>>;

/** A client's text in a conversation and an RM's ready text: neither may reach the timeline. */
const CLIENT_SAYS = '我的卡号是6222020200112233445，帮我查余额';
const TOUCH_BODY = '王先生生日快乐，这是只给客户经理看的话术';

beforeAll(async () => {
  const t = await createTestContext();
  close = t.close;
  db = t.ctx.database.db;
  web = buildWebApp(t.ctx);
  seeded = await seedTwoBranches(db);
  const { A, B } = seeded.branches;
  await queryRows(db, sql`UPDATE clients SET name = '王小明' WHERE external_userid = ${A.client}`);
  await queryRows(db, sql`UPDATE clients SET name = '赵大海' WHERE external_userid = ${B.client}`);
  // A second RM of branch A, and clients whose names test the search's wildcards.
  await queryRows(db, sql`INSERT INTO rms (userid, name, branch) VALUES ('rm-a2', 'rm-a2', 'BR-A')`);
  for (const [id, name, rm] of [
    ['wm-a2', '李晓红', 'rm-a2'],
    ['wm-pct', '百分%之百', 'rm-a'],
    ['wm-plain', '百分之百', 'rm-a'],
    ['wm-under_x', '下划线', 'rm-a'],
    ['wm-underyx', '无下划线', 'rm-a'],
    ...Array.from({ length: 5 }, (_, i) => [`wm-page-${i}`, `翻页客户${i}`, 'rm-a']),
  ]) {
    await queryRows(
      db,
      sql`INSERT INTO clients (external_userid, name, owner_rm) VALUES (${id}, ${name}, ${rm})`,
    );
  }

  // Branch A's client's timeline at known instants: delivery, then touch, then hand-off.
  await queryRows(
    db,
    sql`UPDATE deliveries SET created_at = '2026-03-02T02:00:00Z', status = 'skipped', reason = 'frequency_cap'
        WHERE recipient = ${A.client}`,
  );
  await queryRows(
    db,
    sql`UPDATE touches SET created_at = '2026-03-03T02:00:00Z', body = ${TOUCH_BODY} WHERE id = ${A.touch}`,
  );
  await queryRows(
    db,
    sql`UPDATE conversations SET handed_off_at = '2026-03-04T02:00:00Z' WHERE id = ${A.conversation}`,
  );
  await queryRows(
    db,
    sql`INSERT INTO conversation_messages (conversation_id, role, text) VALUES (${A.conversation}, 'client', ${CLIENT_SAYS})`,
  );
  // A conversation the bot answered alone is no hand-off.
  await queryRows(
    db,
    sql`INSERT INTO conversations (chat_id, client_userid, owner_state) VALUES ('chat-bot-only', ${A.client}, 'bot')`,
  );
});
afterAll(async () => {
  await web?.close();
  await close?.();
});

const get = (token: string, path: string) =>
  request(web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${token}`);
const opsA = (path: string) => get(seeded.tokens.A.ops, path);
const ids = (res: request.Response) =>
  res.body.items.map((c: { externalUserid: string }) => c.externalUserid);

type Entry = {
  at: string;
  kind: string;
  title: string;
  status: string | null;
  detail: string | null;
  rm: string | null;
};

/** Every entry of a client's timeline, following nextCursor `limit` at a time. */
async function wholeTimeline(token: string, client: string, limit: number): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await get(token, `/clients/${client}/timeline?${q}`);
    expect(res.status).toBe(200);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('the timeline never ended');
}

describe('client search', () => {
  it('finds a client by a fragment of the name, and by the userid in any case', async () => {
    expect(ids(await opsA(`/clients?q=${encodeURIComponent('小明')}`))).toEqual(['wm-a']);
    expect(ids(await opsA(`/clients?q=${encodeURIComponent('晓')}`))).toEqual(['wm-a2']);
    expect(ids(await opsA('/clients?q=WM-A2'))).toEqual(['wm-a2']);
    expect(ids(await opsA('/clients?q=%20a2%20'))).toEqual(['wm-a2']);
    expect((await opsA('/clients?q=nobody-has-this')).body).toEqual({ items: [], nextCursor: null });
  });

  it('takes % and _ literally', async () => {
    expect(ids(await opsA(`/clients?q=${encodeURIComponent('%')}`))).toEqual(['wm-pct']);
    expect(ids(await opsA(`/clients?q=${encodeURIComponent('分%之')}`))).toEqual(['wm-pct']);
    expect(ids(await opsA(`/clients?q=${encodeURIComponent('under_')}`))).toEqual(['wm-under_x']);
  });

  it("never finds another branch's client, nor another RM's for an RM", async () => {
    const zhao = `/clients?q=${encodeURIComponent('赵大海')}`;
    expect(ids(await opsA(zhao))).toEqual([]);
    expect(ids(await get(seeded.tokens.A.rm, zhao))).toEqual([]);
    expect(ids(await opsA('/clients?q=wm-b'))).toEqual([]);
    expect(ids(await get(seeded.tokens.B.ops, zhao))).toEqual(['wm-b']);
    expect(ids(await get(seeded.tokens.A.admin, zhao))).toEqual(['wm-b']);
    // rm-a does not own 李晓红.
    expect(ids(await get(seeded.tokens.A.rm, `/clients?q=${encodeURIComponent('晓红')}`))).toEqual([]);
  });

  it('filters by owner RM within the scope', async () => {
    expect(ids(await opsA('/clients?ownerRm=rm-a2'))).toEqual(['wm-a2']);
    expect(ids(await opsA('/clients?ownerRm=rm-b'))).toEqual([]);
    expect(ids(await get(seeded.tokens.A.rm, '/clients?ownerRm=rm-a2'))).toEqual([]);
    expect(ids(await opsA(`/clients?ownerRm=rm-a&q=${encodeURIComponent('晓红')}`))).toEqual([]);
  });

  it('pages through the matches with the cursor, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ q: '翻页', limit: '2', ...(cursor ? { cursor } : {}) });
      const res = await opsA(`/clients?${q}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 5 }, (_, i) => `wm-page-${i}`));
  });

  it('refuses a q that is too long or empty, naming q', async () => {
    for (const q of ['x'.repeat(65), '', '%20%20']) {
      const res = await opsA(`/clients?q=${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.problems).toEqual([expect.stringMatching(/^q: /)]);
    }
    expect((await opsA(`/clients?q=${'x'.repeat(64)}`)).status).toBe(200);
  });
});

describe('client timeline', () => {
  it('lists the hand-off, the touch and the delivery, newest first, with titles and statuses only', async () => {
    const res = await opsA(`/clients/${seeded.branches.A.client}/timeline`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          at: '2026-03-04T02:00:00.000Z',
          kind: 'handoff',
          title: 'chat-BR-A',
          status: 'pending-human',
          detail: null,
          rm: 'rm-a',
        },
        {
          at: '2026-03-03T02:00:00.000Z',
          kind: 'touch',
          title: '生日祝福',
          status: 'due',
          detail: 'birthday',
          rm: 'rm-a',
        },
        {
          at: '2026-03-02T02:00:00.000Z',
          kind: 'delivery',
          title: '范围探针',
          status: 'skipped',
          detail: 'frequency_cap',
          rm: 'rm-a',
        },
      ],
      nextCursor: null,
    });
    expect(res.text).not.toContain('6222');
    expect(res.text).not.toContain('余额');
    expect(res.text).not.toContain('话术');
    // The RM sees their own client's timeline too.
    const rm = await get(seeded.tokens.A.rm, `/clients/${seeded.branches.A.client}/timeline`);
    expect(rm.body.items).toHaveLength(3);
  });

  it('pages through entries at the same instant, each once, in one order', async () => {
    const client = 'wm-page-0';
    const at = '2026-04-01T00:00:00.123456Z';
    for (let i = 0; i < 3; i++) {
      await queryRows(
        db,
        sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, title, ref, created_at)
            VALUES ('rm-a', ${client}, 'check_in', false, 'done', ${`回访${i}`}, ${`tie-${i}`}, ${at})`,
      );
      await queryRows(
        db,
        sql`INSERT INTO conversations (chat_id, client_userid, owner_state, handed_off_at, sla_kept)
            VALUES (${`chat-tie-${i}`}, ${client}, 'resolved', ${at}, ${i % 2 === 0})`,
      );
    }
    await queryRows(
      db,
      sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, created_at, updated_at)
          VALUES (${seeded.occurrence}, ${client}, 'single', 'rm-a', 'sent', ${at}, ${at})`,
    );
    // And one a microsecond earlier, which must not be lost between pages.
    await queryRows(
      db,
      sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, title, ref, created_at)
          VALUES ('rm-a', ${client}, 'follow_up', false, 'due', '跟进', 'tie-earlier', '2026-04-01T00:00:00.123455Z')`,
    );

    const whole = await wholeTimeline(seeded.tokens.A.ops, client, 100);
    expect(whole.map((e) => `${e.kind}:${e.title}`)).toEqual([
      'handoff:chat-tie-2',
      'handoff:chat-tie-1',
      'handoff:chat-tie-0',
      'delivery:范围探针',
      'touch:回访2',
      'touch:回访1',
      'touch:回访0',
      'touch:跟进',
    ]);
    expect(whole.slice(0, 3).map((e) => e.detail)).toEqual(['sla_kept', 'sla_missed', 'sla_kept']);
    for (const limit of [1, 2, 3]) {
      expect(await wholeTimeline(seeded.tokens.A.ops, client, limit)).toEqual(whole);
    }
  });

  it("answers another branch's client, or another RM's, exactly like a client that does not exist", async () => {
    const absent = await opsA('/clients/wm-nobody/timeline');
    expect(absent.status).toBe(404);
    const profile = await opsA(`/clients/${seeded.branches.B.client}`);
    for (const res of [
      await opsA(`/clients/${seeded.branches.B.client}/timeline`),
      await get(seeded.tokens.A.rm, '/clients/wm-a2/timeline'),
    ]) {
      expect(res.status).toBe(404);
      expect({ ...res.body.error, requestId: null }).toEqual({ ...absent.body.error, requestId: null });
      expect({ ...res.body.error, requestId: null }).toEqual({ ...profile.body.error, requestId: null });
      expect(res.text).not.toContain('范围探针');
    }
    expect((await get(seeded.tokens.B.ops, `/clients/${seeded.branches.B.client}/timeline`)).status).toBe(
      200,
    );
  });

  it('refuses a cursor it did not make and an unknown parameter', async () => {
    const bad = await opsA(`/clients/${seeded.branches.A.client}/timeline?cursor=bm90LWEtY3Vyc29y`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([expect.stringMatching(/^cursor: /)]);
    const offset = await opsA(`/clients/${seeded.branches.A.client}/timeline?offset=3`);
    expect(offset.status).toBe(400);
    expect(offset.body.error.problems).toEqual([expect.stringMatching(/^offset: /)]);
  });
});
