import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { openDatabase } from '../../src/platform/db/client.ts';
import { appCallback, textMessageXml } from '../helpers/callbacks.ts';
import { createTestContext } from '../helpers/infra.ts';

let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;
let tokens: ReturnType<typeof createTokenService>;

beforeAll(async () => {
  ({ ctx, close } = await createTestContext());
  web = buildWebApp(ctx);
  tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
});

afterAll(async () => {
  await web?.close();
  await close?.();
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('admin API authentication', () => {
  it('answers 401 without a token, with a malformed one, and with an unknown one', async () => {
    expect((await request(web.app).get('/api/v1/whoami')).status).toBe(401);
    expect((await request(web.app).get('/api/v1/whoami').set(bearer('nope'))).status).toBe(401);
    const unknown = `hx_${'A'.repeat(43)}`;
    const res = await request(web.app).get('/api/v1/whoami').set(bearer(unknown));
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated' });
    expect(res.body.error.requestId).toEqual(expect.any(String));
  });

  it('identifies a valid token with its role and branch scope', async () => {
    const { secret } = await tokens.create({
      name: '上海分行运营',
      role: 'ops',
      branchScope: 'SH001',
      actor: 'test',
    });
    const res = await request(web.app).get('/api/v1/whoami').set(bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: '上海分行运营', role: 'ops', branchScope: 'SH001' });
  });

  it('answers 403 for a role that may not call the route', async () => {
    const { secret } = await tokens.create({ name: 'rm wang', role: 'rm', actor: 'test' });
    const res = await request(web.app).get('/api/v1/audit-log').set(bearer(secret));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await request(web.app).get('/api/v1/inbox').set(bearer(secret))).status).toBe(403);
  });

  it('rejects a revoked token', async () => {
    const { id, secret } = await tokens.create({ name: 'temp', role: 'admin', actor: 'test' });
    expect((await request(web.app).get('/api/v1/whoami').set(bearer(secret))).status).toBe(200);
    expect(await tokens.revoke(id, 'test')).toBe(true);
    expect((await request(web.app).get('/api/v1/whoami').set(bearer(secret))).status).toBe(401);
  });

  it('stores only a hash of the secret', async () => {
    const { secret } = await tokens.create({ name: 'hash check', role: 'admin', actor: 'test' });
    const rows = await tokens.list();
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows.some((r) => r.tokenPrefix === secret.slice(0, 8))).toBe(true);
  });
});

describe('audit log', () => {
  it('records token changes and is readable by compliance', async () => {
    const { secret } = await tokens.create({ name: 'compliance', role: 'compliance', actor: 'test' });
    const res = await request(web.app).get('/api/v1/audit-log?targetType=api_token').set(bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body.items.some((i: { action: string }) => i.action === 'api_token.create')).toBe(true);
    expect(res.body.items.some((i: { action: string }) => i.action === 'api_token.revoke')).toBe(true);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const db = ctx.database.db;
    await expect(db.execute(sql`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    await expect(db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('rejects invalid query parameters with a 400 naming the field', async () => {
    const { secret } = await tokens.create({ name: 'admin', role: 'admin', actor: 'test' });
    const res = await request(web.app).get('/api/v1/audit-log?limit=100000').set(bearer(secret));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('limit');
  });
});

describe('ops view of the inbox', () => {
  it('lists stored callbacks without their decrypted content', async () => {
    const cb = appCallback(textMessageXml('我的身份证号是110101199003074514'));
    expect((await request(web.app).post(`/wecom/callback?${cb.query}`).send(cb.body)).status).toBe(200);
    const { secret } = await tokens.create({ name: 'ops', role: 'ops', actor: 'test' });
    const res = await request(web.app).get('/api/v1/inbox?status=received').set(bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ source: 'app', kind: 'text', status: 'received' });
    expect(JSON.stringify(res.body)).not.toContain('110101199003074514');
    const one = await request(web.app).get(`/api/v1/inbox/${res.body.items[0].id}`).set(bearer(secret));
    expect(one.status).toBe(200);
    expect((await request(web.app).get('/api/v1/inbox/999999999').set(bearer(secret))).status).toBe(404);
  });
});

describe('health, readiness and metrics', () => {
  it('reports live and ready when PostgreSQL and Redis answer', async () => {
    expect((await request(web.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(web.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', db: 'ok', redis: 'ok', intake: 'ok' });
  });

  it('exposes callback counts, intake latency and queue depth', async () => {
    const res = await request(web.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/helix_callbacks_total\{endpoint="app",type="text",outcome="stored"\} \d+/);
    expect(res.text).toContain('helix_intake_duration_seconds_bucket');
    expect(res.text).toMatch(/helix_queue_depth\{queue="inbox",state="waiting"\} \d+/);
    expect(res.text).toContain('helix_job_failures_total');
  });

  it('answers 404 in the standard error shape for unknown routes', async () => {
    const res = await request(web.app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('compliance check API', () => {
  it('answers any role with findings and the masked text, and refuses bad or oversized input with 400/413', async () => {
    const { secret } = await tokens.create({ name: 'rm_api', role: 'rm', branchScope: null, actor: 'test' });
    const post = () => request(web.app).post('/api/v1/compliance/check').set(bearer(secret));
    const ok = await post().send({ text: '这款产品保本，卡号6222021234567890128', productRiskLevel: 'R3' });
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(false);
    expect(ok.body.findings.map((f: { kind: string }) => f.kind)).toEqual([
      'banned-claim',
      'pii',
      'missing-disclosure',
    ]);
    expect(ok.body.masked).toBe('这款产品保本，卡号6222***********0128');

    const missing = await post().send({ productRiskLevel: 'R9' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.problems.join(' ')).toMatch(/text[\s\S]*productRiskLevel/);
    expect((await post().send({ text: '长'.repeat(20_001) })).status).toBe(400);

    const huge = await post()
      .set('content-type', 'application/json')
      .send(`{"text":"${'保本'.repeat(5_000_000)}"}`);
    expect(huge.status).toBe(413);
    const junk = await post()
      .set('content-type', 'application/json')
      .send(Buffer.from([0xff, 0x00, 0x9c, 0x7b, 0x22]));
    expect(junk.status).toBe(400);
  });
});

describe('PostgreSQL down', () => {
  it('answers 503 so WeCom retries, and readiness reports the database', async () => {
    const dead = await openDatabase({
      url: 'postgres://postgres@127.0.0.1:1/none',
      pgliteDir: '',
      timeouts: { connectMs: 500 },
    });
    const deadWeb = buildWebApp({ ...ctx, database: dead });
    try {
      const cb = appCallback(textMessageXml('数据库宕机时的消息'));
      const res = await request(deadWeb.app).post(`/wecom/callback?${cb.query}`).send(cb.body);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('db_unavailable');
      const ready = await request(deadWeb.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.db).toBe('unavailable');
      // The admin API says the same, as a retryable 503 rather than an internal error.
      const api = await request(deadWeb.app)
        .get('/api/v1/inbox')
        .set('authorization', `Bearer hx_${'A'.repeat(43)}`);
      expect(api.status).toBe(503);
      expect(api.body.error.code).toBe('db_unavailable');
    } finally {
      await deadWeb.close();
      await dead.close();
    }
  });
});
