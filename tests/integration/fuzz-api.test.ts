import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { nastyString } from '../helpers/fuzz-arbitraries.ts';
import { createTestContext } from '../helpers/infra.ts';

// Property: with a valid token, no path, query or body sent to the API answers 5xx. Bad input is the
// caller's to fix (4xx); a 500 would mean it reached SQL or a parser unguarded.

let ctx: AppContext;
let close: () => Promise<void>;
let web: WebApp;
let admin: string;
let compliance: string;

beforeAll(async () => {
  ({ ctx, close } = await createTestContext());
  web = buildWebApp(ctx);
  const tokens = createTokenService({ db: ctx.database.db, audit: createAuditRepository() });
  admin = (await tokens.create({ name: 'fuzz admin', role: 'admin', actor: 'test' })).secret;
  compliance = (await tokens.create({ name: 'fuzz compliance', role: 'compliance', actor: 'test' })).secret;
});

afterAll(async () => {
  await web?.close();
  await close?.();
});

const encodeChar = (c: string) => {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%ED%A0%80';
  }
};
/** A path segment or query value as a client could send it: raw where the request line allows, else encoded. */
const onTheWire = fc
  .tuple(nastyString(), fc.boolean())
  .map(([v, raw]) =>
    Array.from(v, (c) =>
      raw && /^[\x21-\x7e]$/.test(c) && c !== '/' && c !== '?' && c !== '#' ? c : encodeChar(c),
    ).join(''),
  );
const numberish = fc.oneof(
  onTheWire,
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '2147483648',
    '9999999999',
    '99999999999999999999',
    '1e309',
    'NaN',
    '0x10',
  ),
);

type Call = { method: 'get' | 'post'; url: string; body?: unknown; role?: 'compliance' };

const calls: fc.Arbitrary<Call> = fc.oneof(
  onTheWire.map((id) => ({ method: 'get' as const, url: `/api/v1/clients/${id}` })),
  fc.tuple(onTheWire, onTheWire, numberish).map(([channel, tier, limit]) => ({
    method: 'get' as const,
    url: `/api/v1/clients?channel=${channel}&tier=${tier}&limit=${limit}`,
  })),
  fc.tuple(onTheWire, numberish).map(([status, limit]) => ({
    method: 'get' as const,
    url: `/api/v1/inbox?status=${status}&limit=${limit}`,
  })),
  numberish.map((id) => ({ method: 'get' as const, url: `/api/v1/inbox/${id}` })),
  fc.tuple(onTheWire, numberish).map(([id, v]) => ({
    method: 'post' as const,
    url: `/api/v1/content/components/${id}/versions/${v}/approve`,
    body: {},
    role: 'compliance' as const,
  })),
  fc.tuple(onTheWire, numberish).map(([id, v]) => ({
    method: 'post' as const,
    url: `/api/v1/faq/${id}/versions/${v}/reject`,
    body: { reason: 'x' },
    role: 'compliance' as const,
  })),
  numberish.map((id) => ({ method: 'post' as const, url: `/api/v1/conversations/${id}/resolve`, body: {} })),
  fc
    .anything({ maxDepth: 3 })
    .map((message) => ({ method: 'post' as const, url: '/api/v1/assist/suggest', body: { message } })),
  fc.tuple(nastyString(200), fc.anything({ maxDepth: 2 })).map(([text, productRiskLevel]) => ({
    method: 'post' as const,
    url: '/api/v1/compliance/check',
    body: { text, productRiskLevel },
  })),
  fc.tuple(onTheWire, fc.anything({ maxDepth: 4 })).map(([id, body]) => ({
    method: 'post' as const,
    url: `/api/v1/content/components/${id}/preview`,
    body: {
      client: { externalUserid: 'wm1' },
      ...(typeof body === 'object' && body ? body : { version: body }),
    },
  })),
  fc
    .record({
      componentId: nastyString(),
      version: fc.oneof(fc.integer(), fc.double()),
      variantId: nastyString(),
    })
    .map((body) => ({ method: 'post' as const, url: '/api/v1/content/outcomes', body })),
  fc
    .record({
      id: nastyString(),
      name: nastyString(),
      state: nastyString(),
      cost: fc.double(),
      rmUserids: fc.array(nastyString()),
    })
    .map((body) => ({ method: 'post' as const, url: '/api/v1/channels', body })),
);

describe('fuzz: /api/v1 with a valid token', () => {
  it('never answers 5xx to any path, query or body', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async (call) => {
        const token = call.role === 'compliance' ? compliance : admin;
        const req = request(web.app)[call.method](call.url).set('authorization', `Bearer ${token}`);
        const res = call.body === undefined ? await req : await req.send(call.body as object);
        expect(res.status, `${call.method} ${call.url}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});
