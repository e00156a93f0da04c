import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type { AppContext } from '../../src/app/context.ts';
import { type InboundHandler, onAny } from '../../src/modules/inbox/inbound-dispatcher.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import { TEST_WECOM } from './infra.ts';

let seq = 0;
/** A unique MsgId-sized string (> 2^53), as WeCom sends. */
export const nextMsgId = () => `72134567890${String(Date.now()).slice(-6)}${String(++seq).padStart(3, '0')}`;

/** Plaintext XML of a text message from an RM to the app. */
export function textMessageXml(content: string, msgId = nextMsgId()): string {
  return `<xml><ToUserName><![CDATA[${TEST_WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[rm_zhang]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
}

/** Plaintext XML of an add_external_contact event. */
export function contactAddedXml(externalUserId: string, state = 'ch-metro'): string {
  return `<xml><ToUserName>${TEST_WECOM.corpId}</ToUserName><FromUserName>sys</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>add_external_contact</ChangeType><UserID>rm_zhang</UserID><ExternalUserID>${externalUserId}</ExternalUserID><State>${state}</State><WelcomeCode>WC${externalUserId}</WelcomeCode></xml>`;
}

/** An app callback signed and encrypted with the test credentials. */
export function appCallback(plaintext: string, overrides: { receiveId?: string; token?: string } = {}) {
  return buildSignedCallback({
    format: 'xml',
    token: overrides.token ?? TEST_WECOM.token,
    encodingAesKey: TEST_WECOM.encodingAesKey,
    receiveId: overrides.receiveId ?? TEST_WECOM.corpId,
    plaintext,
  });
}

/** An AI bot callback signed and encrypted with the test bot credentials. */
export function botCallback(payload: unknown, overrides: { receiveId?: string } = {}) {
  return buildSignedCallback({
    format: 'json',
    token: TEST_WECOM.botToken,
    encodingAesKey: TEST_WECOM.botEncodingAesKey,
    receiveId: overrides.receiveId ?? '',
    plaintext: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

/** A signed callback, as `appCallback` and `botCallback` build it. */
export type SignedCallback = { query: string; body: string };

/** Posts a signed callback to Helix's endpoint at `path` (e.g. `/wecom/bot/callback`), as WeCom would. */
export function postSignedCallback(app: Express, path: string, cb: SignedCallback, contentType = 'text/xml') {
  return request(app).post(`${path}?${cb.query}`).set('content-type', contentType).send(cb.body);
}

/** Posts a plaintext app callback to Helix, encrypted and signed with the test credentials. */
export function postAppCallback(app: Express, plaintext: string) {
  return postSignedCallback(app, '/wecom/callback', appCallback(plaintext));
}

/**
 * An inbound handler that records every event it handles in `test_effects`, inside the processing
 * transaction, so tests can count how many times each callback's effects were committed.
 */
export async function createEffectsRecorder(ctx: AppContext): Promise<{
  handler: InboundHandler;
  count: (inboxId?: number) => Promise<number>;
  kinds: () => Promise<string[]>;
}> {
  const db = ctx.database.db;
  await db.execute(
    sql`CREATE TABLE IF NOT EXISTS test_effects (inbox_id bigint NOT NULL, kind text NOT NULL)`,
  );
  return {
    handler: onAny('test-effects', async (event, c) => {
      const kind = event.kind === 'unknown' ? `unknown:${event.rawKind}` : event.kind;
      await c.tx.execute(sql`INSERT INTO test_effects (inbox_id, kind) VALUES (${c.inboxId}, ${kind})`);
    }),
    async count(inboxId) {
      const r = await queryRows<{ n: string }>(
        db,
        inboxId === undefined
          ? sql`SELECT count(*)::text AS n FROM test_effects`
          : sql`SELECT count(*)::text AS n FROM test_effects WHERE inbox_id = ${inboxId}`,
      );
      return Number(r[0]?.n ?? 0);
    },
    async kinds() {
      const r = await queryRows<{ kind: string }>(db, sql`SELECT kind FROM test_effects ORDER BY inbox_id`);
      return r.map((x) => x.kind);
    },
  };
}

/** Counts inbox rows, optionally of one status. */
export async function inboxCount(ctx: AppContext, status?: string): Promise<number> {
  const r = await queryRows<{ n: string }>(
    ctx.database.db,
    status
      ? sql`SELECT count(*)::text AS n FROM inbox WHERE status = ${status}`
      : sql`SELECT count(*)::text AS n FROM inbox`,
  );
  return Number(r[0]?.n ?? 0);
}
