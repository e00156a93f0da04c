import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { locals } from '../http/request-context.ts';
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

/** Requires the authenticated principal to hold one of `roles`; 403 otherwise. */
export function requireRole(...roles: Role[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const p = locals(res).principal;
    if (!p) throw new AppError('unauthenticated', { message: 'not authenticated' });
    if (!roles.includes(p.role)) {
      throw new AppError('forbidden', {
        message: `role "${p.role}" may not do this; needs ${roles.join(' or ')}`,
      });
    }
    next();
  };
}
