import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Scope } from '../auth/scope.ts';
import type { Principal } from '../auth/tokens.ts';
import { withLogContext } from '../logger.ts';

/** Per-request state Helix attaches to Express's `res.locals`. */
export type Locals = { requestId?: string; principal?: Principal; scope?: Scope };

/** Reads Helix's typed locals from a response. */
export const locals = (res: Response): Locals => res.locals as Locals;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Assigns a request id: a sane incoming X-Request-Id, else a new UUID. Error responses and logs carry it. */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    res.locals.requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    next();
  };
}

/**
 * Carries the request id into every log line written while handling the request (AsyncLocalStorage).
 * Mounted on the API only: the callback hot path logs little and names the id explicitly, and async
 * context tracking is a measurable cost at thousands of callbacks a second.
 */
export function logContext() {
  return (_req: Request, res: Response, next: NextFunction) => {
    withLogContext({ requestId: locals(res).requestId ?? '' }, next);
  };
}
