import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { createTestContext } from '../helpers/infra.ts';

/**
 * The RM sidebar's reads beside a chat: a client's (or group's) context and the approved content to send,
 * on real PostgreSQL, within the caller's scope.
 *
 * 张经理 (rm_zhang, 南山支行, persona 知性姐姐型) owns 陈女士 (wm_chen) and the group wr_nanshan; 李经理
 * (rm_li, 福田支行, no persona) owns wm_li and wr_futian, and sits in 张经理's group wr_shared.
 */
let close: () => Promise<void>;
let web: WebApp;
let db: Db;
const tokens = {} as Record<'zhang' | 'li' | 'admin' | 'opsNanshan' | 'author' | 'checker', string>;
const ids = {} as Record<'chenTask' | 'groupTask' | 'liTask' | 'touch' | 'liTouch' | 'handoff', number>;

const run = (q: ReturnType<typeof sql>) => queryRows<{ id: number }>(db, q);

async function seed() {
  await run(sql`INSERT INTO rms (userid, name, branch, persona) VALUES
    ('rm_zhang', '张经理', '南山支行', 'zhixing-jiejie'), ('rm_li', '李经理', '福田支行', NULL)`);
  await run(sql`INSERT INTO channels (id, name, state, rm_userids, created_by)
    VALUES ('ch-nanshan', '南山地推', 'ch-nanshan', ARRAY['rm_zhang']::text[], 'seed')`);
  await run(sql`INSERT INTO clients (external_userid, name, owner_rm, channel_id, aum_band, risk_level, tags,
                                     tier, acquired_at)
    VALUES ('wm_chen', '陈女士', 'rm_zhang', 'ch-nanshan', '50k-500k', 'C3', ARRAY['基金']::text[],
            'intermediate', '2025-03-01T02:00:00Z'),
           ('wm_li', '王先生', 'rm_li', NULL, 'lt50k', NULL, '{}', 'basic', NULL)`);
  await run(sql`INSERT INTO community_groups (chat_id, name, group_key, member_count, owner_rm) VALUES
    ('wr_nanshan', '南山中级群', 'intermediate', 3, 'rm_zhang'),
    ('wr_futian', '福田基民群', 'jimin', 5, 'rm_li'),
    ('wr_shared', '南山沙龙', 'private-banking-salon', 2, 'rm_zhang')`);
  await run(sql`INSERT INTO group_memberships (chat_id, member_id, member_type, joined_at)
    VALUES ('wr_shared', 'rm_li', 1, now())`);

  // One calendar occurrence whose send tasks await confirmation: 张经理's to 陈女士 and to his group, and
  // one to another client of his; 李经理's to his own client.
  const body = { name: '基金定投周报', componentId: 'evening-topic-daily', channel: 'single', owner: 'seed' };
  await run(sql`INSERT INTO calendar_entries (id, body, created_by)
    VALUES ('weekly-fund', ${JSON.stringify(body)}::jsonb, 'seed')`);
  const [occ] = await run(sql`INSERT INTO calendar_occurrences (entry_id, scheduled_at, entry_version, status)
    VALUES ('weekly-fund', '2025-06-06T10:00:00Z', 1, 'done') RETURNING id::int AS id`);
  const task = async (kind: string, sender: string, recipient: string, status = 'created') => {
    const [t] =
      await run(sql`INSERT INTO send_tasks (occurrence_id, kind, sender, variant_id, recipients, status)
      VALUES (${occ?.id}, ${kind}, ${sender}, ${`v-${recipient}-${status}`}, 1, ${status}) RETURNING id::int AS id`);
    await run(sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, task_id, created_at, updated_at)
      VALUES (${occ?.id}, ${recipient}, ${kind}, ${sender}, 'pending', ${t?.id}, now(), now())`);
    return t?.id ?? 0;
  };
  ids.chenTask = await task('single', 'rm_zhang', 'wm_chen');
  ids.groupTask = await task('group', 'rm_zhang', 'wr_nanshan');
  await task('single', 'rm_zhang', 'wm_other');
  ids.liTask = await task('single', 'rm_li', 'wm_li');

  const touch = async (rm: string, client: string, status: string, due: string, ref: string) =>
    (
      await run(sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, due_date, title, body, ref,
                                         created_at)
        VALUES (${rm}, ${client}, 'birthday', true, ${status}, ${due}::date, '生日祝福', '生日快乐！', ${ref}, now())
        RETURNING id::int AS id`)
    )[0]?.id ?? 0;
  ids.touch = await touch('rm_zhang', 'wm_chen', 'due', '2000-01-01', 'seed:due');
  await touch('rm_zhang', 'wm_chen', 'due', '2999-01-01', 'seed:later');
  await touch('rm_zhang', 'wm_chen', 'done', '2000-01-01', 'seed:done');
  ids.liTouch = await touch('rm_li', 'wm_li', 'due', '2000-01-01', 'seed:li');

  // 陈女士's hand-off waits for 张经理; a newer conversation in another chat is still the bot's.
  const [handoff] = await run(sql`INSERT INTO conversations (chat_id, client_userid, owner_state, rm_userid,
                                                            handed_off_at, sla_due_at)
    VALUES ('wr_nanshan', 'wm_chen', 'pending-human', 'rm_zhang', '2025-06-06T01:00:00Z',
            '2025-06-06T01:30:00Z') RETURNING id::int AS id`);
  ids.handoff = handoff?.id ?? 0;
  await run(
    sql`INSERT INTO conversations (chat_id, client_userid, owner_state) VALUES ('wr_other', 'wm_chen', 'bot')`,
  );
  await run(sql`INSERT INTO conversations (chat_id, client_userid, owner_state, rm_userid)
    VALUES ('wr_old', 'wm_chen', 'resolved', 'rm_zhang')`);

  const service = createTokenService({ db, audit: createAuditRepository() });
  const issue = async (name: string, role: Role, branchScope: string | null = null) =>
    (await service.create({ name, role, branchScope, actor: 'test' })).secret;
  tokens.zhang = await issue('rm_zhang', 'rm');
  tokens.li = await issue('rm_li', 'rm');
  tokens.admin = await issue('admin', 'admin');
  tokens.opsNanshan = await issue('南山运营', 'ops', '南山支行');
  tokens.author = await issue('运营小李', 'ops');
  tokens.checker = await issue('合规老王', 'compliance');
}

