import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { locals } from '../http/request-context.ts';
import { type Scope, scopeFor } from './scope.ts';
import type { TokenService } from './tokens.ts';

/** Requires a valid `Authorization: Bearer <token>`; 401 otherwise. */
export function authenticate(tokens: Pick<TokenService, 'authenticate'>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new AppError('unauthenticated', { message: 'missing bearer token' });
    }
    const principal = await tokens.authenticate(match[1]);
    if (!principal) throw new AppError('unauthenticated', { message: 'invalid or revoked token' });
    res.locals.principal = principal;
    next();
  };
}

/**
 * What a role gate declares about its route. The route table (`platform/http/route-table.ts`) reads it
 * from the handler, so the authorization matrix test covers every route without a list kept by hand.
 */
export type RoleGate = { roles: readonly Role[]; scoped: boolean };

type GateHandler = ((req: Request, res: Response, next: NextFunction) => void) & { gate: RoleGate };

function gate(roles: Role[], scoped: boolean): GateHandler {
  const handler = (_req: Request, res: Response, next: NextFunction) => {
    const p = locals(res).principal;
    if (!p) throw new AppError('unauthenticated', { message: 'not authenticated' });
    if (!roles.includes(p.role)) {
      throw new AppError('forbidden', {
        message: `role "${p.role}" may not do this; needs ${roles.join(' or ')}`,
      });
    }
    if (scoped) res.locals.scope = scopeFor(p);
    next();
  };
  return Object.assign(handler, { gate: { roles: Object.freeze([...roles]), scoped } });
}

/** Requires the authenticated principal to hold one of `roles`; 403 otherwise. */
export function requireRole(...roles: Role[]) {
  return gate(roles, false);
}

/**
 * Like `requireRole`, for routes over branch-owned data (RMs, clients, channels, conversations,
 * outcomes): also puts the principal's scope in `res.locals.scope` for the handler to pass to its
 * repository. Resources outside it answer 404, so their existence does not leak.
 */
export function requireScopedRole(...roles: Role[]) {
  return gate(roles, true);
}

/** The scope `requireScopedRole` attached; a route that forgot the gate fails loudly instead of seeing all. */
export function scopeOf(res: Response): Scope {
  const scope = locals(res).scope;
  if (!scope) throw new Error('scopeOf: the route has no requireScopedRole gate');
  return scope;
}
