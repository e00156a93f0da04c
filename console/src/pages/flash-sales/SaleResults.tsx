import { useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { type Results, stillOpen, whenText, windowText } from './shared.tsx';

/** How often an open sale's results are fetched again. */
const EVERY_MS = 2000;

/** Whether the browser shows the page (a hidden tab polls nothing). */
function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/**
 * A sale's live results (`GET /api/v1/flash-sales/:id`): units left, winners and attempts by outcome. While
 * the sale is open and the page visible they are fetched again every 2 s, one call at a time; polling stops
 * when the sale closes or the page is hidden, and resumes when it is shown again.
 */
export function SaleResults({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  /** Called when the sale's taken count changed: the list shows it too. */
  onChanged: () => void;
}) {
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const visible = useVisible();
  const taken = useRef<number | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  useEffect(() => {
    if (!visible) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let again = true;
      try {
        const r = await api<Results>(`/flash-sales/${encodeURIComponent(id)}`);
        if (stopped) return;
        setResults(r);
        setError(null);
        if (taken.current !== null && taken.current !== r.sale.taken) changed.current();
        taken.current = r.sale.taken;
        again = stillOpen(r.sale);
      } catch (e) {
        if (stopped) return;
        setError(asApiError(e));
      }
      if (again && !stopped) timer = setTimeout(tick, EVERY_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, visible]);

  const sale = results?.sale;
  const attempts = Object.entries(results?.attempts ?? {}).filter(([, n]) => n > 0);
  return (
    <section aria-labelledby="flash-results-heading" className="detail">
      <h2 id="flash-results-heading">{t('flash.results', { name: sale?.name ?? id })}</h2>
      <p>
        <button type="button" onClick={onClose}>
          {t('flash.close')}
        </button>
      </p>
      <Refusal error={error} />
      {results && sale ? (
        <>
          <p>
            {sale.itemName} · {windowText(sale)}
          </p>
          <p className="hint">{stillOpen(sale) ? t('flash.live') : t('flash.notLive')}</p>
          <dl className="cards" aria-label={t('flash.results', { name: sale.name })}>
            <div className="card">
              <dt>{t('flash.stockLeft')}</dt>
              <dd className="value" data-figure="stockLeft">
                {results.stockLeft ?? t('flash.stockRebuilding')}
              </dd>
            </div>
            <div className="card">
              <dt>{t('flash.winnersCount')}</dt>
              <dd className="value" data-figure="winners">
                {results.winners.length}
              </dd>
            </div>
          </dl>
          <h3 id="flash-attempts-heading">{t('flash.attempts')}</h3>
          {attempts.length === 0 ? (
            <p>{t('flash.noAttempts')}</p>
          ) : (
            <ul aria-labelledby="flash-attempts-heading">
              {attempts.map(([outcome, n]) => (
                <li key={outcome}>
                  {wordFor('flash.outcome', outcome)}: {n}
                </li>
              ))}
            </ul>
          )}
          <h3 id="flash-winners-heading">{t('flash.winners')}</h3>
          {results.winners.length === 0 ? (
            <p>{t('flash.noWinners')}</p>
          ) : (
            <table aria-labelledby="flash-winners-heading">
              <thead>
                <tr>
                  <th scope="col">{t('flash.col.client')}</th>
                  <th scope="col">{t('flash.col.status')}</th>
                  <th scope="col">{t('flash.col.via')}</th>
                  <th scope="col">{t('flash.col.claimedAt')}</th>
                  <th scope="col">{t('flash.col.expiresAt')}</th>
                </tr>
              </thead>
              <tbody>
                {results.winners.map((w) => (
                  <tr key={w.externalUserid}>
                    <td>{w.externalUserid}</td>
                    <td>{wordFor('flash.status', w.status)}</td>
                    <td>{wordFor('flash.via', w.via)}</td>
                    <td>{whenText(w.claimedAt)}</td>
                    <td>{whenText(w.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : error ? null : (
        <p aria-busy="true">{t('app.loading')}</p>
      )}
    </section>
  );
}
