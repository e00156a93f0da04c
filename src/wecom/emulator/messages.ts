import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { fail, ok, parseOr40058, queryOf, utf8Bytes } from './api-kit.ts';
import type { EmulatorState } from './emulator-state.ts';

const idList = z.string().max(64_000).optional();
const content = z.object({ content: z.string().max(100_000) }).passthrough();

// message/send (developer.work.weixin.qq.com/document/path/90236): one object named after msgtype.
const sendSchema = z
  .object({
    touser: idList,
    toparty: idList,
    totag: idList,
    msgtype: z.enum(['text', 'markdown', 'textcard', 'template_card', 'news']),
    agentid: z.union([z.number().int(), z.string().regex(/^\d{1,12}$/)]),
    text: content.optional(),
    markdown: content.optional(),
    textcard: z
      .object({ title: z.string().max(256), description: z.string().max(1024) })
      .passthrough()
      .optional(),
    template_card: z
      .object({ card_type: z.string().max(64) })
      .passthrough()
      .optional(),
    news: z
      .object({
        articles: z
          .array(z.object({ title: z.string().max(256) }).passthrough())
          .min(1)
          .max(8),
      })
      .passthrough()
      .optional(),
    enable_duplicate_check: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .passthrough()
  .refine((b) => b[b.msgtype] !== undefined, { message: 'the object named by msgtype is required' })
  .refine((b) => Boolean(b.touser || b.toparty || b.totag), {
    message: 'touser, toparty or totag is required',
  });

// Byte limits WeCom documents for the two free-text types.
const CONTENT_LIMIT_BYTES = { text: 2048, markdown: 4096 } as const;

const split = (v: string | undefined) => (v ? v.split('|').filter(Boolean) : []);

/** Mounts app messages (`message/send`) and the group robot (`webhook/send`) on the /cgi-bin router. */
export function registerMessageRoutes(
  router: Router,
  deps: { state: EmulatorState; memberAppMsgPerMinute: number; robotPerMinute: number },
): void {
  const { state } = deps;

  router.post('/message/send', (req: Request, res: Response) => {
    const body = parseOr40058(res, sendSchema, req.body);
    if (!body) return;
    if (body.msgtype === 'text' || body.msgtype === 'markdown') {
      const text = body[body.msgtype]?.content ?? '';
      if (utf8Bytes(text) > CONTENT_LIMIT_BYTES[body.msgtype]) return fail(res, 'textTooLong');
    }
    const users = body.touser === '@all' ? [...state.members.keys()] : split(body.touser);
    if (users.length > 1000) return fail(res, 'invalidParameter', 'touser exceeds 1000');
    const invaliduser = users.filter((u) => !state.members.has(u));
    // The emulator models no departments or tags: every party and tag is reported invalid.
    const invalidparty = split(body.toparty);
    const invalidtag = split(body.totag);
    const valid = users.filter((u) => state.members.has(u));
    if (valid.length === 0) return fail(res, 'allRecipientsInvalid');

    const now = state.clock.now().getTime();
    for (const userid of new Set(valid)) {
      const member = state.members.get(userid)!;
      const lastMinute = member.appMessages.filter((m) => m.at > now - 60_000).length;
      // WeCom drops messages over the per-member cap without an error; the sender cannot tell.
      if (lastMinute >= deps.memberAppMsgPerMinute) member.droppedAppMessages++;
      else member.appMessages.push({ msgtype: body.msgtype, payload: body[body.msgtype], at: now });
    }
    ok(res, {
      invaliduser: invaliduser.join('|'),
      invalidparty: invalidparty.join('|'),
      invalidtag: invalidtag.join('|'),
      unlicenseduser: '',
      msgid: `emu-msg-${state.nextSeq()}`,
    });
  });

  const robotSchema = z
    .object({
      msgtype: z.enum(['text', 'markdown', 'image', 'news', 'file', 'template_card']),
      text: content.optional(),
      markdown: content.optional(),
    })
    .passthrough()
    .refine((b) => b[b.msgtype] !== undefined, { message: 'the object named by msgtype is required' });

  // Group robot (developer.work.weixin.qq.com/document/path/91770): keyed by `key`, 20 messages a minute.
  // The AI bot answers a message through its response_url: keyed by the one-time response code.
  router.post('/aibot/response', (req: Request, res: Response) => {
    const code = queryOf(req).response_code;
    if (!code || code.length > 256) return fail(res, 'invalidParameter', 'response_code');
    const body = req.body as { msgtype?: unknown } | undefined;
    if (!body || typeof body.msgtype !== 'string') return fail(res, 'invalidParameter', 'msgtype');
    const sent = state.botReplies.get(code) ?? [];
    sent.push({ msgtype: body.msgtype, payload: body, at: state.clock.now().getTime() });
    state.botReplies.set(code, sent);
    ok(res);
  });

  router.post('/webhook/send', (req: Request, res: Response) => {
    const key = queryOf(req).key;
    if (!key || key.length > 256) return fail(res, 'invalidWebhookKey');
    const body = parseOr40058(res, robotSchema, req.body);
    if (!body) return;
    if (body.msgtype === 'text' && utf8Bytes(body.text?.content ?? '') > 2048)
      return fail(res, 'textTooLong');
    const now = state.clock.now().getTime();
    const sent = state.webhookMessages.get(key) ?? [];
    if (sent.filter((m) => m.at > now - 60_000).length >= deps.robotPerMinute)
      return fail(res, 'rateLimited');
    sent.push({ msgtype: body.msgtype, payload: body[body.msgtype], at: now });
    state.webhookMessages.set(key, sent);
    ok(res);
  });
}
