import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api, type Me, type Ok, type Schema } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';

type Draft = Schema<'FaqPendingDraft'>;
type Step = 'approve' | 'reject';

/**
 * Drafts waiting for compliance, with their findings. Compliance approve or reject each; the API refuses
 * an author reviewing their own draft, and that refusal is shown next to the buttons. `reload` changes
 * whenever a draft was written elsewhere on the page.
 */
export function Pending({ me, reload }: { me: Me; reload: number }) {
  const [items, setItems] = useState<Draft[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ key: string; error: ApiError } | null>(null);
  const reviewer = me.role === 'compliance';

  const load = useCallback((cursor?: string) => {
    const q = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    api<Ok<'/faq/pending', 'get'>>(`/faq/pending?${q}`).then(
      (p) => {
        setItems((old) => (cursor ? [...(old ?? []), ...p.items] : p.items));
        setNext(p.nextCursor);
        setError(null);
      },
      (e: unknown) => setError(asApiError(e)),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the signal to load again.
  useEffect(() => load(), [load, reload]);

  const review = async (d: Draft, step: Step) => {
    const key = `${d.entryId}@${d.version}`;
    setBusy(key);
    setFailed(null);
    try {
      await api(`/faq/${encodeURIComponent(d.entryId)}/versions/${d.version}/${step}`, { method: 'POST' });
      setNotice(
        t(step === 'approve' ? 'faq.pending.approved' : 'faq.pending.rejected', {
          entryId: d.entryId,
          version: d.version,
        }),
      );
      load();
    } catch (e) {
      setFailed({ key, error: asApiError(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="faq-pending-heading" className="faq-section">
      <h2 id="faq-pending-heading">{t('faq.pending.heading')}</h2>
      {reviewer ? null : <p className="hint">{t('faq.pending.complianceOnly')}</p>}
      <p role="status">{notice}</p>
      <ErrorNote error={error} id="faq-pending-error" />
      {items === null ? null : items.length === 0 ? (
        <p>{t('faq.pending.empty')}</p>
      ) : (
        <table aria-labelledby="faq-pending-heading">
          <thead>
            <tr>
              <th scope="col">{t('faq.pending.entry')}</th>
              <th scope="col">{t('faq.pending.version')}</th>
              <th scope="col">{t('faq.pending.question')}</th>
              <th scope="col">{t('faq.pending.answer')}</th>
              <th scope="col">{t('faq.pending.author')}</th>
              <th scope="col">{t('faq.pending.findings')}</th>
              {reviewer ? <th scope="col">{t('faq.pending.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((d) => {
              const key = `${d.entryId}@${d.version}`;
              const errorId = `faq-review-error-${d.entryId}-${d.version}`;
              const error = failed?.key === key ? failed.error : null;
              const vars = { entryId: d.entryId, version: d.version };
              return (
                <tr key={key}>
                  <td>{d.entryId}</td>
                  <td>{d.version}</td>
                  <td>{d.question}</td>
                  <td>{d.answer}</td>
                  <td>{d.author}</td>
                  <td>
                    {d.findings.length === 0 ? (
                      t('faq.pending.noFindings')
                    ) : (
                      <ul>
                        {d.findings.map((f) => (
                          <li key={`${f.rule}-${f.span[0]}`}>
                            {t('faq.finding', {
                              severity: t(`faq.severity.${f.severity}`),
                              rule: f.rule,
                              suggestion: f.suggestion,
                            })}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  {reviewer ? (
                    <td>
                      <button
                        type="button"
                        disabled={busy !== null}
                        aria-label={t('faq.pending.approveLabel', vars)}
                        aria-describedby={error ? errorId : undefined}
                        onClick={() => review(d, 'approve')}
                      >
                        {t('faq.pending.approve')}
                      </button>{' '}
                      <button
                        type="button"
                        disabled={busy !== null}
                        aria-label={t('faq.pending.rejectLabel', vars)}
                        aria-describedby={error ? errorId : undefined}
                        onClick={() => review(d, 'reject')}
                      >
                        {t('faq.pending.reject')}
                      </button>
                      <ErrorNote error={error} id={errorId} />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next ? (
        <button type="button" onClick={() => load(next)}>
          {t('faq.pending.more')}
        </button>
      ) : null}
    </section>
  );
}
