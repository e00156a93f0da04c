import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type Clock, systemClock } from '../../platform/clock.ts';
import { buildSignedCallback } from '../protocol/callback-builder.ts';
import { cdata } from '../protocol/xml.ts';

/** What the driver may change in an emulator so API lookups agree with the callbacks it sent. */
export type DriverEmulatorHooks = {
  issueWelcomeCode(externalUserId: string, rmUserId: string): string;
  addFollow(externalUserId: string, rmUserId: string, state: string): void;
  changeGroupMembership(
    chatId: string,
    externalUserId: string,
    change: 'join' | 'leave',
    joinScene: number,
  ): void;
};

/** Options of `createCallbackDriver`; the credentials are Helix's callback token and EncodingAESKey. */
export type CallbackDriverOptions = {
  helixUrl: string;
  corpId: string;
  agentId: string;
  app: { token: string; encodingAesKey: string };
  bot: { token: string; encodingAesKey: string };
  /** Pause before each retry; WeCom retries about three times, about 5 s apart (docs/wecom.md). */
  retryDelaysMs?: number[];
  /** How long WeCom waits for an answer before it counts the attempt as failed. */
  timeoutMs?: number;
  botId?: string;
  /** Where the AI bot's `response_url` points (the emulator's own URL); WeCom's host when unset. */
  responseBaseUrl?: string;
  clock?: Clock;
  emulator?: DriverEmulatorHooks;
};

/** One POST of a callback and how Helix answered it (status) or why there was no answer (error). */
export type DeliveryAttempt = { status?: number; error?: string; ms: number };

/** What a scenario sent and what happened to it. */
export type CallbackOutcome = {
  scenario: string;
  endpoint: 'app' | 'bot';
  path: string;
  plaintext: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
  /** The final HTTP status, when Helix answered at all. */
  status: number | undefined;
  details: Record<string, string>;
};

/** Arguments of each scenario, validated the same way for the TS API and `POST /emulator/callbacks/:name`. */
export const SCENARIO_SCHEMAS = {
  clientAddsRm: z.object({
    externalUserId: z.string().min(1).max(256),
    rmUserId: z.string().min(1).max(256),
    state: z.string().max(30).default(''),
    welcomeCode: z.string().max(512).optional(),
  }),
  clientJoinsGroup: z.object({
    chatId: z.string().min(1).max(256),
    externalUserId: z.string().min(1).max(256),
    joinScene: z.number().int().min(0).max(3).default(3),
  }),
  clientLeavesGroup: z.object({
    chatId: z.string().min(1).max(256),
    externalUserId: z.string().min(1).max(256),
    quitScene: z.number().int().min(0).max(1).default(0),
  }),
  rmSendsAppMessage: z.object({ rmUserId: z.string().min(1).max(256), content: z.string().min(1).max(2048) }),
  clientMentionsBot: z.object({
    chatId: z.string().min(1).max(256),
    userId: z.string().min(1).max(256),
    content: z.string().min(1).max(4096),
  }),
  clientMessagesBot: z.object({
    userId: z.string().min(1).max(256),
    content: z.string().min(1).max(4096),
  }),
  rmEditsTags: z.object({
    tagId: z.string().min(1).max(256),
    changeType: z.enum(['create', 'update', 'delete', 'shuffle']).default('update'),
    tagType: z.enum(['tag', 'tag_group']).default('tag'),
  }),
  kfMsgOrEvent: z.object({
    openKfid: z.string().min(1).max(256),
    token: z.string().min(1).max(512),
  }),
} as const;

/** A scenario's name. */
export type ScenarioName = keyof typeof SCENARIO_SCHEMAS;
/** A scenario's arguments, defaults optional. */
export type ScenarioArgs<N extends ScenarioName> = z.input<(typeof SCENARIO_SCHEMAS)[N]>;

/** Sends real, encrypted WeCom callbacks to Helix, one method per scenario. */
export type CallbackDriver = ReturnType<typeof createCallbackDriver>;

let msgSeq = 0;
/** A fresh MsgId above 2^53, as WeCom's are, so a client that parses it as a number loses digits. */
const nextMsgId = () => (BigInt(Date.now()) * 1_000_000n + BigInt(++msgSeq % 1_000_000)).toString();

const xml = (fields: Record<string, string | number>, extra = '') =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`))
    .join('')}${extra}</xml>`;

