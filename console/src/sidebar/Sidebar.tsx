import { useEffect, useRef, useState } from 'react';
import { type ApiError, api, type Ok } from '../api.ts';
import { asApiError, errorText, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import type { Policy } from '../pages/clients/shared.tsx';
import { ChatActivity, ChatProfile } from './ChatProfile.tsx';
import { ContentList } from './ContentList.tsx';
import { type ContentItem, chatQuery, type SidebarContext } from './model.ts';
import { SendBox } from './SendBox.tsx';
import { Suggestions } from './Suggestions.tsx';
import { type ChatContext, connectHost, HostError, type WecomHost } from './wecom-host.ts';

type Phase =
  | { kind: 'connecting' }
  | { kind: 'failed'; detail: string }
  | { kind: 'ready'; host: WecomHost; chat: ChatContext };

/**
 * The RM sidebar (WeCom's chat toolbar page): asks WeCom which chat it is beside, then shows that client or group with
 * suggested answers, a send box and the approved content to send.
 */
export function Sidebar() {
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  useEffect(() => {
    let live = true;
    (async () => {
      const host = await connectHost();
      const chat = await host.context();
      if (live) setPhase({ kind: 'ready', host, chat });
    })().catch((e: unknown) => {
      if (!live) return;
      const detail = e instanceof HostError ? e.detail : errorText(asApiError(e));
      // A 401 already sends the browser to sign in.
      if (!(e instanceof HostError) && asApiError(e).status === 401) return;
      setPhase({ kind: 'failed', detail });
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <main id="main" className="sidebar">
      <h1>{t('sidebar.title')}</h1>
      {phase.kind === 'connecting' ? <p aria-busy="true">{t('sidebar.connecting')}</p> : null}
      {phase.kind === 'failed' ? (
        <p role="alert">{t('sidebar.hostFailed', { detail: phase.detail })}</p>
      ) : null}
      {phase.kind === 'ready' ? (
        phase.chat.kind === 'other' ? (
          <p role="alert">{t('sidebar.notInChat')}</p>
        ) : (
          <ChatView host={phase.host} chat={phase.chat} />
        )
      ) : null}
    </main>
  );
}

function ChatView({ host, chat }: { host: WecomHost; chat: Exclude<ChatContext, { kind: 'other' }> }) {
  const [context, setContext] = useState<SidebarContext | null>(null);
  const [contextError, setContextError] = useState<ApiError | null>(null);
  const [content, setContent] = useState<ContentItem[] | null>(null);
  const [contentError, setContentError] = useState<ApiError | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [draft, setDraft] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);
  const query = chatQuery(chat);

  useEffect(() => {
    let live = true;
    api<SidebarContext>(`/sidebar/context?${query}`).then(
      (c) => live && setContext(c),
      (e: unknown) => live && setContextError(asApiError(e)),
    );
    api<Ok<'/sidebar/content', 'get'>>(`/sidebar/content?${query}`).then(
      (c) => live && setContent(c.items),
      (e: unknown) => live && setContentError(asApiError(e)),
    );
    // Only for tier names: without it the tier's key shows.
    api<Policy>('/tiers/policy').then(
      (p) => live && setPolicy(p),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [query]);

  const send = (text: string) => host.sendText(text);
  const use = (answer: string) => {
    setDraft(answer);
    textRef.current?.focus();
  };
  const tier = context?.client?.tier ?? context?.group?.tier ?? null;

  return (
    <>
      {context ? <ChatProfile context={context} policy={policy} /> : null}
      {contextError ? (
        <p role="alert">
          {t('sidebar.contextFailed')}
          {errorText(contextError)}
        </p>
      ) : null}
      {!context && !contextError ? <p aria-busy="true">{t('app.loading')}</p> : null}
      <Suggestions tier={tier} onUse={use} />
      <SendBox text={draft} onChange={setDraft} send={send} textRef={textRef} />
      {content ? <ContentList items={content} send={send} /> : null}
      <Refusal error={contentError} />
      {context ? <ChatActivity context={context} /> : null}
    </>
  );
}
