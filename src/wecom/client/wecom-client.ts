import type { Redis } from 'ioredis';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { type ClientPolicy, createClientCore, DEFAULT_POLICY } from './client-core.ts';
import { createCustomerServiceApi } from './customer-service.ts';
import { TRANSPORT, WecomApiError } from './errors.ts';
import { createMassOutreachApi } from './mass-outreach.ts';
import { createRateLimiter } from './rate-limiter.ts';
import * as S from './schemas.ts';
import { createTokenCache } from './token-cache.ts';
import { fetchTransport, type Transport } from './transport.ts';

export type { KfServiceState } from './customer-service.ts';
export type { MassMessage, MomentTask } from './mass-outreach.ts';

/** An app message to staff (message/send). The content object is passed through as WeCom defines it. */
export type AppMessage = {
  touser?: string[];
  toparty?: string[];
  totag?: string[];
  msgtype: 'text' | 'markdown' | 'textcard' | 'template_card' | 'news';
  content: Record<string, unknown>;
  enableDuplicateCheck?: boolean;
};

const TEXT_LIMIT_BYTES = 2048;
const join = (xs?: string[]) => (xs && xs.length > 0 ? xs.join('|') : undefined);

/** Typed WeCom server API for one corp and one secret. */
export type WecomClient = ReturnType<typeof createWecomClient>;

/**
 * Creates the client. Tokens and rate limits are shared through Redis by every process using the same
 * `prefix`. `baseUrl` is https://qyapi.weixin.qq.com in production and the emulator's URL everywhere else.
 */
