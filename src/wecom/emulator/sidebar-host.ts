import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { epochSeconds, queryOf } from './api-kit.ts';
import type { EmulatorState } from './emulator-state.ts';

const id = z.string().min(1).max(256);
/** The chat a sidebar sits beside, as the fake JS-SDK reports it (`context`). */
const chatSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), externalUserid: id }),
  z.strictObject({ kind: z.literal('group'), chatId: id }),
]);
const recordBody = z.strictObject({ chat: chatSchema, text: z.string().min(1).max(10_000) });

/** The chat of a sidebar: a client's, a client group's, or neither (opened from elsewhere). */
export type SidebarChat = z.infer<typeof chatSchema> | { kind: 'other' };
/** A text the RM sent into a chat from the sidebar (`sendChatMessage`), with when (epoch seconds). */
export type SidebarMessage = { chat: z.infer<typeof chatSchema>; text: string; at: number };

/** The message shape of the fake JS-SDK; console/src/sidebar/wecom-host.ts speaks the other side. */
const RPC = 'helix-sidebar-rpc';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON that is safe inside a `<script type="application/json">` element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const sameChat = (a: SidebarMessage['chat'], b: SidebarChat) =>
  a.kind === 'single'
    ? b.kind === 'single' && b.externalUserid === a.externalUserid
    : b.kind === 'group' && b.chatId === a.chatId;

/**
 * The page that answers the sidebar's RPC, inline: `context` from the query, `sendText` recorded through
 * the control route and shown in the chat pane. Only the framed sidebar's origin and window are heard.
 */
const HOST_SCRIPT = `(() => {
  const cfg = JSON.parse(document.getElementById('sidebar-config').textContent);
  const RPC = ${JSON.stringify(RPC)};
  const show = (text) => {
    const li = document.createElement('li');
    li.textContent = text;
    document.getElementById('chat-log').append(li);
    document.getElementById('chat-empty')?.remove();
  };
  window.addEventListener('message', async (e) => {
    const frame = document.getElementById('sidebar-frame');
    if (e.origin !== cfg.sidebarOrigin || !frame || e.source !== frame.contentWindow) return;
    const d = e.data;
    if (!d || d.rpc !== RPC || typeof d.id !== 'string' || typeof d.method !== 'string') return;
    const answer = (body) => e.source.postMessage({ rpc: RPC, id: d.id, ...body }, e.origin);
    if (d.method === 'context') return answer({ result: cfg.context });
    if (d.method !== 'sendText') return answer({ error: d.method + ':fail not supported by the emulator' });
    if (cfg.context.kind === 'other')
      return answer({ error: 'sendChatMessage:fail without context of external contact' });
    const text = d.params && d.params.text;
    if (typeof text !== 'string' || text === '') return answer({ error: 'sendChatMessage:fail invalid text' });
    try {
      const res = await fetch('/emulator/sidebar/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat: cfg.context, text }),
      });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      show(text);
      answer({ result: null });
    } catch (err) {
      answer({ error: 'sendChatMessage:fail ' + err.message });
    }
  });
})();`;

const STYLE = `
body { margin: 0; font-family: sans-serif; display: flex; min-height: 100vh; background: #eef1f4; color: #1f2933; }
main { flex: 1; padding: 1rem 1.5rem; }
h1 { font-size: 1.1rem; margin: 0 0 0.25rem; }
.note { color: #52606d; font-size: 0.85rem; margin: 0 0 1rem; }
ol { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
ol li { justify-self: end; max-width: 80%; background: #95ec69; padding: 0.5rem 0.75rem; border-radius: 6px; white-space: pre-wrap; }
aside { width: 380px; border-left: 1px solid #c4cdd5; background: #fff; }
iframe { border: 0; width: 100%; height: 100%; min-height: 100vh; display: block; }
`;

/** The chat pane's heading: who the chat is with, by the name the emulator knows. */
function chatTitle(state: EmulatorState, chat: SidebarChat): string {
  if (chat.kind === 'single') {
    const name = state.contacts.get(chat.externalUserid)?.name;
    return `与客户 ${name || chat.externalUserid} 的单聊`;
  }
  if (chat.kind === 'group') return `客户群 ${state.groups.get(chat.chatId)?.name || chat.chatId}`;
  return '不在聊天中';
}

