import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ERROR_STATUS } from '../errors.ts';
import type { Log } from '../logger.ts';
import { pageFields } from './paging.ts';

/**
 * What one `/api/v1` route takes and answers, written once with the zod schemas its handler validates with.
 * The OpenAPI document (`openapi-document.ts`) is generated from these, and `checkResponses` holds every
 * answer to its declared schema, so the document cannot drift from what the API does.
 */
export type RouteContract = {
  /** One line, shown as the operation's title. */
  summary: string;
  description?: string;
  /** The section of the reference the route appears in (the module's name, e.g. `channels`). */
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body, or a raw body of another media type (an upload). */
  body?: z.ZodType | { mediaType: string; description: string };
  /** Each success status with its JSON schema, `null` for no body, or another media type (a download). */
  responses: Readonly<Record<number, z.ZodType | null | { mediaType: string; description: string }>>;
};

type ContractHandler = ((req: Request, res: Response, next: NextFunction) => void) & {
  contract: RouteContract;
};

/**
 * Declares a route's contract. Mount it first in the route's handlers: the route table reads it from there
 * (like a role gate), and at run time it tells `checkResponses` what this route's answers must look like.
 */
export function contract(c: RouteContract): ContractHandler {
  const handler = (_req: Request, res: Response, next: NextFunction) => {
    res.locals.contract = c;
    next();
  };
  return Object.assign(handler, { contract: c });
}

/** The body of every error answer (`error-middleware.ts`). */
export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(
        Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]],
      ),
      message: z.string(),
      requestId: z.string(),
      problems: z
        .array(
          z.union([
            z.string(),
            z.strictObject({ line: z.number().int(), field: z.string(), message: z.string() }),
          ]),
        )
        .optional()
        .meta({
          description: 'each invalid field as `field: reason`; an import lists `{line, field, message}`',
        }),
    }),
  })
  .meta({ id: 'Error' });

/** The query of a list route: its filters plus `limit` and `cursor` (`paging.ts`). */
export function listQuery<S extends z.ZodRawShape>(filters: S) {
  return z.object({ ...filters, ...pageFields });
}

/** One page of `item`s, as every list route answers. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'pass as ?cursor= for the next page; null on the last' }),
  });
}

/** An ISO 8601 instant as the API writes it (`Date#toISOString`). */
export const isoTime = z.iso.datetime({ offset: true });

/**
 * What happens when an answer does not match its route's contract: `strict` answers 500 instead (tests,
 * so any drift fails the suite), `log` sends it and logs the mismatch, `off` skips the check.
 */
export type ResponseCheckMode = 'strict' | 'log' | 'off';

/**
 * Checks each JSON answer of a contracted route against the schema declared for its status (errors against
 * `errorBody`). The body is checked as the client receives it (after JSON serialization). Mismatches are
 * logged with the field paths only, never the values.
 */
export function checkResponses(mode: ResponseCheckMode, log: Log) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (mode === 'off') return next();
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const c = res.locals.contract as RouteContract | undefined;
      const problems = c ? contractProblems(c, res.statusCode, body) : [];
      if (problems.length === 0) return send(body);
      log.error(
        { status: res.statusCode, summary: c?.summary, problems },
        'response does not match its contract',
      );
      if (mode === 'log') return send(body);
      res.status(500);
      return send({
        error: {
          code: 'internal',
          message: `response does not match its contract: ${problems.join('; ')}`,
          requestId: (res.locals.requestId as string | undefined) ?? '',
        },
      });
    };
    next();
  };
}

/** Why `body`, answered with `status`, breaks contract `c` (empty when it does not). */
export function contractProblems(c: RouteContract, status: number, body: unknown): string[] {
  const declared = status >= 400 ? errorBody : c.responses[status];
  if (declared === undefined) return [`status ${status} is not declared`];
  if (declared === null) return [`status ${status} is declared without a body`];
  if (!(declared instanceof z.ZodType))
    return [`status ${status} is declared as ${declared.mediaType}, not JSON`];
  const r = declared.safeParse(JSON.parse(JSON.stringify(body ?? null)));
  return r.success
    ? []
    : r.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
}
