import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { epochSeconds, fail, ok, parseOr40058, utf8Bytes } from './api-kit.ts';

/**
 * WeChat customer service (微信客服): accounts (open_kfid), each with the log of what its clients sent, read
 * with `kf/sync_msg` through an opaque cursor; replies (`kf/send_msg`, `kf/send_msg_on_event`) and the
 * session state machine (`kf/service_state/get|trans`). developer.work.weixin.qq.com/document/path/94670,
 * 94677, 95122, 94669. Kept in memory only: the state file does not hold it.
 */

const id = z.string().min(1).max(256);
const KF_TEXT_LIMIT_BYTES = 2048;
/** A welcome code is good for 20 s, once (as WeCom's enter_session codes are). */
const WELCOME_CODE_TTL_MS = 20_000;

/** 0 new, 1 the bot (API), 2 the pending pool, 3 a human servicer, 4 ended. */
export type KfServiceState = 0 | 1 | 2 | 3 | 4;

/** One entry of an account's log, exactly as `kf/sync_msg` returns it. */
export type KfLogEntry =
  | {
      msgid: string;
      open_kfid: string;
      external_userid: string;
      send_time: number;
      origin: 3;
      msgtype: 'text';
      text: { content: string };
    }
  | {
      msgid: string;
      send_time: number;
      origin: 4;
      msgtype: 'event';
      event: {
        event_type: 'enter_session';
        open_kfid: string;
        external_userid: string;
        welcome_code: string;
      };
    };

/** What Helix sent a client through an account (send_msg, or send_msg_on_event with its code). */
export type KfSend = {
  msgid: string;
  openKfid: string;
  externalUserid: string;
  via: 'send_msg' | 'send_msg_on_event';
  text: string;
  at: number;
};

type KfAccount = { openKfid: string; name: string; log: KfLogEntry[]; tokens: Set<string> };
type KfSession = { state: KfServiceState; servicer: string | null };

/** Errcodes of the kf API (WeCom's own; the emulator's common ones are in api-kit.ts). */
const KF_ERR = {
  /** The session is not one the API may speak in (a human servicer has it, or it ended). */
  sessionState: [95018, 'send msg session status invalid'],
  invalidOpenKfid: [95000, 'invalid open_kfid'],
  invalidCursor: [95013, 'invalid cursor'],
  invalidStateTransition: [95016, 'invalid service state transition'],
  invalidServicer: [95014, 'userid is not a servicer of this account'],
} as const;

const kfFail = (res: Response, err: keyof typeof KF_ERR, detail?: string) => {
  const [errcode, errmsg] = KF_ERR[err];
  res.status(200).json({ errcode, errmsg: detail ? `${errmsg}: ${detail}` : errmsg });
};

const syncSchema = z
  .object({
    cursor: z.string().max(512).optional(),
    token: z.string().max(512).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    voice_format: z.number().int().optional(),
    open_kfid: id,
  })
  .passthrough();
const textBody = z.object({ content: z.string().min(1) });
const sendSchema = z
  .object({
    touser: id,
    open_kfid: id,
    msgid: z.string().max(32).optional(),
    msgtype: z.literal('text'),
    text: textBody,
  })
  .passthrough();
const sendOnEventSchema = z
  .object({
    code: z.string().min(1).max(512),
    msgid: z.string().max(32).optional(),
    msgtype: z.literal('text'),
    text: textBody,
  })
  .passthrough();
const sessionKey = z.object({ open_kfid: id, external_userid: id }).passthrough();
const transSchema = sessionKey.extend({
  service_state: z.number().int().min(0).max(4),
  servicer_userid: id.optional(),
});

/** The cursor is opaque to callers; here it is the position in the account's log, tied to the account. */
const encodeCursor = (openKfid: string, pos: number) =>
  Buffer.from(JSON.stringify({ k: openKfid, p: pos })).toString('base64url');
function decodeCursor(openKfid: string, cursor: string): number | null {
  try {
    const v = z
      .object({ k: z.string(), p: z.number().int().nonnegative() })
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return v.k === openKfid ? v.p : null;
  } catch {
    return null;
  }
}

/** The customer-service model of one emulator. */
export type KfModel = ReturnType<typeof createKf>;

