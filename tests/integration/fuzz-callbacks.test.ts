import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { appCallback, botCallback } from '../helpers/callbacks.ts';
import { jsonDocument, nastyString, xmlDocument } from '../helpers/fuzz-arbitraries.ts';
import { createTestContext } from '../helpers/infra.ts';

// Property: whatever arrives at a callback endpoint, signed or not, Helix answers below 500 and keeps
// serving. A 5xx would make WeCom retry the same input forever; a thrown crash would take intake down.

let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;

beforeAll(async () => {
  ({ ctx, close } = await createTestContext());
  web = buildWebApp(ctx);
});

afterAll(async () => {
  await web?.close();
  await close?.();
});

const ENDPOINTS = ['/wecom/callback', '/wecom/bot/callback'] as const;

// A client cannot put spaces or non-ASCII in a request line: those are percent-encoded (a lone surrogate
// as its invalid UTF-8 bytes), the rest goes raw, including stray '%'.
const encodeChar = (c: string) => {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%ED%A0%80';
  }
};
const toRequestLine = (v: string) =>
  Array.from(v, (c) => (/^[\x21-\x7e]$/.test(c) ? c : encodeChar(c))).join('');
const encodeAll = (v: string) => Array.from(v, encodeChar).join('');

// Raw query strings: the signed parameters with hostile values, percent-encoded or not.
const rawQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom('msg_signature', 'timestamp', 'nonce', 'echostr', 'x', ''),
      fc.oneof(
        nastyString(),
        nastyString().map(encodeAll),
        fc.constantFrom('%', '%E0%A4%A', '%00', '%C3%28'),
      ),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${toRequestLine(v)}`).join('&'));

const body = fc.oneof(
  xmlDocument,
  jsonDocument,
  nastyString(200),
  fc.constant(`<xml>${'<a>'.repeat(20_000)}`),
);

describe('fuzz: the callback endpoints', () => {
  it('answer every unsigned query and body below 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.boolean(),
        rawQuery,
        body,
        async (endpoint, get, q, b) => {
          const res = get
            ? await request(web.app).get(`${endpoint}?${q}`)
            : await request(web.app).post(`${endpoint}?${q}`).set('content-type', 'text/plain').send(b);
          expect(res.status).toBeLessThan(500);
          expect(res.status).not.toBe(200);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('acknowledge or refuse every validly signed plaintext, never with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), xmlDocument, jsonDocument, async (app, xml, json) => {
        const cb = app ? appCallback(xml) : botCallback(json);
        const res = await request(web.app)
          .post(`${app ? ENDPOINTS[0] : ENDPOINTS[1]}?${cb.query}`)
          .set('content-type', 'text/plain')
          .send(cb.body);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 250 },
    );
  });
});