/** Creates a driver; every scenario retries like WeCom on a non-200 answer or a timeout, same plaintext. */
export function createCallbackDriver(opts: CallbackDriverOptions) {
  const clock = opts.clock ?? systemClock;
  const retryDelaysMs = opts.retryDelaysMs ?? [5000, 5000, 5000];
  const timeoutMs = opts.timeoutMs ?? 5000;
  const base = opts.helixUrl.replace(/\/+$/, '');
  const createTime = () => Math.floor(clock.now().getTime() / 1000);
  const sys = () => ({
    ToUserName: opts.corpId,
    FromUserName: 'sys',
    CreateTime: createTime(),
    MsgType: 'event',
  });

  const attempt = async (
    endpoint: 'app' | 'bot',
    path: string,
    plaintext: string,
  ): Promise<DeliveryAttempt> => {
    const creds = endpoint === 'app' ? opts.app : opts.bot;
    // WeCom re-encrypts and re-signs each retry; only the plaintext stays the same.
    const cb = buildSignedCallback({
      format: endpoint === 'app' ? 'xml' : 'json',
      ...creds,
      receiveId: endpoint === 'app' ? opts.corpId : '',
      plaintext,
      agentId: opts.agentId,
      timestamp: String(createTime()),
    });
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}?${cb.query}`, {
        method: 'POST',
        headers: { 'content-type': endpoint === 'app' ? 'text/xml' : 'application/json' },
        body: cb.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        error: err instanceof Error ? err.message : String(err),
        ms: Math.round(performance.now() - started),
      };
    }
  };

  const deliver = async (
    scenario: ScenarioName,
    endpoint: 'app' | 'bot',
    plaintext: string,
    details: Record<string, string> = {},
  ): Promise<CallbackOutcome> => {
    const path = endpoint === 'app' ? '/wecom/callback' : '/wecom/bot/callback';
    const attempts: DeliveryAttempt[] = [];
    for (let i = 0; ; i++) {
      const a = await attempt(endpoint, path, plaintext);
      attempts.push(a);
      if (a.status === 200 || i >= retryDelaysMs.length) break;
      await new Promise((r) => setTimeout(r, retryDelaysMs[i]));
    }
    const last = attempts.at(-1);
    return {
      scenario,
      endpoint,
      path,
      plaintext,
      attempts,
      delivered: last?.status === 200,
      status: last?.status,
      details,
    };
  };

  const memVer = () => randomBytes(16).toString('hex');

  const scenarios = {
    /** A client adds an RM (through a contact way with `state`): add_external_contact with a welcome code. */
    clientAddsRm(args: ScenarioArgs<'clientAddsRm'>) {
      const a = SCENARIO_SCHEMAS.clientAddsRm.parse(args);
      opts.emulator?.addFollow(a.externalUserId, a.rmUserId, a.state);
      const welcomeCode =
        a.welcomeCode ??
        opts.emulator?.issueWelcomeCode(a.externalUserId, a.rmUserId) ??
        `WC${randomBytes(12).toString('hex')}`;
      const plaintext = xml({
        ...sys(),
        Event: 'change_external_contact',
        ChangeType: 'add_external_contact',
        UserID: a.rmUserId,
        ExternalUserID: a.externalUserId,
        State: a.state,
        WelcomeCode: welcomeCode,
      });
      return deliver('clientAddsRm', 'app', plaintext, { welcomeCode });
    },
    /** A client joins a customer group: change_external_chat update/add_member. */
    clientJoinsGroup(args: ScenarioArgs<'clientJoinsGroup'>) {
      const a = SCENARIO_SCHEMAS.clientJoinsGroup.parse(args);
      opts.emulator?.changeGroupMembership(a.chatId, a.externalUserId, 'join', a.joinScene);
      const plaintext = xml(
        {
          ...sys(),
          Event: 'change_external_chat',
          ChatId: a.chatId,
          ChangeType: 'update',
          UpdateDetail: 'add_member',
          JoinScene: a.joinScene,
          MemChangeCnt: 1,
        },
        `<MemChangeList><Item>${cdata(a.externalUserId)}</Item></MemChangeList><LastMemVer>${memVer()}</LastMemVer><CurMemVer>${memVer()}</CurMemVer>`,
      );
      return deliver('clientJoinsGroup', 'app', plaintext);
    },
    /** A client leaves (or is removed from) a customer group: change_external_chat update/del_member. */
    clientLeavesGroup(args: ScenarioArgs<'clientLeavesGroup'>) {
      const a = SCENARIO_SCHEMAS.clientLeavesGroup.parse(args);
      opts.emulator?.changeGroupMembership(a.chatId, a.externalUserId, 'leave', 0);
      const plaintext = xml(
        {
          ...sys(),
          Event: 'change_external_chat',
          ChatId: a.chatId,
          ChangeType: 'update',
          UpdateDetail: 'del_member',
          QuitScene: a.quitScene,
          MemChangeCnt: 1,
        },
        `<MemChangeList><Item>${cdata(a.externalUserId)}</Item></MemChangeList><LastMemVer>${memVer()}</LastMemVer><CurMemVer>${memVer()}</CurMemVer>`,
      );
      return deliver('clientLeavesGroup', 'app', plaintext);
    },
    /** An RM writes to the app: a text message with a MsgId above 2^53. */
    rmSendsAppMessage(args: ScenarioArgs<'rmSendsAppMessage'>) {
      const a = SCENARIO_SCHEMAS.rmSendsAppMessage.parse(args);
      const msgId = nextMsgId();
      const plaintext = xml(
        {
          ToUserName: opts.corpId,
          FromUserName: a.rmUserId,
          CreateTime: createTime(),
          MsgType: 'text',
          Content: a.content,
        },
        `<MsgId>${msgId}</MsgId><AgentID>${opts.agentId}</AgentID>`,
      );
      return deliver('rmSendsAppMessage', 'app', plaintext, { msgId });
    },
    /** A group member @-mentions the AI bot: a JSON text message with chattype group. */
    clientMentionsBot(args: ScenarioArgs<'clientMentionsBot'>) {
      const a = SCENARIO_SCHEMAS.clientMentionsBot.parse(args);
      const msgId = randomBytes(16).toString('hex');
      const plaintext = JSON.stringify({
        msgid: msgId,
        aibotid: opts.botId ?? 'aibot-emulator',
        chatid: a.chatId,
        chattype: 'group',
        from: { userid: a.userId },
        response_url: `${opts.responseBaseUrl ?? 'https://qyapi.weixin.qq.com'}/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`,
        msgtype: 'text',
        text: { content: a.content },
      });
      return deliver('clientMentionsBot', 'bot', plaintext, { msgId });
    },
    /** A client writes to the AI bot in a private chat: a JSON text message with chattype single. */
    clientMessagesBot(args: ScenarioArgs<'clientMessagesBot'>) {
      const a = SCENARIO_SCHEMAS.clientMessagesBot.parse(args);
      const msgId = randomBytes(16).toString('hex');
      const plaintext = JSON.stringify({
        msgid: msgId,
        aibotid: opts.botId ?? 'aibot-emulator',
        chattype: 'single',
        from: { userid: a.userId },
        response_url: `${opts.responseBaseUrl ?? 'https://qyapi.weixin.qq.com'}/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`,
        msgtype: 'text',
        text: { content: a.content },
      });
      return deliver('clientMessagesBot', 'bot', plaintext, { msgId });
    },
    /** An admin or RM edits the corp's client tags: change_external_tag. */
    rmEditsTags(args: ScenarioArgs<'rmEditsTags'>) {
      const a = SCENARIO_SCHEMAS.rmEditsTags.parse(args);
      const plaintext = xml({
        ...sys(),
        Event: 'change_external_tag',
        Id: a.tagId,
        TagType: a.tagType,
        ChangeType: a.changeType,
      });
      return deliver('rmEditsTags', 'app', plaintext);
    },
    /**
     * A customer-service account has news (a client's message or event): kf_msg_or_event carries only the
     * Token for the next sync_msg and the account; the messages themselves are pulled with kf/sync_msg.
     */
    kfMsgOrEvent(args: ScenarioArgs<'kfMsgOrEvent'>) {
      const a = SCENARIO_SCHEMAS.kfMsgOrEvent.parse(args);
      const plaintext = xml({ ...sys(), Event: 'kf_msg_or_event', Token: a.token, OpenKfId: a.openKfid });
      return deliver('kfMsgOrEvent', 'app', plaintext);
    },
  };
  return {
    ...scenarios,
    /** Runs a scenario by name with unvalidated arguments (for the emulator's control endpoint). */
    run(name: ScenarioName, args: unknown): Promise<CallbackOutcome> {
      // Each scenario parses its own arguments; the cast only routes by name.
      return (scenarios[name] as (a: unknown) => Promise<CallbackOutcome>)(args);
    },
  };
}
