import type { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { errorBody, type RouteContract } from './api-contract.ts';
import type { RouteEntry } from './route-table.ts';

type Media = { mediaType: string; description: string };
const isMedia = (v: unknown): v is Media => typeof v === 'object' && v !== null && 'mediaType' in v;

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

/** Express's `/clients/:id` as OpenAPI's `/clients/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operation(route: RouteEntry, c: RouteContract): ZodOpenApiOperationObject {
  const who = route.gate
    ? `Roles: ${route.gate.roles.join(', ')}${route.gate.scoped ? ' (branch-scoped: branch staff see their branch only)' : ''}.`
    : 'Open to every authenticated caller.';
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, declared] of Object.entries(c.responses)) {
    const description = STATUS_TEXT[Number(status)] ?? `HTTP ${status}`;
    if (declared === null) responses[status] = { description };
    else if (isMedia(declared))
      responses[status] = {
        description: declared.description,
        content: { [declared.mediaType]: { schema: { type: 'string' } } },
      };
    else responses[status] = { description, content: { 'application/json': { schema: declared } } };
  }
  responses.default = {
    description: 'An error: `code` names it, `problems` lists each invalid field',
    content: { 'application/json': { schema: errorBody } },
  };
  const op: ZodOpenApiOperationObject = {
    operationId: `${route.method.toLowerCase()}${route.path
      .replace(/^\/api\/v1/, '')
      .split(/[/:-]/)
      .filter(Boolean)
      .map((s) => s[0]!.toUpperCase() + s.slice(1))
      .join('')}`,
    summary: c.summary,
    description: [c.description, who].filter(Boolean).join('\n\n'),
    tags: [c.tag],
    responses,
    ...(route.gate
      ? { 'x-helix-roles': [...route.gate.roles], 'x-helix-branch-scoped': route.gate.scoped }
      : {}),
  };
  if (c.params || c.query)
    op.requestParams = { ...(c.params ? { path: c.params } : {}), ...(c.query ? { query: c.query } : {}) };
  if (c.body) {
    op.requestBody = isMedia(c.body)
      ? { description: c.body.description, content: { [c.body.mediaType]: { schema: { type: 'string' } } } }
      : { content: { 'application/json': { schema: c.body as z.ZodType } } };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document of `routes` (the API's route table), built from each route's contract. A route
 * without one is an error: the document covers the whole API or is not built.
 */
export function buildOpenApiDocument(routes: readonly RouteEntry[], info: { version: string }) {
  const missing = routes.filter((r) => !r.contract).map((r) => `${r.method} ${r.path}`);
  if (missing.length > 0) throw new Error(`routes without a contract: ${missing.join(', ')}`);
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const r of routes) {
    const key = openApiPath(r.path);
    paths[key] = { ...paths[key], [r.method.toLowerCase()]: operation(r, r.contract!) };
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Helix API',
        version: info.version,
        description:
          'Private-domain client operations on WeCom. Every call carries `Authorization: Bearer <token>`; ' +
          'lists page with `?limit=` and `?cursor=` (the `nextCursor` of the previous page).',
      },
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths: paths as ZodOpenApiPathsObject,
    },
    { reused: 'inline' },
  );
}
