import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/tokens.ts';
import { withLogContext } from '../logger.ts';

/** Per-request state Helix attaches to Express's `res.locals`. */
export type Locals = { requestId: string; principal?: Principal };

/** Reads Helix's typed locals from a response. */
export const locals = (res: Response): Locals => res.locals as Locals;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Assigns a request id (a sane incoming X-Request-Id, else a new UUID) and carries it into log lines. */
export function requestContext() {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    withLogContext({ requestId }, next);
  };
}