export function createWecomClient(deps: {
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId?: string;
  redis: Redis;
  prefix: string;
  log: Log;
  metrics: Metrics;
  policy?: Partial<ClientPolicy>;
  transport?: Transport;
  /** The process's breaker for `baseUrl` (see createWecomCircuits); absent, a dead WeCom costs each call its timeout. */
  circuit?: CircuitBreaker;
}) {
  const policy = { ...DEFAULT_POLICY, ...deps.policy };
  const tokens = createTokenCache({ redis: deps.redis, prefix: deps.prefix });
  const core = createClientCore({
    baseUrl: deps.baseUrl,
    corpId: deps.corpId,
    secret: deps.secret,
    tokens,
    limiter: createRateLimiter({ redis: deps.redis, prefix: deps.prefix }),
    transport: deps.transport ?? fetchTransport,
    policy,
    log: deps.log,
    metrics: deps.metrics,
    ...(deps.circuit ? { circuit: deps.circuit } : {}),
  });
  const reject = (api: string, message: string) =>
    new WecomApiError(api, TRANSPORT.unexpectedResponse, message, { retryable: false });

  return {
    ...createMassOutreachApi(core, reject),
    ...createCustomerServiceApi(core, reject),

    /** message/send. Partial failures (`invalidUser` …) are returned, not thrown. */
    async sendAppMessage(msg: AppMessage) {
      const text = msg.msgtype === 'text' ? String(msg.content.content ?? '') : '';
      if (Buffer.byteLength(text) > TEXT_LIMIT_BYTES)
        throw reject('message/send', `text over ${TEXT_LIMIT_BYTES} bytes`);
      if ((msg.touser?.length ?? 0) > 1000) throw reject('message/send', 'more than 1000 recipients');
      const r = await core.call({
        api: 'message/send',
        method: 'POST',
        body: {
          touser: join(msg.touser),
          toparty: join(msg.toparty),
          totag: join(msg.totag),
          msgtype: msg.msgtype,
          agentid: deps.agentId === undefined ? undefined : Number(deps.agentId),
          [msg.msgtype]: msg.content,
          enable_duplicate_check: msg.enableDuplicateCheck ? 1 : 0,
        },
        response: S.messageSendResponse,
        members: msg.touser ?? [],
      });
      return {
        msgId: r.msgid,
        invalidUser: r.invaliduser,
        invalidParty: r.invalidparty,
        invalidTag: r.invalidtag,
      };
    },

    /**
     * auth/getuserinfo: who signed in with an OAuth or web-login `code` (good once, for five minutes). The
     * member's userid, or null when the person is not a member of the corp.
     */
    async getSignInUser(code: string): Promise<string | null> {
      const r = await core.call({
        api: 'auth/getuserinfo',
        method: 'GET',
        query: { code },
        response: S.userInfoResponse,
      });
      return r.userid ?? null;
    },

    /**
     * The JS-SDK tickets the sidebar's signatures need: the corp's (`get_jsapi_ticket`, for `ww.register`'s
     * corp signature) or the app's (`ticket/get?type=agent_config`). WeCom allows few fetches an hour, so a
     * ticket is cached in Redis for its life, like an access token, and fetched once for every process.
     */
    jsapiTicket(kind: 'corp' | 'agent'): Promise<string> {
      const api = kind === 'corp' ? 'get_jsapi_ticket' : 'ticket/get';
      return tokens.get(deps.corpId, `${kind}-jsapi-ticket:${deps.secret}`, async () => {
        const r = await core.call({
          api,
          method: 'GET',
          query: kind === 'corp' ? {} : { type: 'agent_config' },
          response: S.ticketResponse,
        });
        return { token: r.ticket, expiresInS: r.expires_in };
      });
    },

    /** externalcontact/get. */
    getExternalContact: (externalUserId: string) =>
      core.call({
        api: 'externalcontact/get',
        method: 'GET',
        query: { external_userid: externalUserId },
        response: S.externalContactResponse,
      }),

    /** externalcontact/list: the clients of one RM. */
    listExternalContacts: async (userId: string) =>
      (
        await core.call({
          api: 'externalcontact/list',
          method: 'GET',
          query: { userid: userId },
          response: S.externalContactListResponse,
        })
      ).external_userid,

    /** externalcontact/add_contact_way: a contact-me code whose `state` (≤30 chars) names the channel. */
    async addContactWay(way: {
      type: 1 | 2;
      scene: 1 | 2;
      state: string;
      users: string[];
      skipVerify?: boolean;
      remark?: string;
    }) {
      if (way.state.length > 30)
        throw reject('externalcontact/add_contact_way', 'state is longer than 30 characters');
      const r = await core.call({
        api: 'externalcontact/add_contact_way',
        method: 'POST',
        body: {
          type: way.type,
          scene: way.scene,
          state: way.state,
          user: way.users,
          skip_verify: way.skipVerify ?? true,
          remark: way.remark,
        },
        response: S.addContactWayResponse,
      });
      return { configId: r.config_id, qrCode: r.qr_code };
    },

    /** externalcontact/del_contact_way: retires a contact-me code; clients can no longer add through it. */
    deleteContactWay: (configId: string) =>
      core.call({
        api: 'externalcontact/del_contact_way',
        method: 'POST',
        body: { config_id: configId },
        response: S.emptyResponse,
      }),

    /** externalcontact/send_welcome_msg: the code is valid 20 s and usable once (41051 otherwise). */
    sendWelcomeMessage: (welcome: {
      welcomeCode: string;
      text?: string;
      attachments?: unknown[];
      /** The code's remaining life: waiting for a rate-limit slot longer than this is pointless. */
      maxDelayMs?: number;
    }) =>
      core.call({
        ...(welcome.maxDelayMs === undefined ? {} : { maxDelayMs: welcome.maxDelayMs }),
        api: 'externalcontact/send_welcome_msg',
        method: 'POST',
        body: {
          welcome_code: welcome.welcomeCode,
          text: welcome.text === undefined ? undefined : { content: welcome.text },
          attachments: welcome.attachments,
        },
        response: S.emptyResponse,
      }),

    /** externalcontact/groupchat/list. */
    listGroupChats: (q: { limit: number; cursor?: string; ownerUserIds?: string[] }) =>
      core.call({
        api: 'externalcontact/groupchat/list',
        method: 'POST',
        body: {
          limit: Math.min(q.limit, 1000),
          cursor: q.cursor,
          owner_filter: q.ownerUserIds ? { userid_list: q.ownerUserIds } : undefined,
        },
        response: S.groupChatListResponse,
      }),

    /** externalcontact/groupchat/get. */
    getGroupChat: (chatId: string) =>
      core.call({
        api: 'externalcontact/groupchat/get',
        method: 'POST',
        body: { chat_id: chatId, need_name: 1 },
        response: S.groupChatGetResponse,
      }),

    /** externalcontact/groupchat/add_join_way: a join code for up to 5 groups, optionally auto-creating more. */
    async addGroupJoinWay(w: {
      scene: 1 | 2;
      chatIds: string[];
      state?: string;
      autoCreateRoom?: boolean;
      roomBaseName?: string;
    }) {
      if (w.chatIds.length > 5) throw reject('externalcontact/groupchat/add_join_way', 'at most 5 groups');
      const r = await core.call({
        api: 'externalcontact/groupchat/add_join_way',
        method: 'POST',
        body: {
          scene: w.scene,
          chat_id_list: w.chatIds,
          state: w.state,
          auto_create_room: w.autoCreateRoom ? 1 : 0,
          room_base_name: w.roomBaseName,
        },
        response: S.addJoinWayResponse,
      });
      return { configId: r.config_id };
    },

    /** externalcontact/groupchat/get_join_way: the QR code and groups of a join way. */
    async getGroupJoinWay(configId: string) {
      const r = await core.call({
        api: 'externalcontact/groupchat/get_join_way',
        method: 'POST',
        body: { config_id: configId },
        response: S.getJoinWayResponse,
      });
      return { qrCode: r.join_way.qr_code ?? null, chatIds: r.join_way.chat_id_list };
    },

    /** externalcontact/mark_tag. */
    markTag: (m: { userId: string; externalUserId: string; addTag?: string[]; removeTag?: string[] }) =>
      core.call({
        api: 'externalcontact/mark_tag',
        method: 'POST',
        body: {
          userid: m.userId,
          external_userid: m.externalUserId,
          add_tag: m.addTag,
          remove_tag: m.removeTag,
        },
        response: S.emptyResponse,
      }),

    /** externalcontact/get_corp_tag_list. */
    getCorpTagList: () =>
      core.call({
        api: 'externalcontact/get_corp_tag_list',
        method: 'POST',
        body: {},
        response: S.corpTagListResponse,
      }),
  };
}
