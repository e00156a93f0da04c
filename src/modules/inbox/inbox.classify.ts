import { createHash } from 'node:crypto';
import type { InboxSource } from '../../platform/db/schema.ts';
import { makeStorableDeep } from '../../platform/db/storable-text.ts';
import { type AppEvent, appEventKind, parseAppEvent } from '../../wecom/protocol/app-events.ts';
import { type BotEvent, botEventKind, parseBotEvent } from '../../wecom/protocol/bot-events.ts';
import { JsonError } from '../../wecom/protocol/callback-codec.ts';
import { parseWecomXml, type XmlNode } from '../../wecom/protocol/xml.ts';

/** What intake needs to know about a decrypted payload before storing it. */
export type Classified = { kind: string; msgId: string | null; dedupKey: string };

/** A stored callback, decoded into its typed form. */
export type InboundEvent = AppEvent | BotEvent;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Reads a decrypted payload far enough to store it: its kind and its dedup key. Messages dedup on their
 * message id; events on a hash of the plaintext (WeCom's FromUserName+CreateTime collides for events).
 * Throws XmlError/JsonError for a payload that is not a well-formed document.
 */
export function classifyPayload(source: InboxSource, plaintext: string): Classified {
  let kind: string;
  let msgId: string | null;
  if (source === 'app') {
    const node = parseXmlPayload(plaintext);
    kind = appEventKind(node);
    msgId =
      kind !== 'unknown' && !kind.startsWith('event') && typeof node.MsgId === 'string' ? node.MsgId : null;
  } else {
    const body = parseJsonObject(plaintext);
    kind = botEventKind(body);
    msgId = typeof body.msgid === 'string' && body.msgid !== '' ? body.msgid : null;
  }
  kind = kind.slice(0, 128);
  return { kind, msgId, dedupKey: msgId ? `msg:${msgId}` : `evt:${sha256(plaintext)}` };
}

/** Decodes a stored payload into its typed event (unknown shapes become `kind: 'unknown'`). */
export function decodeStoredPayload(source: InboxSource, plaintext: string): InboundEvent {
  return source === 'app'
    ? parseAppEvent(parseXmlPayload(plaintext))
    : parseBotEvent(parseJsonObject(plaintext));
}

/*
 * Both payload readers return values with U+0000 replaced (U+FFFD): a decrypted payload can carry one (a
 * JSON "\u0000", an XML "&#0;"), and every field of it may end up in a text column, where PostgreSQL
 * refuses it and the callback would fail on every attempt. Replacing keeps the client's text, visibly.
 */
function parseXmlPayload(text: string): XmlNode {
  return makeStorableDeep(parseWecomXml(text));
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonError('payload is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonError('payload must be a JSON object');
  }
  return makeStorableDeep(value as Record<string, unknown>);
}
