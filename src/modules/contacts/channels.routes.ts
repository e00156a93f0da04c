import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ContactsRepository } from './contacts.repository.ts';
import type { ChannelRow } from './contacts.tables.ts';

const createChannelBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(64),
    // WeCom keeps at most 30 characters of state; Helix keeps it plain so it survives every hop.
    state: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,30}$/, 'at most 30 characters: letters, digits, dash and underscore'),
    // channels.cost is numeric(14, 2): twelve digits before the point, and rounding to cents must not add one.
    cost: z.coerce.number().min(0).max(999_999_999_999).default(0),
    rmUserids: z.array(z.string().min(1).max(64)).min(1).max(100),
    remark: z.string().max(30).optional(),
  })
  .strict();

/** The API's view of a channel. */
export function presentChannel(c: ChannelRow & { clients?: number }) {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    cost: Number(c.cost),
    configId: c.configId,
    qrCode: c.qrCode,
    rmUserids: c.rmUserids,
    createdBy: c.createdBy,
    createdAt: new Date(c.createdAt).toISOString(),
    ...(c.clients === undefined ? {} : { clients: c.clients }),
  };
}

/**
 * `/api/v1/channels`: ops create acquisition channels. Creating one asks WeCom for a contact-me code whose
 * state names the channel, then stores it with an audit entry; a state already in use is a 409.
 */
export function createChannelsRouter(deps: {
  db: Db;
  repo: ContactsRepository;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'addContactWay'>;
  log: Log;
}): Router {
  const router = Router();
  router.get('/channels', requireRole('admin', 'ops'), async (_req: Request, res: Response) => {
    res.json({ items: (await deps.repo.listChannels(deps.db)).map(presentChannel) });
  });
  router.post('/channels', requireRole('admin', 'ops'), async (req: Request, res: Response) => {
    const body = parseOrThrow(createChannelBody, req.body, 'body');
    const principal = locals(res).principal;
    if (await deps.repo.channelByState(deps.db, body.state)) {
      throw new AppError('conflict', { message: `state "${body.state}" already names a channel` });
    }
    // The WeCom call happens before (never inside) the transaction that records it.
    const way = await deps.contact.addContactWay({
      type: body.rmUserids.length === 1 ? 1 : 2,
      scene: 2,
      state: body.state,
      users: body.rmUserids,
      ...(body.remark ? { remark: body.remark } : {}),
    });
    try {
      const row = await deps.db.transaction(async (tx) => {
        const created = await deps.repo.insertChannel(tx, {
          id: body.id,
          name: body.name,
          state: body.state,
          cost: body.cost.toFixed(2),
          configId: way.configId,
          qrCode: way.qrCode ?? null,
          rmUserids: body.rmUserids,
          createdBy: principal?.name ?? 'unknown',
        });
        await deps.audit.append(tx, {
          actor: principal?.name ?? 'unknown',
          action: 'channel.create',
          targetType: 'channel',
          targetId: body.id,
          details: { state: body.state, configId: way.configId, rmUserids: body.rmUserids },
          requestId: locals(res).requestId ?? null,
        });
        return created;
      });
      res.status(201).json(presentChannel(row));
    } catch (err) {
      if (isUniqueViolation(err)) {
        deps.log.warn(
          { configId: way.configId, state: body.state },
          'channel lost a race; its contact way is unused',
        );
        throw new AppError('conflict', {
          message: `channel "${body.id}" or state "${body.state}" already exists`,
        });
      }
      throw err;
    }
  });
  return router;
}
