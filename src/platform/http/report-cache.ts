import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { scopeFor } from '../auth/scope.ts';
import type { Clock } from '../clock.ts';
import type { Log } from '../logger.ts';
import { withTimeout } from '../timeout.ts';
import { locals } from './request-context.ts';

type Entry = { token: string; at: number; body: Buffer; gzipped: Buffer; headers: [string, string][] };

/** The response headers a cached answer is sent again with. */
const KEPT_HEADERS = ['content-type', 'content-disposition'];

/**
 * Answers of the analytics reports, kept per process for `ttlMs`. The reports read aggregate tables that
 * change only when a nightly job or an ops write recomputes them, while a busy morning asks for the same
 * ranking and funnel many times over: a repeated request is answered from memory instead of PostgreSQL.
 *
 * - **Keyed** by the caller's role and scope (admin, one branch, one RM) and the full URL, so an answer is
 *   only ever given again to a caller who was allowed the same one; only 200 answers are kept.
 * - **Invalidated** across processes by a token in Redis: `invalidate()` (after a recompute, a cost entry,
 *   a nightly run) writes a new one, and each request compares it with its entry's. A changed RM branch
 *   or anything else written behind Helix's back shows within `ttlMs`.
 * - **Never in the way:** Redis unreachable, the request is answered uncached. Bounded by `maxBytes`
 *   (least recently used go first).
 */
export function createReportCache(deps: {
  redis: Redis;
  /** The Redis key of the token (under the queue prefix, so test runs and deployments stay apart). */
  tokenKey: string;
  ttlMs: number;
  maxBytes: number;
  clock: Clock;
  log: Log;
}) {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.body.length + e.gzipped.length;
    entries.delete(key);
  };
  const store = (key: string, e: Entry) => {
    drop(key);
    const size = e.body.length + e.gzipped.length;
    if (size > deps.maxBytes) return;
    entries.set(key, e);
    bytes += size;
    for (const oldest of entries.keys()) {
      if (bytes <= deps.maxBytes) break;
      drop(oldest);
    }
  };
  // A Redis that hangs rather than refuses must not hold a report up either.
  const TOKEN_WAIT_MS = 250;
  const currentToken = async (): Promise<string | undefined> => {
    try {
      return (await withTimeout(deps.redis.get(deps.tokenKey), TOKEN_WAIT_MS)) ?? 'none';
    } catch (err) {
      deps.log.warn({ err }, 'report cache: Redis unreachable, answering uncached');
      return undefined;
    }
  };

  return {
    /** GET middleware for a report route: answers from the cache, or lets the route answer and keeps it. */
    async serve(req: Request, res: Response, next: NextFunction) {
      const principal = locals(res).principal;
      if (deps.ttlMs <= 0 || req.method !== 'GET' || !principal) return next();
      const token = await currentToken();
      if (token === undefined) return next();
      const key = `${principal.role}\u0000${JSON.stringify(scopeFor(principal))}\u0000${req.originalUrl}`;
      const now = deps.clock.now().getTime();
      const hit = entries.get(key);
      if (hit && hit.token === token && now - hit.at < deps.ttlMs) {
        // Most recently used last, so eviction takes the coldest.
        entries.delete(key);
        entries.set(key, hit);
        for (const [name, value] of hit.headers) res.setHeader(name, value);
        // Compressed once when kept: a 1,000-RM ranking is 200 KB as JSON and a seventh of it gzipped.
        res.setHeader('Vary', 'Accept-Encoding');
        if (req.acceptsEncodings('gzip') === 'gzip') {
          res.setHeader('Content-Encoding', 'gzip');
          res.status(200).send(hit.gzipped);
        } else {
          res.status(200).send(hit.body);
        }
        return;
      }
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        if (res.statusCode === 200 && (typeof body === 'string' || Buffer.isBuffer(body))) {
          const headers: [string, string][] = [];
          for (const name of KEPT_HEADERS) {
            const v = res.getHeader(name);
            if (typeof v === 'string') headers.push([name, v]);
          }
          const raw = Buffer.from(body);
          store(key, { token, at: now, body: raw, gzipped: gzipSync(raw), headers });
        }
        return send(body);
      };
      next();
    },
    /** Forgets every kept answer, in every process (from their next request). */
    async invalidate(): Promise<void> {
      entries.clear();
      bytes = 0;
      try {
        await deps.redis.set(deps.tokenKey, randomUUID());
      } catch (err) {
        deps.log.warn({ err }, 'report cache: could not reach Redis to invalidate other processes');
      }
    },
    /** Entries and bytes held (metrics, tests). */
    size: () => ({ entries: entries.size, bytes }),
  };
}

export type ReportCache = ReturnType<typeof createReportCache>;
