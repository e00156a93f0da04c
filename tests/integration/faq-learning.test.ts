import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';

// The library's texts (content-library/components/bot-*.yaml), as clients read them.
const HANDOFF_REPLY = '这个问题我已转给您的专属客户经理，稍后会有人工为您解答，请稍候。';

let h: HelixWithEmulator;
let ctx: AppContext;
let web: WebApp;
const tokens: Record<string, string> = {};
const CLIENTS = ['wm_choose', 'wm_q1', 'wm_q2', 'wm_q3', 'wm_q4', 'wm_after'];

beforeAll(async () => {
  h = await startHelixWithEmulator();
  ({ ctx, web } = h);
  h.emu.emulator.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
  await queryRows(ctx.database.db, sql`INSERT INTO rms (userid, name) VALUES ('rm_zhang', '张经理')`);
  for (const c of CLIENTS) {
    await queryRows(
      ctx.database.db,
      sql`INSERT INTO clients (external_userid, owner_rm, tier) VALUES (${c}, 'rm_zhang', 'basic')`,
    );
  }
  const service = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  for (const [name, role] of [
    ['运营小李', 'ops'],
    ['合规老王', 'compliance'],
  ] as [string, Role][]) {
    tokens[role] = (await service.create({ name, role, branchScope: null, actor: 'test' })).secret;
  }
});
afterAll(async () => h?.stop());

const chat = botChat(() => h.emu.emulator, 'wr_learning');
/** A client @-mentions the bot in the group; resolves with the bot's reply. */
const ask = async (userId: string, content: string) => chat.nextReply(await chat.ask(userId, content));
const api = (role: Role) => ({
  get: (path: string) =>
    request(web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${tokens[role]}`),
  post: (path: string, body: object) =>
    request(web.app).post(`/api/v1${path}`).set('authorization', `Bearer ${tokens[role]}`).send(body),
});

type Cluster = { representative: string; questionIds: number[]; texts: string[] };

describe('clarification choices', () => {
  it('answers the entry a client picks by number, and counts it as answered without a person', async () => {
    const offer = await ask('wm_choose', '@智能助手 信用卡怎么收');
    expect(offer).toMatch(/^您想问的是下面哪一个？/);
    const line = offer.split('\n').find((l) => l.includes('年费')) as string;
    expect(line).toBeDefined();
    const pick = await ask('wm_choose', `@智能助手 ${line.slice(0, 1)}`);
    expect(pick).toContain('年费');
    // Another number with no clarification pending is not an answer to anything.
    expect(await ask('wm_choose', '@智能助手 2')).not.toContain('年费');

    const report = await api('ops').get('/faq/deflection?days=1');
    expect(report.status).toBe(200);
    const fee = report.body.entries.find((e: { key: string }) => e.key === 'card-annual-fee');
    expect(fee).toMatchObject({ clarified: 1, clarifiedAndChosen: 1, deflectionRate: 1 });
  });
});

describe('the review queue of unanswered questions', () => {
  const mortgage = [
    '我想咨询一下房贷提前还款的违约金怎么算',
    '房贷提前还款违约金怎么算',
    '提前还房贷的违约金怎么算',
  ];

  it('clusters questions the bot handed off, and lets ops attach them to an entry for compliance to approve', async () => {
    for (const [i, q] of mortgage.entries())
      expect(await ask(`wm_q${i + 1}`, `@智能助手 ${q}`)).toBe(HANDOFF_REPLY);
    const queue = await api('ops').get('/faq/review-queue');
    expect(queue.status).toBe(200);
    const cluster = (queue.body.clusters as Cluster[]).find((c) => c.texts.includes(mortgage[1] as string));
    expect(cluster?.texts.sort()).toEqual([...mortgage].sort());

    // The mortgage questions need an entry of their own: ops draft it from the cluster.
    const draft = await api('ops').post('/faq/review-queue/draft', {
      questionIds: cluster?.questionIds,
      entry: {
        id: 'mortgage-prepay-fee',
        category: '贷款',
        question: '房贷提前还款有违约金吗',
        answer:
          '提前还款是否收取违约金以您的借款合同约定为准，可在手机银行“贷款”中查看合同条款，或联系您的客户经理。',
      },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toEqual({ entryId: 'mortgage-prepay-fee', version: 1, status: 'draft' });
    // Reviewed questions leave the queue; reviewing them again changes nothing.
    const again = await api('ops').post('/faq/review-queue/dismiss', { questionIds: cluster?.questionIds });
    expect(again.status).toBe(409);
    const after = await api('ops').get('/faq/review-queue');
    expect((after.body.clusters as Cluster[]).flatMap((c) => c.texts)).not.toContain(mortgage[1]);

    // Not served until compliance approves it.
    expect(await ask('wm_q4', '@智能助手 房贷提前还款的违约金怎么算')).toBe(HANDOFF_REPLY);
    const ok = await api('compliance').post('/faq/mortgage-prepay-fee/versions/1/approve', {});
    expect(ok.status).toBe(200);
    expect(await ask('wm_after', '@智能助手 房贷提前还款违约金怎么算')).toContain('借款合同');
  });

  it('adds questions to an existing entry as similar questions in a new draft version', async () => {
    const rms = await api('ops').post('/assist/suggest', { message: '我那张卡找不着了咋弄' });
    expect(rms.status).toBe(200);
    const queue = await api('ops').get('/faq/review-queue');
    const cluster = (queue.body.clusters as Cluster[]).find((c) => c.texts.includes('我那张卡找不着了咋弄'));
    expect(cluster).toBeDefined();
    const attach = await api('ops').post('/faq/review-queue/attach', {
      questionIds: cluster?.questionIds,
      entryId: 'card-lost',
    });
    expect(attach.status).toBe(201);
    const [latest] = await queryRows<{ status: string; similar: string[]; author: string }>(
      ctx.database.db,
      sql`SELECT status, "similar", author FROM faq_versions WHERE entry_id = 'card-lost' ORDER BY version DESC LIMIT 1`,
    );
    expect(latest).toMatchObject({ status: 'draft', author: '运营小李' });
    expect(latest?.similar).toContain('我那张卡找不着了咋弄');
    const audit = await queryRows<{ action: string }>(
      ctx.database.db,
      sql`SELECT action FROM audit_log WHERE action LIKE 'faq.review.%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['faq.review.draft', 'faq.review.attach']);
  });

  it('refuses an unknown entry or question with a clear error and changes nothing', async () => {
    const queue = await api('ops').get('/faq/review-queue');
    const open = (queue.body.clusters as Cluster[]).flatMap((c) => c.questionIds);
    const unknownEntry = await api('ops').post('/faq/review-queue/attach', {
      questionIds: open.slice(0, 1),
      entryId: 'no-such-entry',
    });
    expect(unknownEntry.status).toBe(404);
    const mixed = await api('ops').post('/faq/review-queue/dismiss', {
      questionIds: [...open.slice(0, 1), 999_999],
    });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error.message).toContain('999999');
    const still = await api('ops').get('/faq/review-queue');
    expect((still.body.clusters as Cluster[]).flatMap((c) => c.questionIds)).toEqual(open);
    const bad = await api('ops').post('/faq/review-queue/draft', { questionIds: [], entry: {} });
    expect(bad.status).toBe(400);
    expect((await api('compliance').get('/faq/review-queue')).status).toBe(403);
  });
});