beforeAll(async () => {
  const t = await createTestContext();
  close = t.close;
  db = t.ctx.database.db;
  web = buildWebApp(t.ctx);
  await web.syncContentLibrary();
  await seed();
});
afterAll(async () => {
  await web?.close();
  await close?.();
});

const get = (token: string, path: string) =>
  request(web.app).get(`/api/v1/sidebar/${path}`).set('authorization', `Bearer ${token}`);
const post = (token: string, path: string, body: object = {}) =>
  request(web.app).post(`/api/v1/content${path}`).set('authorization', `Bearer ${token}`).send(body);

describe('sidebar context', () => {
  it("shows an RM their client's profile, their open task, the due touch and the waiting hand-off", async () => {
    const res = await get(tokens.zhang, 'context?externalUserid=wm_chen');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      client: {
        externalUserid: 'wm_chen',
        name: '陈女士',
        tier: 'intermediate',
        riskLevel: 'C3',
        tags: ['基金'],
        channel: 'ch-nanshan',
        ownerRm: 'rm_zhang',
        since: '2025-03-01T02:00:00.000Z',
      },
      group: null,
      persona: { id: 'zhixing-jiejie', name: '知性姐姐型' },
      openTasks: [
        { id: ids.chenTask, kind: 'single', title: '基金定投周报', scheduledAt: '2025-06-06T10:00:00.000Z' },
      ],
      touchesDue: [
        { id: ids.touch, kind: 'birthday', title: '生日祝福', body: '生日快乐！', dueDate: '2000-01-01' },
      ],
      lastHandoff: {
        id: ids.handoff,
        state: 'pending-human',
        handedOffAt: '2025-06-06T01:00:00.000Z',
        slaDueAt: '2025-06-06T01:30:00.000Z',
        takenOverBy: null,
      },
    });
    // Nothing of the client's holdings or contact details.
    expect(JSON.stringify(res.body)).not.toContain('aum');
  });

  it("answers 404 for another RM's client and group, and for another branch's, exactly as for none", async () => {
    const absent = await get(tokens.li, 'context?externalUserid=wm_nobody');
    expect(absent.status).toBe(404);
    for (const [token, query] of [
      [tokens.li, 'externalUserid=wm_chen'],
      [tokens.zhang, 'externalUserid=wm_li'],
      [tokens.li, 'chatId=wr_nanshan'],
      [tokens.opsNanshan, 'externalUserid=wm_li'],
      [tokens.opsNanshan, 'chatId=wr_futian'],
    ] as const) {
      for (const path of ['context', 'content']) {
        const res = await get(token, `${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
        expect(res.body.error.message).not.toContain(query.split('=')[1]);
      }
    }
    expect((await get(tokens.li, 'context?chatId=wr_nobody')).status).toBe(404);
  });

  it("shows admin any client with every RM's due touches, but no persona or tasks of its own", async () => {
    const res = await get(tokens.admin, 'context?externalUserid=wm_li');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      client: { externalUserid: 'wm_li', name: '王先生', riskLevel: null, channel: null, since: null },
      persona: null,
      openTasks: [],
      touchesDue: [{ id: ids.liTouch }],
      lastHandoff: null,
    });
    const branch = await get(tokens.opsNanshan, 'context?externalUserid=wm_chen');
    expect(branch.status).toBe(200);
    expect(branch.body.touchesDue).toEqual([expect.objectContaining({ id: ids.touch })]);
  });

  it("shows a group's context: its tier, members, the RM's task to it and its hand-off", async () => {
    const res = await get(tokens.zhang, 'context?chatId=wr_nanshan');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      client: null,
      group: { chatId: 'wr_nanshan', name: '南山中级群', tier: 'intermediate', members: 3 },
      persona: { id: 'zhixing-jiejie' },
      openTasks: [{ id: ids.groupTask, kind: 'group', title: '基金定投周报' }],
      touchesDue: [],
      lastHandoff: { id: ids.handoff, state: 'pending-human' },
    });
    // A group serving an interest or a circle serves no tier; a staff member of it sees it too.
    const shared = await get(tokens.li, 'context?chatId=wr_shared');
    expect(shared.status).toBe(200);
    expect(shared.body).toMatchObject({
      group: { chatId: 'wr_shared', tier: null, members: 2 },
      persona: null,
      openTasks: [],
      lastHandoff: null,
    });
  });

  it('refuses a query naming neither or both of externalUserid and chatId, or anything else', async () => {
    for (const query of [
      '',
      '?externalUserid=wm_chen&chatId=wr_nanshan',
      '?externalUserid=',
      '?chat=wr_nanshan',
    ]) {
      for (const path of ['context', 'content']) {
        const res = await get(tokens.zhang, `${path}${query}`);
        expect(res.status, `${path}${query}`).toBe(400);
        expect(res.body.error.code).toBe('bad_request');
      }
    }
    const res = await get(tokens.zhang, 'context?externalUserid=wm_chen&chatId=wr_nanshan');
    expect(res.body.error.problems).toEqual([
      expect.stringContaining('exactly one of externalUserid and chatId'),
    ]);
  });
});

describe('sidebar content', () => {
  const invite = (text: string) => ({
    id: 'sidebar-tea-invite',
    kind: 'event-invite',
    title: '周六茶话会',
    variables: {
      'client.name': { type: 'string', maxLength: 16, required: false },
      'rm.name': { type: 'string', maxLength: 16 },
      'persona.signoff': { type: 'string', maxLength: 40 },
    },
    variants: [{ id: 'default', renderings: { text } }],
  });

  beforeAll(async () => {
    // Approved through the maker–checker workflow, then edited: version 2 is only a draft.
    const v1 = await post(
      tokens.author,
      '/components',
      invite('{{client.name}}您好，周六下午网点有茶话会，欢迎来坐坐。我是{{rm.name}}，{{persona.signoff}}。'),
    );
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect((await post(tokens.author, '/components/sidebar-tea-invite/versions/1/submit')).status).toBe(200);
    expect((await post(tokens.checker, '/components/sidebar-tea-invite/versions/1/approve')).status).toBe(
      200,
    );
    const v2 = await post(
      tokens.author,
      '/components',
      invite('草稿：{{client.name}}{{rm.name}}{{persona.signoff}}'),
    );
    expect(v2.body).toMatchObject({ version: 2, status: 'draft' });
    const draftOnly = await post(tokens.author, '/components', {
      ...invite('只是草稿{{client.name}}{{rm.name}}{{persona.signoff}}'),
      id: 'sidebar-draft-only',
    });
    expect(draftOnly.status, JSON.stringify(draftOnly.body)).toBe(201);
  });

  type Item = {
    componentId: string;
    version: number;
    text: string;
    sendable: boolean;
    personaId: string | null;
  };

  it("lists approved content newest first, rendered with the client's name in the RM's persona, never a draft", async () => {
    const res = await get(tokens.zhang, 'content?externalUserid=wm_chen');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items: Item[] = res.body.items;
    expect(items.length).toBeGreaterThan(1);
    expect(items.length).toBeLessThanOrEqual(20);
    expect(items[0]).toEqual({
      componentId: 'sidebar-tea-invite',
      name: '周六茶话会',
      version: 1,
      personaId: 'zhixing-jiejie',
      text: '陈女士您好，周六下午网点有茶话会，欢迎来坐坐。我是张经理，有事随时找我呀。',
      sendable: true,
      findings: [],
    });
    const ids = items.map((i) => i.componentId);
    expect(ids).not.toContain('sidebar-draft-only');
    expect(JSON.stringify(items)).not.toContain('草稿');
    // The library's birthday greeting, in the persona's words; Helix's own texts are not offered.
    expect(items.find((i) => i.componentId === 'greeting-birthday')?.text).toContain('陈女士生日快乐');
    expect(ids.filter((id) => /^(bot-|handoff-card|welcome-)/.test(id))).toEqual([]);
    // A product card needs a campaign's figures: it cannot render here, so it is left out.
    expect(ids).not.toContain('product-card-steady-income');
    // Sample market figures are shown but may not be sent outside development.
    expect(items.find((i) => i.componentId === 'morning-brief-daily')).toMatchObject({ sendable: false });
  });

  it('renders for a group without a client name, and as the owner RM for admin', async () => {
    const group = await get(tokens.zhang, 'content?chatId=wr_nanshan');
    expect(group.status).toBe(200);
    expect(group.body.items[0]).toMatchObject({
      componentId: 'sidebar-tea-invite',
      text: '您好，周六下午网点有茶话会，欢迎来坐坐。我是张经理，有事随时找我呀。',
    });
    const admin = await get(tokens.admin, 'content?externalUserid=wm_chen');
    expect(admin.status).toBe(200);
    expect(admin.body.items[0]).toMatchObject({
      componentId: 'sidebar-tea-invite',
      personaId: 'zhixing-jiejie',
    });
  });
});
