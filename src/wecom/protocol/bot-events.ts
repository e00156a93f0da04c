import { z } from 'zod';

/**
 * Typed payloads of the WeCom AI bot (智能机器人) callback, JSON after decryption
 * (developer.work.weixin.qq.com/document/path/100719 接收消息). Unmodelled shapes parse as `unknown`.
 */

const s = z.string().max(65_536);
const id = z.string().max(256);

const common = {
  msgid: id,
  aibotid: id,
  chatid: id.optional(),
  chattype: z.enum(['single', 'group']),
  from: z.object({ userid: id, corpid: id.optional() }).passthrough(),
  response_url: z.string().max(2048).optional(),
};

const text = z.object({ content: s });
const image = z.object({ url: z.string().max(2048) }).passthrough();
const quote = z
  .object({ msgtype: z.string().max(32) })
  .passthrough()
  .optional();

const MODELS = {
  text: z.object({ ...common, msgtype: z.literal('text'), text, quote }),
  image: z.object({ ...common, msgtype: z.literal('image'), image }),
  mixed: z.object({
    ...common,
    msgtype: z.literal('mixed'),
    mixed: z.object({ msg_item: z.array(z.object({ msgtype: z.string().max(32) }).passthrough()).max(100) }),
    quote,
  }),
  voice: z.object({ ...common, msgtype: z.literal('voice'), voice: z.object({ content: s }).passthrough() }),
  file: z.object({
    ...common,
    msgtype: z.literal('file'),
    file: z.object({ url: z.string().max(2048) }).passthrough(),
  }),
  stream: z.object({ ...common, msgtype: z.literal('stream'), stream: z.object({ id }).passthrough() }),
  event: z.object({
    ...common,
    msgtype: z.literal('event'),
    create_time: z.union([z.number(), z.string()]).optional(),
    event: z.object({ eventtype: z.string().max(64) }).passthrough(),
  }),
} as const;

type Models = typeof MODELS;
/** Every bot payload type Helix models. */
export type BotEventKind = keyof Models;

/** A parsed bot callback. */
export type BotEvent =
  | { [K in BotEventKind]: { source: 'bot'; kind: K; body: z.infer<Models[K]> } }[BotEventKind]
  | { source: 'bot'; kind: 'unknown'; rawKind: string; body: unknown; issue?: string };

/** The kind string of a bot payload: its msgtype, or `event:<eventtype>`. */
export function botEventKind(body: Record<string, unknown>): string {
  const msgtype = typeof body.msgtype === 'string' ? body.msgtype : 'unknown';
  if (msgtype !== 'event') return msgtype;
  const evt = body.event as { eventtype?: unknown } | undefined;
  return `event:${typeof evt?.eventtype === 'string' ? evt.eventtype : 'unknown'}`;
}

/** Parses a decrypted bot payload. Never throws. */
export function parseBotEvent(body: Record<string, unknown>): BotEvent {
  const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '';
  const model = (MODELS as Record<string, z.ZodType>)[msgtype];
  if (!model) return { source: 'bot', kind: 'unknown', rawKind: botEventKind(body), body };
  const parsed = model.safeParse(body);
  if (!parsed.success) {
    return {
      source: 'bot',
      kind: 'unknown',
      rawKind: botEventKind(body),
      body,
      issue: parsed.error.issues[0]?.message,
    };
  }
  return { source: 'bot', kind: msgtype, body: parsed.data } as BotEvent;
}
