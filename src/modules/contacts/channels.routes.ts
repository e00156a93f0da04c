import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime, listQuery, pageOf } from '../../platform/http/api-contract.ts';
import { decodeCursor, mapPage, parseListQuery, toPage } from '../../platform/http/paging.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { ChannelsService } from './channels.service.ts';
import type { ChannelRow } from './contacts.tables.ts';

const createChannelBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(64),
    // WeCom keeps at most 30 characters of state; Helix keeps it plain so it survives every hop.
    state: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,30}$/, 'at most 30 characters: letters, digits, dash and underscore')
      // Referral codes' states start with "rf-": a channel may not look like one.
      .refine(
        (v) => !v.toLowerCase().startsWith('rf-'),
        'must not start with "rf-" (kept for referral codes)',
      ),
    // channels.cost is numeric(14, 2): twelve digits before the point, and rounding to cents must not add one.
    cost: z.coerce.number().min(0).max(999_999_999_999).default(0),
    rmUserids: z.array(z.string().min(1).max(64)).min(1).max(100),
    remark: z.string().max(30).optional(),
  })
  .strict();
const listFilters = { archived: z.enum(['true', 'false']).default('false') };
const channelCursor = z.tuple([z.string().max(64), z.string().max(64)]);
const idPath = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) });

const channelView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    cost: z.number(),
    configId: z.string().nullable(),
    qrCode: z.string().nullable().meta({ description: "the contact-me QR code's URL, from WeCom" }),
    rmUserids: z.array(z.string()),
    createdBy: z.string(),
    createdAt: isoTime,
    archivedAt: isoTime.nullable(),
    clients: z.number().int().optional().meta({ description: 'clients who came through this channel' }),
  })
  .meta({ id: 'Channel' });

/** The API's view of a channel. */
export function presentChannel(c: ChannelRow & { clients?: number }): z.infer<typeof channelView> {
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
    archivedAt: c.archivedAt ? new Date(c.archivedAt).toISOString() : null,
    ...(c.clients === undefined ? {} : { clients: c.clients }),
  };
}

/**
 * `/api/v1/channels`: ops create acquisition channels (each with a WeCom contact-me code whose state names
 * it), list them, and archive them. Branch ops see, create and archive only channels whose RMs are all in
 * their branch.
 */
export function createChannelsRouter(deps: { channels: ChannelsService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });
  router.get(
    '/channels',
    contract({
      tag: 'channels',
      summary: 'List acquisition channels',
      query: listQuery(listFilters),
      responses: { 200: pageOf(channelView) },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseListQuery(listFilters, req.query);
      const rows = await deps.channels.list(scopeOf(res), {
        archived: q.archived === 'true',
        ...(q.cursor ? { after: decodeCursor(q.cursor, channelCursor) } : {}),
        limit: q.limit + 1,
      });
      res.json(
        mapPage(
          toPage(rows, q.limit, (c) => [c.sortAt, c.id]),
          presentChannel,
        ),
      );
    },
  );
  router.post(
    '/channels',
    contract({
      tag: 'channels',
      summary: 'Create a channel with its WeCom contact-me code',
      body: createChannelBody,
      responses: { 201: channelView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const body = parseOrThrow(createChannelBody, req.body, 'body');
      const { remark, ...rest } = body;
      const row = await deps.channels.create(
        { ...rest, ...(remark ? { remark } : {}) },
        actor(res),
        scopeOf(res),
      );
      res.status(201).json(presentChannel(row));
    },
  );
  router.post(
    '/channels/:id/archive',
    contract({
      tag: 'channels',
      summary: 'Archive a channel (its contact-me code is deleted in WeCom)',
      params: idPath,
      responses: { 200: channelView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      res.json(presentChannel(await deps.channels.archive(id, actor(res), scopeOf(res))));
    },
  );
  return router;
}
