import { useState } from 'react';
import { t } from '../messages.ts';
import { Findings } from './Findings.tsx';
import type { ContentItem } from './model.ts';
import { HostError } from './wecom-host.ts';

type Outcome = { componentId: string; name: string } & ({ sent: true } | { sent: false; detail: string });

/** 可发送的内容: approved content rendered for this chat, each sent as it is (the server checked it). */
export function ContentList({
  items,
  send,
}: {
  items: ContentItem[];
  send: (text: string) => Promise<void>;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const sendItem = async (item: ContentItem) => {
    setBusy(item.componentId);
    setOutcome(null);
    try {
      await send(item.text);
      setOutcome({ componentId: item.componentId, name: item.name, sent: true });
    } catch (err) {
      const detail = err instanceof HostError ? err.detail : String(err);
      setOutcome({ componentId: item.componentId, name: item.name, sent: false, detail });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="sb-content" className="card">
      <h2 id="sb-content">{t('sidebar.content')}</h2>
      {items.length === 0 ? (
        <p className="hint">{t('sidebar.noContent')}</p>
      ) : (
        <ul className="content-items">
          {items.map((item) => {
            const mine = outcome?.componentId === item.componentId ? outcome : null;
            const noteId = `sb-content-${item.componentId}`;
            return (
              <li key={`${item.componentId}-${item.version}`}>
                <h3>
                  {item.name} <span className="hint">{t('sidebar.version', { version: item.version })}</span>
                </h3>
                <p className="pre">{item.text}</p>
                <Findings findings={item.findings} text={item.text} />
                {item.sendable ? null : (
                  <p className="hint" id={noteId}>
                    {t('sidebar.notSendable')}
                  </p>
                )}
                <button
                  type="button"
                  aria-label={t('sidebar.sendItem', { name: item.name })}
                  aria-describedby={item.sendable ? undefined : noteId}
                  disabled={!item.sendable || busy !== null}
                  onClick={() => sendItem(item)}
                >
                  {t('sidebar.send')}
                </button>
                {mine && !mine.sent ? (
                  <p role="alert">{t('sidebar.sendFailed', { detail: mine.detail })}</p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <p role="status">{outcome?.sent ? t('sidebar.contentSent', { name: outcome.name }) : null}</p>
    </section>
  );
}
