import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { createTestContext } from '../helpers/infra.ts';

/**
 * Inputs that used to answer 500 with an error-level stack trace. Each must now be refused with a typed
 * 4xx that names the problem, and store nothing.
 */

let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;
const token: Record<'admin' | 'compliance', string> = { admin: '', compliance: '' };

beforeAll(async () => {
  ({ ctx, close } = await createTestContext());
  web = buildWebApp(ctx);
  const tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  for (const role of ['admin', 'compliance'] as const) {
    token[role] = (await tokens.create({ name: `bad-input ${role}`, role, actor: 'test' })).secret;
  }
});

afterAll(async () => {
  await web?.close();
  await close?.();
});

const auth = (role: 'admin' | 'compliance' = 'admin') => ({ authorization: `Bearer ${token[role]}` });

const expectRejected = (res: request.Response, status: number, code: string) => {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body.error.requestId).toEqual(expect.any(String));
};

const BAD_PERCENT = 'msg_signature=%E0%A4%A&timestamp=1&nonce=1';

describe('malformed percent-encoding', () => {
  for (const endpoint of ['/wecom/callback', '/wecom/bot/callback']) {
    it(`answers 400 invalid_encoding on GET and POST ${endpoint}`, async () => {
      const get = await request(web.app).get(`${endpoint}?${BAD_PERCENT}&echostr=abc`);
      expectRejected(get, 400, 'invalid_encoding');
      const post = await request(web.app)
        .post(`${endpoint}?${BAD_PERCENT}`)
        .set('content-type', 'text/plain')
        .send('<xml><Encrypt>abc</Encrypt></xml>');
      expectRejected(post, 400, 'invalid_encoding');
      expect(post.body.error.message).toContain('msg_signature');
    });
  }

  it('answers 400 invalid_encoding for an API path parameter and query value', async () => {
    expectRejected(await request(web.app).get('/api/v1/clients/%C3%28').set(auth()), 400, 'invalid_encoding');
    expectRejected(await request(web.app).get('/api/v1/inbox/%E0%A4%A').set(auth()), 400, 'invalid_encoding');
    const q = await request(web.app).get('/api/v1/clients?channel=%C3%28').set(auth());
    expectRejected(q, 400, 'invalid_encoding');
    expect(q.body.error.message).toContain('query.channel');
  });
});

describe('U+0000 in API input', () => {
  it('is refused in path parameters, query strings and JSON bodies, naming the field', async () => {
    const path = await request(web.app).get('/api/v1/clients/wm%00x').set(auth());
    expectRejected(path, 400, 'bad_request');
    expect(path.body.error.problems).toEqual(['path: must not contain a NUL character (U+0000)']);

    const query = await request(web.app).get('/api/v1/clients?tier=gold%00').set(auth());
    expectRejected(query, 400, 'bad_request');
    expect(query.body.error.problems).toEqual(['query.tier: must not contain a NUL character (U+0000)']);

    const body = await request(web.app)
      .post('/api/v1/content/components/welcome-basic/preview')
      .set(auth())
      .send({ client: { externalUserid: 'wm1', name: '张\u0000三' } });
    expectRejected(body, 400, 'bad_request');
    expect(body.body.error.problems).toEqual(['body.client.name: must not contain a NUL character (U+0000)']);

    const check = await request(web.app)
      .post('/api/v1/assist/suggest')
      .set(auth())
      .send({ message: '信用卡\u0000额度' });
    expectRejected(check, 400, 'bad_request');
    expect(check.body.error.message).toContain('body.message');
  });

  it('is refused in uploaded text files (profile import, FAQ import)', async () => {
    const csv = await request(web.app)
      .post('/api/v1/clients/import')
      .set(auth())
      .set('content-type', 'text/csv')
      .send('external_userid,name\nwm_nul,张\u0000三\n');
    expectRejected(csv, 400, 'bad_request');
    // Uploads arrive as bytes; the decoder refuses a control character once it has decoded them.
    expect(JSON.stringify(csv.body.error.problems)).toContain('control character U+0000');
    const tsv = await request(web.app)
      .post('/api/v1/faq/import')
      .set(auth())
      .set('content-type', 'text/tab-separated-values')
      .send('id\tcategory\tquestion\tanswer\nnul-q\t卡\t问\u0000题\t答案\n');
    expectRejected(tsv, 400, 'bad_request');
  });
});

describe('integers beyond PostgreSQL int4', () => {
  it('answers 400 for a version number in a path or a body', async () => {
    for (const url of [
      '/api/v1/content/components/x/versions/9999999999/approve',
      '/api/v1/faq/x/versions/9999999999/approve',
    ]) {
      const res = await request(web.app).post(url).set(auth('compliance')).send({});
      expectRejected(res, 400, 'bad_request');
      expect(res.body.error.problems).toEqual([expect.stringMatching(/^v: /)]);
    }
    const outcome = await request(web.app).post('/api/v1/content/outcomes').set(auth()).send({
      componentId: 'welcome-basic',
      version: 9_999_999_999,
      variantId: 'a',
      externalUserid: 'wm1',
      channel: 'text',
      outcome: 'sent',
    });
    expectRejected(outcome, 400, 'bad_request');
    const channel = await request(web.app)
      .post('/api/v1/channels')
      .set(auth())
      .send({ id: 'ch-big', name: '大成本', state: 'ch-big', cost: 1e12, rmUserids: ['rm_zhang'] });
    expectRejected(channel, 400, 'bad_request');
    expect(channel.body.error.problems).toEqual([expect.stringMatching(/^cost: /)]);
  });
});

describe('hostile unsigned envelopes', () => {
  it('refuses deeply nested XML and JSON with 400, without overflowing the stack', async () => {
    const xml = await request(web.app)
      .post('/wecom/callback?msg_signature=a&timestamp=1&nonce=1')
      .set('content-type', 'text/xml')
      .send(`<xml>${'<a>'.repeat(300_000)}`);
    expectRejected(xml, 400, 'bad_request');
    const withEncrypt = await request(web.app)
      .post('/wecom/callback?msg_signature=a&timestamp=1&nonce=1')
      .set('content-type', 'text/xml')
      .send(`<xml>${'<a>'.repeat(100_000)}<Encrypt>QUJD</Encrypt>${'</a>'.repeat(100_000)}</xml>`);
    expectRejected(withEncrypt, 401, 'invalid_signature');
    const json = await request(web.app)
      .post('/wecom/bot/callback?msg_signature=a&timestamp=1&nonce=1')
      .set('content-type', 'application/json')
      .send(`${'['.repeat(300_000)}`);
    expectRejected(json, 400, 'bad_request');
  });
});
