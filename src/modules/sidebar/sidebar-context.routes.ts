import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { invalidInput, parseOrThrow } from '../../platform/http/validate.ts';
import { complianceFindingView } from '../compliance/compliance.routes.ts';
import { SIDEBAR_CONTENT_MAX, type SidebarService, type SidebarTarget } from './sidebar-context.service.ts';

const chatQuery = z
  .object({
    externalUserid: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "the client whose private chat the sidebar is beside (WeCom's wm…)" }),
    chatId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "the customer group the sidebar is beside (WeCom's wr…)" }),
  })
  .strict();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const sidebarContextView = z
  .strictObject({
    client: z
      .strictObject({
        externalUserid: z.string(),
        name: z.string().nullable(),
        tier: z.string().nullable(),
        riskLevel: z.enum(['C1', 'C2', 'C3', 'C4', 'C5']).nullable(),
        tags: z.array(z.string()),
        channel: z.string().nullable().meta({ description: 'the acquisition channel id' }),
        ownerRm: z.string().nullable(),
        since: isoTime.nullable().meta({ description: 'when the client added their RM' }),
      })
      .nullable()
      .meta({ description: 'set for externalUserid; the profile without holdings or contact details' }),
    group: z
      .strictObject({
        chatId: z.string(),
        name: z.string(),
        tier: z.string().nullable().meta({ description: 'the tier the group serves, if it serves one' }),
        members: z.number().int(),
      })
      .nullable()
      .meta({ description: 'set for chatId' }),
    persona: z
      .strictObject({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: "the asking RM's persona (人设); null for admin and ops" }),
    openTasks: z
      .array(
        z.strictObject({
          id: z.number().int(),
          kind: z.enum(['single', 'group', 'moment', 'app', 'robot']),
          title: z.string().nullable().meta({ description: "the calendar entry's name" }),
          scheduledAt: isoTime.nullable(),
        }),
      )
      .meta({
        description:
          "the asking RM's send tasks not yet confirmed in WeCom that reach this chat; empty for admin and ops",
      }),
    touchesDue: z
      .array(
        z.strictObject({
          id: z.number().int(),
          kind: z.string(),
          title: z.string(),
          body: z.string().nullable().meta({ description: 'the ready text the RM sends personally, if any' }),
          dueDate: isoDate.nullable(),
        }),
      )
      .meta({
        description: "touches due today or earlier for the client (the asking RM's own); empty for a group",
      }),
    lastHandoff: z
      .strictObject({
        id: z.number().int(),
        state: z.enum(['bot', 'pending-human', 'human']),
        handedOffAt: isoTime.nullable(),
        slaDueAt: isoTime.nullable(),
        takenOverBy: z.string().nullable(),
      })
      .nullable()
      .meta({
        description:
          'the newest open conversation of the client (or in the group): one handed to a person before one the bot holds',
      }),
  })
  .meta({ id: 'SidebarContext' });

const sidebarContentItemView = z
  .strictObject({
    componentId: z.string(),
    name: z.string().meta({ description: "the component's title" }),
    version: z.number().int().meta({ description: 'the approved version rendered' }),
    personaId: z.string().nullable().meta({ description: 'the persona it was rendered in' }),
    text: z.string().meta({ description: 'the text-channel rendering for this chat' }),
    sendable: z.boolean().meta({
      description:
        'false when it must not be sent now: sample or stale market figures, outside its validity window, or a blocking finding',
    }),
    findings: z.array(complianceFindingView),
  })
  .meta({ id: 'SidebarContentItem' });

const sidebarContentView = z.strictObject({ items: z.array(sidebarContentItemView) });

/** The chat the query names: exactly one of `externalUserid` and `chatId`, else a 400. */
function targetOf(query: unknown): SidebarTarget {
  const q = parseOrThrow(chatQuery, query, 'query');
  if (q.externalUserid !== undefined && q.chatId === undefined) return { externalUserid: q.externalUserid };
  if (q.chatId !== undefined && q.externalUserid === undefined) return { chatId: q.chatId };
  throw invalidInput(
    [
      {
        en: 'externalUserid: give exactly one of externalUserid and chatId',
        zh: 'externalUserid: externalUserid 与 chatId 须且只能提供其一',
      },
    ],
    'query',
  );
}

/**
 * `/api/v1/sidebar/context` and `/sidebar/content`: what the RM sidebar (聊天工具栏) shows beside a client's
 * private chat or a customer group, within the caller's scope (an RM's own clients and groups; out of scope
 * answers 404 like absent).
 */
export function createSidebarContextRouter(deps: { sidebar: SidebarService }): Router {
  const router = Router();
  const gate = requireScopedRole('admin', 'ops', 'rm');

  router.get(
    '/sidebar/context',
    contract({
      tag: 'sidebar',
      summary: "One chat's context for the RM sidebar: the client or group, tasks, touches, hand-off",
      description: 'Name exactly one of `externalUserid` (a private chat) and `chatId` (a customer group).',
      query: chatQuery,
      responses: { 200: sidebarContextView },
    }),
    gate,
    async (req: Request, res: Response) => {
      const target = targetOf(req.query);
      const view: z.infer<typeof sidebarContextView> = await deps.sidebar.context(scopeOf(res), target);
      res.json(view);
    },
  );

  router.get(
    '/sidebar/content',
    contract({
      tag: 'sidebar',
      summary: "Approved content to send in one chat, rendered for it in the asking RM's persona",
      description:
        `At most ${SIDEBAR_CONTENT_MAX} components, most recently approved first, each its newest approved ` +
        'version on the text channel, with the compliance findings on the rendering. Components the RM does ' +
        'not send by hand (bot replies, hand-off cards, welcomes) are not offered; one that cannot render for ' +
        'this chat (its audience excludes it, it needs values only a campaign supplies, it has no text, no ' +
        'market figures are available) is left out. Name exactly one of `externalUserid` and `chatId`.',
      query: chatQuery,
      responses: { 200: sidebarContentView },
    }),
    gate,
    async (req: Request, res: Response) => {
      const target = targetOf(req.query);
      res.json({ items: await deps.sidebar.content(scopeOf(res), target) });
    },
  );
  return router;
}
