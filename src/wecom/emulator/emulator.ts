import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type Clock, systemClock } from '../../platform/clock.ts';
import { fail } from './api-kit.ts';
import {
  type CallbackDriver,
  type CallbackDriverOptions,
  createCallbackDriver,
  type DriverEmulatorHooks,
} from './callback-driver.ts';
import {
  applySeed,
  createControlRouter,
  type EmulatorSnapshot,
  inspectState,
  type SeedInput,
} from './control-routes.ts';
import { createEmulatorState, type EmulatorState } from './emulator-state.ts';
import { issueWelcomeCode, registerExternalContactRoutes } from './external-contacts.ts';
import { apiKey, createFaults, type FaultRuleInput } from './faults.ts';
import { registerGroupChatRoutes } from './group-chats.ts';
import { createMassMessages } from './group-messages.ts';
import { createJoinWaysAndTags, type JoinWayOutcome } from './join-ways-and-tags.ts';
import { createKf } from './kf.ts';
import { registerMessageRoutes } from './messages.ts';
import { createMoments } from './moments.ts';
import { registerQrImages } from './qr-images.ts';
import { type RmSimulationInput, simulateRms } from './rm-simulation.ts';
import { createSidebarHost, type SidebarMessage } from './sidebar-host.ts';
import { createSignIn } from './sign-in.ts';
import { createStateFile } from './state-file.ts';
import { createTokenStore, registerTokenRoutes, requireAccessToken } from './tokens.ts';

/** Options of the WeCom emulator; limits default to WeCom's published ones (docs/wecom.md "Limits"). */
export type WecomEmulatorOptions = {
  corpId: string;
  /** Accepted corpsecret values, keyed by a label such as 'app' or 'contact'. */
  secrets: Record<string, string>;
  tokenTtlS?: number;
  clock?: Clock;
  /** Mass messages one client or group may receive per `massMsgWindowS` (default 1 per day). */
  perRecipientMassMsgCap?: number;
  massMsgWindowS?: number;
  /** Reminders (remind_groupmsg_send) one mass-message task may get in any 24 h (WeCom: 3). */
  massMsgRemindsPerDay?: number;
  /** Calls per API path per minute before 45009 (WeCom: 10,000). */
  rateLimitPerMinute?: number;
  /** App messages one member receives per minute; the excess is dropped silently (WeCom: 30). */
  memberAppMsgPerMinute?: number;
  /** Group robot messages per key per minute (WeCom: 20). */
  robotPerMinute?: number;
  /** Members a customer group holds before a join way overflows into another group (WeCom: 500). */
  groupCapacity?: number;
  /** Seed of the fault sampler, so rate-based faults repeat from run to run. */
  faultSeed?: number;
  /** When given, the emulator drives callbacks to Helix (also through `POST /emulator/callbacks/:name`). */
  callbacks?: Omit<CallbackDriverOptions, 'emulator'>;
  /**
   * A JSON file that holds the emulator's data across restarts: read at start, written (atomically) 200 ms
   * after the last change and on close. Absent, all state lives in memory (docs/wecom.md "Emulator state").
   */
  stateFile?: string;
  /** Told about a debounced save that failed (the next change tries again; close() throws instead). */
  onStateFileError?: (err: unknown) => void;
};

/** A built (not listening) emulator: the Express app plus its state and control methods. */
export type WecomEmulator = ReturnType<typeof createWecomEmulator>;

