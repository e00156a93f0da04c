import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createServices } from '../../src/app/services.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createRankerRefitService } from '../../src/modules/faq/learning/ranker-refit.service.ts';
import { createRankerFitsRepository } from '../../src/modules/faq/ranker-fits.repository.ts';
import { loadLexicon } from '../../src/modules/faq/retrieval/lexicon.loader.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { reviewRewordings } from '../helpers/faq-rewordings.ts';
import { createTestContext } from '../helpers/infra.ts';

let ctx: AppContext;
let close: () => Promise<void>;
let services: ReturnType<typeof createServices>;
let web: WebApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ({ ctx, close } = await createTestContext({ LOG_LEVEL: 'warn' }));
  services = createServices(ctx);
  await services.smart().faq.syncLibrary(services.starterFaq());
  web = buildWebApp(ctx);
  const issuer = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  for (const [key, name, role, branchScope] of [
    ['admin', '管理员老张', 'admin', null],
    ['ops', '总行运营小李', 'ops', null],
    ['branchOps', '分行运营小王', 'ops', 'BR-A'],
    ['compliance', '合规老王', 'compliance', null],
    ['rm', '客户经理小赵', 'rm', null],
  ] as [string, string, Role, string | null][]) {
    tokens[key] = (await issuer.create({ name, role, branchScope, actor: 'test' })).secret;
  }
}, 30_000);
afterAll(async () => {
  await web?.close();
  await services?.close();
  await close?.();
});

const get = (who: string, path: string) =>
  request(web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${tokens[who]}`);
const refit = (who: string, body: object) =>
  request(web.app).post('/api/v1/faq/ranker/refit').set('authorization', `Bearer ${tokens[who]}`).send(body);

describe('ops see and run the FAQ ranker refits', () => {
  let firstId = 0;

  it('records a refit of a KB too small to fit as not deployed, and lists it', async () => {
    const out = await refit('admin', {});
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ status: 'not_deployed', report: { deploy: false } });
    expect(out.body.report.reason).toMatch(/^too few examples \(\d+ < 50\)$/);
    firstId = out.body.id;

    const view = await get('compliance', '/faq/ranker');
    expect(view.status).toBe(200);
    expect(view.body.deployed).toBeNull();
    expect(view.body.refits).toHaveLength(1);
    expect(view.body.refits[0]).toMatchObject({
      id: firstId,
      status: 'not_deployed',
      actor: '管理员老张',
      report: { reason: out.body.report.reason },
    });

    // The same KB again: nothing to refit unless forced.
    expect((await refit('ops', {})).body).toMatchObject({ id: null, status: 'skipped' });
  });

  it('refuses a refit to branch ops and RMs, and a malformed body', async () => {
    const branch = await refit('branchOps', { force: true });
    expect(branch.status).toBe(403);
    expect(branch.body.error.message).toMatch(/head office/);
    expect((await refit('rm', {})).status).toBe(403);
    const bad = await refit('ops', { force: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect((await get('ops', '/faq/ranker?limit=0')).status).toBe(400);
    expect((await get('ops', '/faq/ranker?limit=101')).status).toBe(400);
    // None of them ran a refit.
    expect((await get('ops', '/faq/ranker')).body.refits).toHaveLength(1);
  });

  it('shows branch ops the fit the scheduled refit deployed, newest refit first', async () => {
    await reviewRewordings(services.smart(), ctx.database.db);
    const scheduled = createRankerRefitService({
      db: ctx.database.db,
      faq: services.smart().faq,
      fits: createRankerFitsRepository(),
      audit: createAuditRepository(),
      lexicon: loadLexicon(`${ctx.config.contentLibraryDir}/faq`),
      thresholds: ctx.config.faq.thresholds,
      options: { minExamples: 20, minHeldBack: 5 },
      log: ctx.log,
    });
    const out = await scheduled.refit('scheduler');
    expect(out.status).toBe('deployed');
    if (out.status === 'skipped') return;

    const view = await get('branchOps', '/faq/ranker');
    expect(view.status).toBe(200);
    expect(view.body.deployed).toMatchObject({
      id: out.id,
      examples: out.report.examples,
      report: { deploy: true, chosen: { answerThreshold: out.report.chosen?.answerThreshold } },
    });
    expect(Date.parse(view.body.deployed.createdAt)).not.toBeNaN();
    expect(view.body.refits.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([
      [out.id, 'deployed'],
      [firstId, 'not_deployed'],
    ]);
    const one = await get('branchOps', '/faq/ranker?limit=1');
    expect(one.body.refits.map((r: { id: number }) => r.id)).toEqual([out.id]);
  }, 60_000);

  it('answers 409 to a refit asked while another is running', async () => {
    const answers = await Promise.all([refit('admin', { force: true }), refit('ops', { force: true })]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409]);
    const refused = answers.find((a) => a.status === 409);
    expect(refused?.body.error.message).toMatch(/already running/);
  }, 60_000);
});
