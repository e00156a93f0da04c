import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole, requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { ClientsRepository } from '../contacts/clients.repository.ts';
import { clientNotInScope } from '../contacts/clients.routes.ts';
import type { Membership } from './membership.ts';
import type { PointsEntry } from './points.repository.ts';
import type { PointsService } from './points.service.ts';

const clientPath = z.object({ id: z.string().min(1).max(64) });
const entryPath = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const ledgerCursor = z.tuple([z.number().int().positive()]);
const reason = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .meta({ description: 'why, for the ledger and the audit log' });

const grantBody = z
  .strictObject({
    amount: z.number().int().min(1).max(1_000_000),
    reason,
    ref: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
      .optional()
      .meta({ description: 'an idempotency key (e.g. the ticket number): a repeat grants nothing more' }),
  })
  .meta({ id: 'PointsGrantRequest' });
const reversalBody = z.strictObject({ reason }).meta({ id: 'PointsReversalRequest' });

const entryView = z
  .strictObject({
    id: z.number().int(),
    kind: z.enum(['grant', 'spend', 'expire', 'reversal']),
    amount: z.number().int().meta({ description: 'signed: grants positive, spends and expiries negative' }),
    reason: z.string(),
    source: z.strictObject({ type: z.string(), id: z.string() }),
    reversesId: z.number().int().nullable(),
    reversedBy: z.number().int().nullable(),
    actor: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'PointsEntry' });

const levelView = z.strictObject({ id: z.string(), name: z.string(), benefits: z.array(z.string()) });

const clientPointsView = z
  .strictObject({
    externalUserid: z.string(),
    balance: z.number().int(),
    membership: levelView,
    ledger: pageOf(entryView),
  })
  .meta({ id: 'ClientPoints' });

const outcomeView = z
  .strictObject({ entryId: z.number().int(), balance: z.number().int(), duplicate: z.boolean() })
  .meta({ id: 'PointsOutcome' });
const reversalView = z
  .strictObject({ entryId: z.number().int(), balance: z.number().int() })
  .meta({ id: 'PointsReversal' });
const expiryView = z.strictObject({ lots: z.number().int(), points: z.number().int() });

/** A ledger row as the API shows it. */
function presentEntry(e: PointsEntry): z.infer<typeof entryView> {
  return {
    id: e.id,
    kind: e.kind,
    amount: e.amount,
    reason: e.reason,
    source: { type: e.sourceType, id: e.sourceId },
    reversesId: e.reversesId,
    reversedBy: e.reversedBy,
    actor: e.actor,
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

/**
 * Points over the API: a client's balance, membership level and ledger (admin, ops, and RMs for their own
 * clients); ops grants and reversals with a reason, each audited; and an admin's expiry run. A client or
 * entry outside the caller's scope answers 404.
 */
export function createPointsRouter(deps: {
  db: Db;
  clients: Pick<ClientsRepository, 'find'>;
  points: PointsService;
  membership: () => Membership;
  now: () => Date;
}): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });

  router.get(
    '/clients/:id/points',
    contract({
      tag: 'points',
      summary: "One client's points balance, membership level and ledger (newest first)",
      params: clientPath,
      query: listQuery({}),
      responses: { 200: clientPointsView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(clientPath, req.params, 'path');
      const q = parseListQuery({}, req.query);
      const before = q.cursor ? decodeCursor(q.cursor, ledgerCursor)[0] : undefined;
      const client = await deps.clients.find(deps.db, scopeOf(res), id);
      if (!client) throw clientNotInScope();
      const balance = await deps.points.balance(deps.db, id);
      const rows = await deps.points.ledger(deps.db, id, {
        ...(before === undefined ? {} : { before }),
        limit: q.limit + 1,
      });
      const level = deps.membership().membershipOf(balance, client.tier);
      res.json({
        externalUserid: id,
        balance,
        membership: { id: level.id, name: level.name, benefits: level.benefits },
        ledger: mapPage(
          toPage(rows, q.limit, (e) => [e.id]),
          presentEntry,
        ),
      });
    },
  );

  router.post(
    '/clients/:id/points/grants',
    contract({
      tag: 'points',
      summary: 'Grant points to a client, with a reason (audited)',
      description:
        'With `ref`, a repeat of the same grant answers 200 with `duplicate: true` and grants nothing.',
      params: clientPath,
      body: grantBody,
      responses: { 201: outcomeView, 200: outcomeView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(clientPath, req.params, 'path');
      const body = parseOrThrow(grantBody, req.body, 'body');
      if (!(await deps.clients.find(deps.db, scopeOf(res), id))) throw clientNotInScope();
      const out = await deps.points.grantByOps(
        { externalUserid: id, amount: body.amount, reason: body.reason, ref: body.ref ?? randomUUID() },
        actor(res),
      );
      res.status(out.duplicate ? 200 : 201).json(out);
    },
  );

  router.post(
    '/points/entries/:id/reversal',
    contract({
      tag: 'points',
      summary: 'Reverse a grant or a spend once, with a reason (audited)',
      description:
        'A reversal cannot be reversed (409 `points.reversal_of_reversal`), nor an entry twice ' +
        '(`points.already_reversed`), nor a grant whose points were already spent or expired ' +
        '(`points.already_used`).',
      params: entryPath,
      body: reversalBody,
      responses: { 201: reversalView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(entryPath, req.params, 'path');
      const body = parseOrThrow(reversalBody, req.body, 'body');
      res.status(201).json(await deps.points.reverse(id, body.reason, actor(res), scopeOf(res)));
    },
  );

  router.post(
    '/points/expiry-runs',
    contract({
      tag: 'points',
      summary: 'Expire every lot of points past its expiry now (the nightly job does the same)',
      responses: { 200: expiryView },
    }),
    requireRole('admin'),
    async (_req: Request, res: Response) => {
      // Always as of now: an earlier or later instant would expire points the rule still keeps.
      res.json(await deps.points.expire(deps.now(), actor(res).name));
    },
  );
  return router;
}
