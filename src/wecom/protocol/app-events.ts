import { z } from 'zod';
import type { XmlNode } from './xml.ts';

/**
 * Typed inbound payloads of the self-built app callback (docs/wecom.md "Inbound payloads"). Every id stays a
 * string. Anything Helix does not model parses as `{ type: 'unknown' }` and is stored and acknowledged.
 */

const s = z.string().max(65_536);
const id = z.string().max(256);
const optional = s.optional();

// A single <Item> parses as an object, several as an array: always hand code an array.
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return [];
    const inner = typeof v === 'object' && v !== null && !Array.isArray(v) && 'Item' in v ? v.Item : v;
    return Array.isArray(inner) ? inner : [inner];
  }, z.array(item).max(10_000));

const common = {
  ToUserName: id,
  FromUserName: id,
  CreateTime: z.string().regex(/^\d{1,12}$/),
  AgentID: id.optional(),
};
const message = { ...common, MsgId: z.string().regex(/^\d{1,24}$/) };

const textMessage = z.object({ ...message, MsgType: z.literal('text'), Content: s });
const imageMessage = z.object({ ...message, MsgType: z.literal('image'), PicUrl: optional, MediaId: id });
const voiceMessage = z.object({ ...message, MsgType: z.literal('voice'), MediaId: id, Format: optional });
const videoMessage = z.object({
  ...message,
  MsgType: z.literal('video'),
  MediaId: id,
  ThumbMediaId: id.optional(),
});
const locationMessage = z.object({
  ...message,
  MsgType: z.literal('location'),
  Location_X: s,
  Location_Y: s,
  Scale: optional,
  Label: optional,
});
const linkMessage = z.object({
  ...message,
  MsgType: z.literal('link'),
  Title: optional,
  Description: optional,
  Url: optional,
  PicUrl: optional,
});

const event = { ...common, MsgType: z.literal('event') };
const externalContact = {
  ...event,
  Event: z.literal('change_external_contact'),
  UserID: id,
  ExternalUserID: id,
};

const contactAdded = z.object({
  ...externalContact,
  ChangeType: z.enum(['add_external_contact', 'add_half_external_contact']),
  State: z.string().max(64).optional(),
  WelcomeCode: z.string().max(512).optional(),
});
const contactEdited = z.object({ ...externalContact, ChangeType: z.literal('edit_external_contact') });
const contactDeleted = z.object({
  ...externalContact,
  ChangeType: z.literal('del_external_contact'),
  Source: optional,
});
const followUserDeleted = z.object({ ...externalContact, ChangeType: z.literal('del_follow_user') });
const transferFailed = z.object({
  ...externalContact,
  ChangeType: z.literal('transfer_fail'),
  FailReason: optional,
});

const memberChange = z.union([z.string(), z.object({ UserID: id.optional() }).passthrough()]);
const externalChat = z.object({
  ...event,
  Event: z.literal('change_external_chat'),
  ChatId: id,
  ChangeType: z.enum(['create', 'update', 'dismiss']),
  UpdateDetail: z
    .enum(['add_member', 'del_member', 'change_owner', 'change_name', 'change_notice'])
    .or(z.string().max(64))
    .optional(),
  JoinScene: optional,
  QuitScene: optional,
  MemChangeCnt: optional,
  MemChangeList: list(memberChange).optional(),
  LastMemVer: optional,
  CurMemVer: optional,
});
const externalTag = z.object({
  ...event,
  Event: z.literal('change_external_tag'),
  Id: id,
  TagType: z.string().max(32),
  ChangeType: z.enum(['create', 'update', 'delete', 'shuffle']),
  StrategyId: optional,
});
const enterAgent = z.object({ ...event, Event: z.literal('enter_agent'), EventKey: optional });
const templateCardEvent = z.object({
  ...event,
  Event: z.literal('template_card_event'),
  EventKey: optional,
  TaskId: optional,
  CardType: optional,
  ResponseCode: optional,
});
const kfEvent = z.object({
  ...event,
  Event: z.literal('kf_msg_or_event'),
  Token: optional,
  OpenKfId: optional,
});
const msgAuditNotify = z.object({ ...event, Event: z.literal('msgaudit_notify') });

const MODELS = {
  text: textMessage,
  image: imageMessage,
  voice: voiceMessage,
  video: videoMessage,
  location: locationMessage,
  link: linkMessage,
  'event:change_external_contact:add_external_contact': contactAdded,
  'event:change_external_contact:add_half_external_contact': contactAdded,
  'event:change_external_contact:edit_external_contact': contactEdited,
  'event:change_external_contact:del_external_contact': contactDeleted,
  'event:change_external_contact:del_follow_user': followUserDeleted,
  'event:change_external_contact:transfer_fail': transferFailed,
  'event:change_external_chat': externalChat,
  'event:change_external_tag': externalTag,
  'event:enter_agent': enterAgent,
  'event:template_card_event': templateCardEvent,
  'event:kf_msg_or_event': kfEvent,
  'event:msgaudit_notify': msgAuditNotify,
} as const;

type Models = typeof MODELS;
/** Every app payload type Helix models, keyed by its kind. */
export type AppEventKind = keyof Models;

/** A parsed app callback: a known kind with its typed body, or `unknown` with the raw fields. */
export type AppEvent =
  | { [K in AppEventKind]: { source: 'app'; kind: K; body: z.infer<Models[K]> } }[AppEventKind]
  | { source: 'app'; kind: 'unknown'; rawKind: string; body: XmlNode; issue?: string };

/** The kind string of a payload: the MsgType, or `event:<Event>`, plus `:<ChangeType>` for contact events. */
export function appEventKind(node: XmlNode): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const msgType = str(node.MsgType);
  if (msgType !== 'event') return msgType || 'unknown';
  const evt = str(node.Event);
  return evt === 'change_external_contact' ? `event:${evt}:${str(node.ChangeType)}` : `event:${evt}`;
}

/** Parses a decrypted app payload into its typed form. Never throws: unmodelled or odd payloads are `unknown`. */
export function parseAppEvent(node: XmlNode): AppEvent {
  const kind = appEventKind(node);
  const model = (MODELS as Record<string, z.ZodType>)[kind];
  if (!model) return { source: 'app', kind: 'unknown', rawKind: kind, body: node };
  const parsed = model.safeParse(node);
  if (!parsed.success) {
    return {
      source: 'app',
      kind: 'unknown',
      rawKind: kind,
      body: node,
      issue: parsed.error.issues[0]?.message,
    };
  }
  return { source: 'app', kind, body: parsed.data } as AppEvent;
}