/**
 * WeCom's chat window with its chat toolbar, for development and browser tests: `GET /emulator/sidebar`
 * shows a fake chat pane and frames the Helix sidebar (`sidebar=<its URL>`) beside it, standing in for the
 * JS-SDK: `context` is the chat of the query (`externalUserid` for a client, `chatId` for a group), and
 * `sendText` lands in the chat pane and in `messages()` (also `GET /emulator/sidebar/messages`). The
 * messages live in memory only, not in the state file.
 */
export function createSidebarHost(deps: { state: EmulatorState; clock: Clock }) {
  const messages: SidebarMessage[] = [];

  const page = (req: Request, res: Response) => {
    const q = queryOf(req);
    let sidebar: URL | undefined;
    try {
      sidebar = new URL(q.sidebar ?? '');
    } catch {
      sidebar = undefined;
    }
    if (!sidebar || (sidebar.protocol !== 'http:' && sidebar.protocol !== 'https:')) {
      res
        .status(400)
        .type('text')
        .send('sidebar= must be the http(s) URL of the Helix sidebar, e.g. http://localhost:3000/sidebar');
      return;
    }
    const parsedChat = q.externalUserid
      ? id.safeParse(q.externalUserid)
      : q.chatId
        ? id.safeParse(q.chatId)
        : undefined;
    if (parsedChat && !parsedChat.success) {
      res.status(400).type('text').send('externalUserid or chatId: 1 to 256 characters');
      return;
    }
    const chat: SidebarChat = q.externalUserid
      ? { kind: 'single', externalUserid: q.externalUserid }
      : q.chatId
        ? { kind: 'group', chatId: q.chatId }
        : { kind: 'other' };
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        `frame-src ${sidebar.origin}`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    res.setHeader('Cache-Control', 'no-store');
    const sent = messages
      .filter((m) => sameChat(m.chat, chat))
      .map((m) => `<li>${escapeHtml(m.text)}</li>`)
      .join('');
    const title = chatTitle(deps.state, chat);
    const config = scriptJson({ sidebarOrigin: sidebar.origin, context: chat });
    res.type('html').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}（Helix 模拟器）</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">${STYLE}</style></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="note">企业微信模拟器：右侧是聊天工具栏中的 Helix 侧边栏，它发送的消息出现在这里。</p>
<ol id="chat-log" aria-label="聊天记录" aria-live="polite">${sent}</ol>
${sent ? '' : '<p id="chat-empty" class="note">还没有消息。</p>'}
</main>
<script type="application/json" id="sidebar-config">${config}</script>
<script nonce="${nonce}">${HOST_SCRIPT}</script>
<aside aria-label="聊天工具栏"><iframe id="sidebar-frame" title="聊天工具栏：Helix 侧边栏" src="${escapeHtml(sidebar.href)}"></iframe></aside>
</body></html>`);
  };

  return {
    /** Every text sent from a sidebar so far, oldest first. */
    messages: (): SidebarMessage[] => messages.map((m) => ({ ...m, chat: { ...m.chat } })),
    /** The host page and its control routes, on the emulator's app. */
    register(app: Express): void {
      app.get('/emulator/sidebar', page);
      app.get('/emulator/sidebar/messages', (_req: Request, res: Response) => {
        res.json({ messages });
      });
      app.post(
        '/emulator/sidebar/messages',
        express.json({ limit: '64kb' }),
        (req: Request, res: Response) => {
          const body = recordBody.safeParse(req.body);
          if (!body.success) {
            res.status(400).json({ error: { message: body.error.issues[0]?.message ?? 'invalid body' } });
            return;
          }
          const message = { ...body.data, at: epochSeconds(deps.clock.now()) };
          messages.push(message);
          res.status(201).json(message);
        },
        (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
          res.status(400).json({ error: { message: err instanceof Error ? err.message : 'invalid body' } });
        },
      );
    },
  };
}
