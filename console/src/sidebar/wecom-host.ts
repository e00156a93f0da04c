import { api, type Body, type Schema } from '../api.ts';

/** Which chat the sidebar is open beside: a client's (single), a client group's, or neither. */
export type ChatContext =
  | { kind: 'single'; externalUserid: string }
  | { kind: 'group'; chatId: string }
  | { kind: 'other' };

/** What the sidebar needs from WeCom: the chat it sits beside, and sending a text into that chat. */
export interface WecomHost {
  context(): Promise<ChatContext>;
  sendText(text: string): Promise<void>;
}

/** `POST /api/v1/sidebar/jssdk-config`'s answer. */
export type JsSdkConfig = Schema<'SidebarJsSdkConfig'>;

/** The signatures (and the emulator's origin, if any) for `url`, a page of this site. */
export const jssdkConfig = (url: string) =>
  api<JsSdkConfig>('/sidebar/jssdk-config', {
    method: 'POST',
    body: { url } satisfies Body<'/sidebar/jssdk-config', 'post'>,
  });

/** Raised when WeCom (or the emulator) refuses or does not answer; `detail` is its own wording. */
export class HostError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** How long a call to WeCom may take before the sidebar gives up and says so. */
const CALL_TIMEOUT_MS = 15_000;

const withTimeout = <T>(p: Promise<T>, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new HostError(`${what}: timeout`)), CALL_TIMEOUT_MS);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof HostError ? e : new HostError(`${what}: ${errMsgOf(e)}`));
      },
    );
  });

/** The JS-SDK rejects with `{errMsg}` objects rather than Errors. */
const errMsgOf = (e: unknown): string => {
  if (e && typeof e === 'object' && 'errMsg' in e) return String((e as { errMsg: unknown }).errMsg);
  return e instanceof Error ? e.message : String(e);
};

/**
 * WeCom's own JS-SDK (`@wecom/jssdk`), loaded only when needed. `ww.register` asks for the corp and app
 * signatures of the page's URL; the one this page was loaded with is signed already (`config`), another
 * (WeCom may ask for the URL as it sees it) is signed on demand.
 */
export function realHost(config: JsSdkConfig, signedUrl: string): WecomHost {
  const sign = async (kind: 'corp' | 'agent', url: string) =>
    (url === signedUrl ? config : await jssdkConfig(url))[kind];
  const ready = import('@wecom/jssdk').then((ww) => {
    ww.register({
      corpId: config.corpId,
      agentId: config.agentId,
      jsApiList: ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage'],
      getConfigSignature: (url) => sign('corp', url),
      getAgentConfigSignature: (url) => sign('agent', url),
    });
    return ww;
  });
  return {
    async context() {
      const ww = await ready;
      // In any other browser the SDK would wait for WeCom's bridge forever.
      if (!ww.env.isWeCom) return { kind: 'other' };
      const { entry } = await withTimeout(ww.getContext(), 'getContext');
      if (entry === 'single_chat_tools') {
        const { userId } = await withTimeout(ww.getCurExternalContact(), 'getCurExternalContact');
        return { kind: 'single', externalUserid: userId };
      }
      if (entry === 'group_chat_tools') {
        const { chatId } = await withTimeout(ww.getCurExternalChat(), 'getCurExternalChat');
        return { kind: 'group', chatId };
      }
      return { kind: 'other' };
    },
    async sendText(text) {
      const ww = await ready;
      await withTimeout(ww.sendChatMessage({ msgtype: 'text', text: { content: text } }), 'sendChatMessage');
    },
  };
}

/** The message shape of the emulator's fake JS-SDK (src/wecom/emulator/sidebar-host.ts answers it). */
const RPC = 'helix-sidebar-rpc';
type Reply = { rpc: typeof RPC; id: string; result?: unknown; error?: string };

const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

const isContext = (v: unknown): v is ChatContext => {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (c.kind === 'single') return typeof c.externalUserid === 'string' && c.externalUserid !== '';
  if (c.kind === 'group') return typeof c.chatId === 'string' && c.chatId !== '';
  return c.kind === 'other';
};

/**
 * The WeCom emulator's stand-in for the JS-SDK: calls go to the framing page by postMessage, addressed to
 * `origin` only, and only its answers (that origin, the parent window, a pending request id) count.
 */
export function fakeHost(origin: string): WecomHost {
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: HostError) => void }>();
  window.addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== origin || e.source !== window.parent) return;
    const d = e.data as Partial<Reply> | null;
    if (!d || d.rpc !== RPC || typeof d.id !== 'string') return;
    const p = pending.get(d.id);
    if (!p) return;
    pending.delete(d.id);
    if (typeof d.error === 'string') p.reject(new HostError(d.error));
    else p.resolve(d.result);
  });
  const call = (method: 'context' | 'sendText', params: unknown) =>
    withTimeout(
      new Promise<unknown>((resolve, reject) => {
        const id = randomId();
        pending.set(id, { resolve, reject });
        window.parent.postMessage({ rpc: RPC, id, method, params }, origin);
      }),
      method,
    );
  return {
    async context() {
      const c = await call('context', {});
      if (!isContext(c)) throw new HostError('context: malformed answer');
      return c;
    },
    async sendText(text) {
      await call('sendText', { text });
    },
  };
}

/** The origin of the page framing this one, if it is framed (Chromium and Safari say; else the referrer). */
function framingOrigin(): string | null {
  if (window.parent === window) return null;
  const ancestor = window.location.ancestorOrigins?.[0];
  if (ancestor) return ancestor;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/**
 * The host for this page: the emulator's fake JS-SDK only when Helix says the emulator stands in for WeCom
 * and that emulator is what frames the page; WeCom's own JS-SDK otherwise.
 */
export async function connectHost(): Promise<WecomHost> {
  const url = window.location.href.split('#')[0]!;
  const config = await jssdkConfig(url);
  if (config.emulatorOrigin && framingOrigin() === config.emulatorOrigin)
    return fakeHost(config.emulatorOrigin);
  return realHost(config, url);
}
