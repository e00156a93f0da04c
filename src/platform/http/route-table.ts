import type { Express } from 'express';
import type { RoleGate } from '../auth/auth.middleware.ts';
import type { RouteContract } from './api-contract.ts';

/**
 * One mounted route: method, full path, what its role gate allows (null: the route has no gate), and its
 * contract (null: none declared).
 */
export type RouteEntry = {
  method: string;
  path: string;
  gate: RoleGate | null;
  contract: RouteContract | null;
};

// The parts of Express 5's (router 2.x) layers the walk reads; Express does not type its internals.
type Handle = { (...args: never[]): unknown; stack?: Layer[]; gate?: RoleGate; contract?: RouteContract };
type Layer = {
  rawPath?: unknown;
  handle: Handle;
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] };
};

const join = (prefix: string, path: string) => `${prefix}${path === '/' ? '' : path}` || '/';

/**
 * Every route mounted on `app` under `prefix`, read from Express's own router stack, so the table is
 * what really serves requests. Used by the authorization matrix test and the OpenAPI document. Mounts with a
 * non-string path (a RegExp or an array) are reported as an error rather than silently skipped.
 */
export function listRoutes(app: Express, prefix = '/api/v1'): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], base: string) => {
    for (const layer of stack) {
      const raw = layer.rawPath ?? '/';
      if (typeof raw !== 'string') throw new Error(`listRoutes: cannot describe mount path ${String(raw)}`);
      if (layer.route) {
        const path = join(base, String(layer.route.path));
        const gate = layer.route.stack.map((l) => l.handle.gate).find((g) => g !== undefined) ?? null;
        const contract = layer.route.stack.map((l) => l.handle.contract).find((c) => c !== undefined) ?? null;
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path, gate, contract });
        }
      } else if (Array.isArray(layer.handle.stack)) {
        walk(layer.handle.stack, join(base, raw));
      }
    }
  };
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(router.stack, '');
  return out.filter((r) => r.path === prefix || r.path.startsWith(`${prefix}/`));
}
