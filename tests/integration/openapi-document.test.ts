import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWebApp } from '../../src/app/web.ts';
import { listRoutes } from '../../src/platform/http/route-table.ts';
import { createTestContext } from '../helpers/infra.ts';

const t = await createTestContext();
const web = buildWebApp(t.ctx);
afterAll(async () => {
  await web.close();
  await t.close();
});
const routes = listRoutes(web.app);

type Operation = { parameters?: { in: string; name: string }[]; summary?: string };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('the OpenAPI document', () => {
  it('declares a contract on every /api/v1 route', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => r.contract === null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('is served without a token, is valid OpenAPI 3.1, and lists every route with its path parameters', async () => {
    const res = await request(web.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as Document;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const r of routes) {
      const op =
        doc.paths[r.path.replace(/^\/api\/v1/, '/api/v1').replace(/:(\w+)/g, '{$1}')]?.[
          r.method.toLowerCase()
        ];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      const declared = (op?.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      const inPath = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      expect(declared, `${r.method} ${r.path} path parameters`).toEqual(inPath);
    }
  });

  it('serves an interactive reference from local assets only', async () => {
    const page = await request(web.app).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src.startsWith('/')).toBe(true);
      const js = await request(web.app).get(src);
      expect(js.status, src).toBe(200);
      expect(js.headers['content-type']).toContain('javascript');
    }
    expect((await request(web.app).get('/api/docs/assets/no-such-file.js')).status).toBe(404);
  });
});