/** Builds the emulator: WeCom's API at `/cgi-bin/...`, the control API at `/emulator/...`. */
export function createWecomEmulator(opts: WecomEmulatorOptions) {
  const clock = opts.clock ?? systemClock;
  const state: EmulatorState = createEmulatorState(clock);
  const stateFile = opts.stateFile
    ? createStateFile(state, opts.stateFile, opts.onStateFileError ? { onError: opts.onStateFileError } : {})
    : undefined;
  stateFile?.load();
  const changed = () => stateFile?.schedule();
  /** Wraps a state-changing function so the state file is saved after it (once any promise settles). */
  const saving =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const result = fn(...args);
      if (result instanceof Promise) void result.then(changed, changed);
      else changed();
      return result;
    };
  const tokens = createTokenStore({
    corpId: opts.corpId,
    secrets: opts.secrets,
    ttlS: opts.tokenTtlS ?? 7200,
    clock,
  });
  const faults = createFaults({ clock, perMinute: opts.rateLimitPerMinute ?? 10_000, seed: opts.faultSeed });
  const mass = createMassMessages(state, {
    capPerWindow: opts.perRecipientMassMsgCap ?? 1,
    windowS: opts.massMsgWindowS ?? 24 * 3600,
    remindsPerDay: opts.massMsgRemindsPerDay ?? 3,
  });
  const moments = createMoments(state);
  const kf = createKf({ clock, isMember: (userid) => state.members.has(userid) });

  const joinWaysAndTags = createJoinWaysAndTags(state, { groupCapacity: opts.groupCapacity ?? 500 });

  const hooks: DriverEmulatorHooks = {
    issueWelcomeCode: saving(
      (externalUserId: string, rmUserId: string) => issueWelcomeCode(state, externalUserId, rmUserId).code,
    ),
    addFollow: saving(
      (externalUserId: string, rmUserId: string, s: string) =>
        void state.addFollow(externalUserId, rmUserId, s),
    ),
    changeGroupMembership: saving(
      (chatId: string, externalUserId: string, change: 'join' | 'leave', joinScene: number) => {
        const g = state.upsertGroup(chatId, '');
        g.members = g.members.filter((m) => m.userid !== externalUserId);
        if (change === 'join') {
          g.members.push({
            userid: externalUserId,
            type: 2,
            joinTime: Math.floor(clock.now().getTime() / 1000),
            joinScene,
          });
        }
      },
    ),
  };
  let driver: CallbackDriver | undefined = opts.callbacks
    ? createCallbackDriver({ clock, ...opts.callbacks, emulator: hooks })
    : undefined;

  /**
   * A client scans a join way's QR code: WeCom places them in the first group with room (creating one when
   * all are full and the way allows it), then calls Helix back with change_external_chat if a driver is set.
   */
  async function joinViaJoinWay(configId: string, externalUserId: string): Promise<JoinWayOutcome> {
    const placed = joinWaysAndTags.placeJoin(configId);
    if ('error' in placed) return placed;
    // Join scene 3: joined by scanning a group QR code.
    if (driver) await driver.clientJoinsGroup({ chatId: placed.chatId, externalUserId, joinScene: 3 });
    else hooks.changeGroupMembership(placed.chatId, externalUserId, 'join', 3);
    return placed;
  }

  /**
   * A client writes to a customer-service account (or opens its chat): the message or enter_session event
   * joins the account's log, then WeCom calls Helix with kf_msg_or_event if a driver is set.
   */
  async function kfClient(
    action: { says: string } | { enters: true },
    openKfid: string,
    externalUserid: string,
  ) {
    const logged =
      'says' in action
        ? kf.clientSends(openKfid, externalUserid, action.says)
        : kf.clientEnters(openKfid, externalUserid);
    const callback = driver ? await driver.kfMsgOrEvent({ openKfid, token: logged.token }) : undefined;
    return { ...logged, delivered: callback?.delivered ?? false };
  }

  const signIn = createSignIn({ corpId: opts.corpId, state, clock });
  const cgi = express.Router();
  cgi.use((req: Request, _res: Response, next: NextFunction) => {
    state.countCall(apiKey(req.path));
    next();
  });
  cgi.use(faults.middleware());
  cgi.use(requireAccessToken(tokens));
  // WeCom reads the body as JSON whatever the content type says.
  cgi.use(express.json({ type: () => true, limit: '2mb' }));
  const issuedTickets: string[] = [];
  registerTokenRoutes(cgi, tokens, issuedTickets);
  signIn.registerApi(cgi);
  registerMessageRoutes(cgi, {
    state,
    memberAppMsgPerMinute: opts.memberAppMsgPerMinute ?? 30,
    robotPerMinute: opts.robotPerMinute ?? 20,
  });
  registerExternalContactRoutes(cgi, state);
  registerGroupChatRoutes(cgi, state);
  joinWaysAndTags.register(cgi);
  mass.register(cgi);
  moments.register(cgi);
  kf.register(cgi);
  cgi.use((req: Request, res: Response) => {
    res.status(404).json({ errcode: 404, errmsg: `emulator: no api ${req.method} ${req.path}` });
  });
  // Malformed JSON (or a body over the limit) is a bad request, answered WeCom-style with HTTP 200.
  cgi.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.parse.failed' || type === 'entity.too.large' || type === 'encoding.unsupported') {
      return fail(res, 'invalidParameter', 'body is not valid JSON');
    }
    res.status(500).json({
      errcode: -1,
      errmsg: `emulator internal error: ${err instanceof Error ? err.message : 'unknown'}`,
    });
  });

  const app: Express = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Any write through either API may change the state; reads (GET) never do.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') res.on('finish', changed);
    next();
  });
  app.use('/cgi-bin', cgi);
  signIn.registerPages(app);
  registerQrImages(app);
  const sidebarHost = createSidebarHost({ state, clock });
  sidebarHost.register(app);
  app.use(
    '/emulator',
    createControlRouter({
      state,
      faults,
      mass,
      moments,
      expireAllTokens: tokens.expireAll,
      driver: () => driver,
      joinViaJoinWay,
      seedTags: joinWaysAndTags.seedTags,
      kf,
      kfClient,
    }),
  );

  return {
    app,
    state,
    /** What every member, client and group received, pending tasks, contact ways and call counts. */
    inspect: (): EmulatorSnapshot => inspectState(state, faults, kf),
    /** Adds members (RMs), external contacts with their follow users, and groups. */
    seed: saving((input: SeedInput) => applySeed(state, input, joinWaysAndTags.seedTags)),
    /** Creates (or renames) a WeChat customer-service account (open_kfid). */
    addKfAccount: (openKfid: string, name?: string) => kf.addAccount(openKfid, name),
    /** A client writes to a customer-service account; Helix is told with kf_msg_or_event (driver set). */
    kfClientSays: (openKfid: string, externalUserid: string, content: string) =>
      kfClient({ says: content }, openKfid, externalUserid),
    /** A client opens a customer-service chat: enter_session with a welcome code, then kf_msg_or_event. */
    kfClientEnters: (openKfid: string, externalUserid: string) =>
      kfClient({ enters: true }, openKfid, externalUserid),
    /** Adds corp tag groups and tags (what get_corp_tag_list reports and mark_tag accepts). */
    seedTags: saving(joinWaysAndTags.seedTags),
    /** A client joins through a join way's QR code; see `joinViaJoinWay` above. */
    joinViaJoinWay: saving(joinViaJoinWay),
    /** Every JS-SDK ticket issued so far (`emu-corp-ticket-…`, `emu-agent-ticket-…`), oldest first. */
    jsapiTickets: (): readonly string[] => [...issuedTickets],
    /** A sign-in code for a member, as WeCom's OAuth redirect would carry (`auth/getuserinfo` reads it). */
    signInCode: (userid: string) => signIn.issueCode(userid),
    /** Every text an RM sent into a chat from the Helix sidebar on `/emulator/sidebar`, oldest first. */
    sidebarMessages: (): SidebarMessage[] => sidebarHost.messages(),
    /** Expires every issued token now: the next call with one gets 42001. */
    expireAllTokens: () => tokens.expireAll(),
    /** Replaces the fault rules of one API path ('message/send'); an empty list clears them. */
    setFaults: (path: string, rules: FaultRuleInput[]) => faults.set(path, rules),
    /** Removes every fault rule. */
    clearFaults: () => faults.clear(),
    /** The simulated RM confirms a pending mass message (one sender, or all of them). */
    confirmTask: saving((msgid: string, userid?: string) => mass.confirm(msgid, userid)),
    /** The simulated RM publishes a moment (one sender, or every sender not yet done). */
    publishMoment: saving((momentId: string, userid?: string) => moments.publish(momentId, userid)),
    /** Every simulated RM acts on what is pending, a deterministic `confirmRate` share of them (rm-simulation.ts). */
    simulateRms: saving((input: RmSimulationInput) => simulateRms({ state, mass, moments }, input)),
    /** Writes the state file now (no-op without one); close() does this too. */
    saveState: async (): Promise<void> => stateFile?.flush(),
    /** Issues a welcome code as an add event would carry (the callback driver does this for you). */
    issueWelcomeCode: (externalUserId: string, rmUserId: string) =>
      hooks.issueWelcomeCode(externalUserId, rmUserId),
    /** The hooks a callback driver uses to keep this emulator in step with the callbacks it sends. */
    driverHooks: hooks,
    /** The callback driver, if one was configured or connected. */
    get driver(): CallbackDriver | undefined {
      return driver;
    },
    /** Creates (or replaces) the callback driver once Helix's URL is known. */
    connectCallbacks(driverOpts: Omit<CallbackDriverOptions, 'emulator'>): CallbackDriver {
      driver = createCallbackDriver({ clock, ...driverOpts, emulator: hooks });
      return driver;
    },
    /** Releases the emulator and, with a state file, writes the final state. */
    close: async (): Promise<void> => {
      driver = undefined;
      await stateFile?.flush();
    },
  };
}

/** Builds the emulator and listens on `port` (0 picks a free one) on `host` (default loopback). */
export async function startWecomEmulator(opts: WecomEmulatorOptions & { port?: number; host?: string }) {
  const emulator = createWecomEmulator(opts);
  const host = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = emulator.app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    emulator,
    /** Stops listening and cuts open connections (keep-alive clients would otherwise hold it open). */
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => emulator.close()),
  };
}