/** Creates the customer-service model. */
export function createKf(deps: { clock: Clock; isMember: (userid: string) => boolean }) {
  const accounts = new Map<string, KfAccount>();
  const sessions = new Map<string, KfSession>();
  const welcomeCodes = new Map<
    string,
    { openKfid: string; externalUserid: string; issuedAtMs: number; used: boolean }
  >();
  const sends: KfSend[] = [];
  /** Records a message the API sent to a client; returns its msgid (the caller's, or a new one). */
  const record = (
    body: { msgid?: string | undefined; text: { content: string } },
    openKfid: string,
    externalUserid: string,
    via: KfSend['via'],
  ): string => {
    const sent: KfSend = {
      msgid: body.msgid ?? msgid(),
      openKfid,
      externalUserid,
      via,
      text: body.text.content,
      at: deps.clock.now().getTime(),
    };
    sends.push(sent);
    return sent.msgid;
  };
  /** Every sync_msg answered: the account, the log position read from, and how many entries it returned. */
  const reads: { openKfid: string; from: number; returned: number }[] = [];
  const sessionOf = (openKfid: string, externalUserid: string): KfSession => {
    const key = `${openKfid}|${externalUserid}`;
    let s = sessions.get(key);
    if (!s) {
      s = { state: 0, servicer: null };
      sessions.set(key, s);
    }
    return s;
  };
  const accountOf = (openKfid: string): KfAccount => {
    const a = accounts.get(openKfid);
    if (!a) throw new AppError('not_found', { message: `no kf account ${openKfid}` });
    return a;
  };
  const msgid = () => randomBytes(12).toString('hex');
  /** A fresh callback Token, as the kf_msg_or_event callback carries it for the next sync_msg. */
  const callbackToken = (a: KfAccount) => {
    const token = `ENC${randomBytes(10).toString('hex')}`;
    a.tokens.add(token);
    return token;
  };

  return {
    /** Creates (or renames) a customer-service account. */
    addAccount(openKfid: string, name?: string): void {
      const a = accounts.get(openKfid);
      if (a) a.name = name ?? a.name;
      else accounts.set(openKfid, { openKfid, name: name ?? openKfid, log: [], tokens: new Set() });
    },

    /**
     * A client writes to the account: the message joins its log, and a session that had ended (or never
     * started) becomes new again. Returns the callback Token for the kf_msg_or_event that announces it.
     */
    clientSends(openKfid: string, externalUserid: string, content: string): { msgid: string; token: string } {
      const a = accountOf(openKfid);
      const entry: KfLogEntry = {
        msgid: msgid(),
        open_kfid: openKfid,
        external_userid: externalUserid,
        send_time: epochSeconds(deps.clock.now()),
        origin: 3,
        msgtype: 'text',
        text: { content },
      };
      a.log.push(entry);
      const s = sessionOf(openKfid, externalUserid);
      if (s.state === 4) Object.assign(s, { state: 0, servicer: null });
      return { msgid: entry.msgid, token: callbackToken(a) };
    },

    /** A client opens the account's chat: an enter_session event with a fresh welcome code. */
    clientEnters(
      openKfid: string,
      externalUserid: string,
    ): { msgid: string; welcomeCode: string; token: string } {
      const a = accountOf(openKfid);
      const welcomeCode = `KFWC${randomBytes(12).toString('hex')}`;
      welcomeCodes.set(welcomeCode, {
        openKfid,
        externalUserid,
        issuedAtMs: deps.clock.now().getTime(),
        used: false,
      });
      const entry: KfLogEntry = {
        msgid: msgid(),
        send_time: epochSeconds(deps.clock.now()),
        origin: 4,
        msgtype: 'event',
        event: {
          event_type: 'enter_session',
          open_kfid: openKfid,
          external_userid: externalUserid,
          welcome_code: welcomeCode,
        },
      };
      a.log.push(entry);
      return { msgid: entry.msgid, welcomeCode, token: callbackToken(a) };
    },

    /** What the inspector shows: accounts, every send, every sync_msg read, and every session's state. */
    inspect() {
      return {
        accounts: [...accounts.values()].map((a) => ({
          openKfid: a.openKfid,
          name: a.name,
          messages: a.log.length,
        })),
        sends: [...sends],
        reads: [...reads],
        sessions: [...sessions].map(([key, s]) => {
          const [openKfid, externalUserid] = key.split('|');
          return { openKfid, externalUserid, state: s.state, servicer: s.servicer };
        }),
      };
    },

    /** Mounts the five kf endpoints on the /cgi-bin router. */
    register(router: Router): void {
      router.post('/kf/sync_msg', (req: Request, res: Response) => {
        const body = parseOr40058(res, syncSchema, req.body);
        if (!body) return;
        const a = accounts.get(body.open_kfid);
        if (!a) return kfFail(res, 'invalidOpenKfid');
        if (body.token !== undefined && !a.tokens.has(body.token))
          return fail(res, 'invalidParameter', 'token');
        const from = body.cursor ? decodeCursor(a.openKfid, body.cursor) : 0;
        if (from === null || from > a.log.length) return kfFail(res, 'invalidCursor');
        const limit = body.limit ?? 1000;
        const page = a.log.slice(from, from + limit);
        const next = from + page.length;
        reads.push({ openKfid: a.openKfid, from, returned: page.length });
        ok(res, {
          next_cursor: encodeCursor(a.openKfid, next),
          has_more: next < a.log.length ? 1 : 0,
          msg_list: page,
        });
      });

      router.post('/kf/send_msg', (req: Request, res: Response) => {
        const body = parseOr40058(res, sendSchema, req.body);
        if (!body) return;
        if (!accounts.has(body.open_kfid)) return kfFail(res, 'invalidOpenKfid');
        if (utf8Bytes(body.text.content) > KF_TEXT_LIMIT_BYTES) return fail(res, 'textTooLong');
        const s = sessionOf(body.open_kfid, body.touser);
        // The API speaks only while the session is new or the bot's; a human's or an ended one is not its.
        if (s.state !== 0 && s.state !== 1) return kfFail(res, 'sessionState');
        // WeCom: replying to a new session through the API makes it the bot's (智能助手接待).
        s.state = 1;
        ok(res, { msgid: record(body, body.open_kfid, body.touser, 'send_msg') });
      });

      router.post('/kf/send_msg_on_event', (req: Request, res: Response) => {
        const body = parseOr40058(res, sendOnEventSchema, req.body);
        if (!body) return;
        const code = welcomeCodes.get(body.code);
        const expired =
          !code || code.used || deps.clock.now().getTime() - code.issuedAtMs > WELCOME_CODE_TTL_MS;
        if (!code || expired) return fail(res, 'welcomeCodeInvalid');
        if (utf8Bytes(body.text.content) > KF_TEXT_LIMIT_BYTES) return fail(res, 'textTooLong');
        code.used = true;
        ok(res, { msgid: record(body, code.openKfid, code.externalUserid, 'send_msg_on_event') });
      });

      router.post('/kf/service_state/get', (req: Request, res: Response) => {
        const body = parseOr40058(res, sessionKey, req.body);
        if (!body) return;
        if (!accounts.has(body.open_kfid)) return kfFail(res, 'invalidOpenKfid');
        const s = sessions.get(`${body.open_kfid}|${body.external_userid}`) ?? { state: 4, servicer: null };
        ok(res, { service_state: s.state, ...(s.state === 3 ? { servicer_userid: s.servicer } : {}) });
      });

      router.post('/kf/service_state/trans', (req: Request, res: Response) => {
        const body = parseOr40058(res, transSchema, req.body);
        if (!body) return;
        if (!accounts.has(body.open_kfid)) return kfFail(res, 'invalidOpenKfid');
        const s = sessionOf(body.open_kfid, body.external_userid);
        const to = body.service_state as KfServiceState;
        // An ended session changes only by the client writing again; nothing moves a session back to new.
        if (s.state === 4 || to === 0) return kfFail(res, 'invalidStateTransition');
        if (to === 3 && (!body.servicer_userid || !deps.isMember(body.servicer_userid)))
          return kfFail(res, 'invalidServicer');
        s.state = to;
        s.servicer = to === 3 ? (body.servicer_userid ?? null) : null;
        ok(res, { msg_code: `MSGCODE${randomBytes(8).toString('hex')}` });
      });
    },
  };
}
