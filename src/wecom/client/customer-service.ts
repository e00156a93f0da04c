import type { ClientCore } from './client-core.ts';
import type { WecomApiError } from './errors.ts';
import * as S from './schemas.ts';

/** A customer-service session's state: 0 new, 1 the bot, 2 the pending pool, 3 a human servicer, 4 ended. */
export type KfServiceState = 0 | 1 | 2 | 3 | 4;

const KF_TEXT_LIMIT_BYTES = 2048;

/**
 * WeChat customer service (微信客服): pull an account's messages with the stored cursor, reply, welcome with
 * an enter_session code, and move sessions between the bot, the pending pool and a servicer. Kept apart
 * from wecom-client.ts so neither file grows past a readable size.
 */
export function createCustomerServiceApi(
  core: ClientCore,
  reject: (api: string, message: string) => WecomApiError,
) {
  const checkText = (api: string, text: string) => {
    if (Buffer.byteLength(text) > KF_TEXT_LIMIT_BYTES)
      throw reject(api, `text over ${KF_TEXT_LIMIT_BYTES} bytes`);
  };
  return {
    /** kf/sync_msg: the page after `cursor` (from the start without one); `token` is the callback's. */
    async kfSyncMessages(q: { openKfid: string; cursor?: string; token?: string; limit?: number }) {
      const r = await core.call({
        api: 'kf/sync_msg',
        method: 'POST',
        body: {
          open_kfid: q.openKfid,
          cursor: q.cursor || undefined,
          token: q.token || undefined,
          limit: Math.min(q.limit ?? 1000, 1000),
        },
        response: S.kfSyncResponse,
      });
      return { nextCursor: r.next_cursor, hasMore: r.has_more, messages: r.msg_list };
    },

    /** kf/send_msg: a text to the client in an open session (the bot's or a new one). */
    async kfSendText(m: { openKfid: string; externalUserid: string; text: string; msgid?: string }) {
      checkText('kf/send_msg', m.text);
      const r = await core.call({
        api: 'kf/send_msg',
        method: 'POST',
        body: {
          touser: m.externalUserid,
          open_kfid: m.openKfid,
          msgid: m.msgid,
          msgtype: 'text',
          text: { content: m.text },
        },
        response: S.kfSendResponse,
      });
      return { msgId: r.msgid ?? null };
    },

    /** kf/send_msg_on_event: the welcome for an enter_session event (its code is short-lived and single-use). */
    async kfSendWelcome(m: { welcomeCode: string; text: string; msgid?: string }) {
      checkText('kf/send_msg_on_event', m.text);
      const r = await core.call({
        api: 'kf/send_msg_on_event',
        method: 'POST',
        body: { code: m.welcomeCode, msgid: m.msgid, msgtype: 'text', text: { content: m.text } },
        response: S.kfSendResponse,
      });
      return { msgId: r.msgid ?? null };
    },

    /** kf/service_state/get. */
    async kfServiceState(s: { openKfid: string; externalUserid: string }) {
      const r = await core.call({
        api: 'kf/service_state/get',
        method: 'POST',
        body: { open_kfid: s.openKfid, external_userid: s.externalUserid },
        response: S.kfServiceStateResponse,
      });
      return { state: r.service_state as KfServiceState, servicer: r.servicer_userid ?? null };
    },

    /** kf/service_state/trans: to the pool (2), to a servicer (3, `servicer` required) or ended (4). */
    async kfTransferSession(s: {
      openKfid: string;
      externalUserid: string;
      state: Exclude<KfServiceState, 0>;
      servicer?: string;
    }) {
      if (s.state === 3 && !s.servicer) throw reject('kf/service_state/trans', 'state 3 needs a servicer');
      await core.call({
        api: 'kf/service_state/trans',
        method: 'POST',
        body: {
          open_kfid: s.openKfid,
          external_userid: s.externalUserid,
          service_state: s.state,
          servicer_userid: s.state === 3 ? s.servicer : undefined,
        },
        response: S.kfTransResponse,
      });
    },
  };
}
