import { type RefObject, useState } from 'react';
import { type ApiError, api, type Body } from '../api.ts';
import { asApiError, ErrorNote } from '../failures.tsx';
import { t } from '../messages.ts';
import { Findings } from './Findings.tsx';
import type { Finding, Verdict } from './model.ts';
import { HostError } from './wecom-host.ts';

type Outcome =
  | { kind: 'blocked'; findings: Finding[]; text: string }
  | { kind: 'sent'; warnings: Finding[]; text: string }
  | { kind: 'failed'; detail: string }
  | { kind: 'refused'; error: ApiError };

/**
 * The send box: editable text, checked against the compliance rules before it goes out. A blocking finding
 * stops it (the findings show under the box); otherwise it is sent into the chat through WeCom, and the
 * warnings, if any, are shown with the confirmation.
 */
export function SendBox({
  text,
  onChange,
  send,
  textRef,
}: {
  text: string;
  onChange: (text: string) => void;
  send: (text: string) => Promise<void>;
  /** Lets the page move the focus here when an answer is put into the box. */
  textRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setOutcome(null);
    try {
      const verdict = await api<Verdict>('/compliance/check', {
        method: 'POST',
        body: { text } satisfies Body<'/compliance/check', 'post'>,
      });
      if (!verdict.ok) {
        setOutcome({ kind: 'blocked', findings: verdict.findings, text });
        return;
      }
      await send(text);
      setOutcome({ kind: 'sent', warnings: verdict.findings, text });
    } catch (err) {
      setOutcome(
        err instanceof HostError
          ? { kind: 'failed', detail: err.detail }
          : { kind: 'refused', error: asApiError(err) },
      );
    } finally {
      setBusy(false);
    }
  };

  const problem = outcome?.kind === 'blocked' || outcome?.kind === 'failed' || outcome?.kind === 'refused';
  return (
    <section aria-labelledby="sb-send" className="card">
      <h2 id="sb-send">{t('sidebar.sendBox')}</h2>
      <form onSubmit={submit} className="stack">
        {/* Named by the section's heading: a label of the same words would say it twice. */}
        <textarea
          aria-labelledby="sb-send"
          ref={textRef}
          rows={6}
          value={text}
          onChange={(e) => {
            onChange(e.target.value);
            if (outcome?.kind !== 'blocked') setOutcome(null);
          }}
          aria-invalid={outcome?.kind === 'blocked' ? true : undefined}
          aria-describedby={problem ? 'sb-send-problem' : 'sb-send-hint'}
        />
        <span className="hint" id="sb-send-hint">
          {t('sidebar.sendHint')}
        </span>
        {outcome?.kind === 'blocked' ? (
          <div role="alert" id="sb-send-problem">
            <p>{t('sidebar.blocked')}</p>
            <Findings findings={outcome.findings} text={outcome.text} />
          </div>
        ) : null}
        {outcome?.kind === 'failed' ? (
          <p role="alert" id="sb-send-problem">
            {t('sidebar.sendFailed', { detail: outcome.detail })}
          </p>
        ) : null}
        {outcome?.kind === 'refused' ? (
          <ErrorNote error={outcome.error} id="sb-send-problem" field="text" />
        ) : null}
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? t('sidebar.sending') : t('sidebar.send')}
        </button>
        <div role="status">
          {outcome?.kind === 'sent' ? (
            <>
              <p>{outcome.warnings.length > 0 ? t('sidebar.sentWithWarnings') : t('sidebar.sent')}</p>
              <Findings findings={outcome.warnings} text={outcome.text} />
            </>
          ) : null}
        </div>
      </form>
    </section>
  );
}
