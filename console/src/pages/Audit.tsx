import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { dayOf, TIME_ZONE } from '../time.ts';

/** An audit entry as `GET /api/v1/audit-log` answers it. */
type Entry = {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
};

const PAGE = 50;

// Seconds matter in an audit trail (two changes a minute apart read as one otherwise).
const clock = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** `YYYY-MM-DD HH:MM:SS` in Shanghai. */
const whenText = (at: string) => `${dayOf(at)} ${clock.format(new Date(at))}`;

/** Details as `key: value` pairs on one line; a value that is not text is shown as compact JSON. */
function detailsText(details: Record<string, unknown>): string {
  const pairs = Object.entries(details).map(
    ([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return pairs.length > 0 ? pairs.join('; ') : t('audit.none');
}

/**
 * The audit log page (admin, compliance): the audit trail newest first, a page at a time, optionally of one target
 * type: when, who, what, on what, the details and the request it came from.
 */
export default function Audit() {
  const [targetType, setTargetType] = useState('');
  const [typed, setTyped] = useState('');
  const [items, setItems] = useState<Entry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [seenTypes, setSeenTypes] = useState<string[]>([]);
  // Only the answer for the filter shown now counts: a slower answer for an earlier one is dropped.
  const shown = useRef(targetType);

  const fetchPage = useCallback((type: string, cursor: string | null) => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (type) q.set('targetType', type);
    if (cursor) q.set('cursor', cursor);
    return api<{ items: Entry[]; nextCursor: string | null }>(`/audit-log?${q}`);
  }, []);

  const remember = useCallback(
    (entries: Entry[]) =>
      setSeenTypes((prev) => [...new Set([...prev, ...entries.map((e) => e.targetType)])].sort()),
    [],
  );

  useEffect(() => {
    shown.current = targetType;
    setItems(null);
    setNextCursor(null);
    setError(null);
    fetchPage(targetType, null).then(
      (r) => {
        if (shown.current !== targetType) return;
        setItems(r.items);
        setNextCursor(r.nextCursor);
        remember(r.items);
      },
      (e: unknown) => {
        if (shown.current === targetType) setError(asApiError(e));
      },
    );
  }, [targetType, fetchPage, remember]);

  const more = async () => {
    if (!nextCursor) return;
    const of = targetType;
    setLoadingMore(true);
    try {
      const r = await fetchPage(of, nextCursor);
      if (shown.current !== of) return;
      setItems((prev) => [...(prev ?? []), ...r.items]);
      setNextCursor(r.nextCursor);
      remember(r.items);
    } catch (e) {
      if (shown.current === of) setError(asApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setTargetType(typed.trim());
  };

  const problem = error?.problemFor('targetType');
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">{t('audit.heading')}</h1>
      <p className="hint">{t('audit.intro')}</p>
      <form className="filter" onSubmit={apply} aria-label={t('audit.filters')}>
        <label>
          {t('audit.targetType')}{' '}
          <input
            name="targetType"
            list="audit-target-types"
            maxLength={64}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby={
              problem ? 'audit-targetType-error audit-targetType-hint' : 'audit-targetType-hint'
            }
            aria-invalid={problem ? true : undefined}
          />
        </label>{' '}
        <datalist id="audit-target-types">
          {seenTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <button type="submit">{t('audit.apply')}</button>{' '}
        {targetType ? (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              setTargetType('');
            }}
          >
            {t('audit.clear')}
          </button>
        ) : null}
        <p className="hint" id="audit-targetType-hint">
          {t('audit.targetTypeHint')}
        </p>
        {problem ? (
          <p className="field-error" role="alert" id="audit-targetType-error">
            {problem}
          </p>
        ) : null}
      </form>
      {problem ? null : <Refusal error={error} />}
      <h2 id="audit-list">{targetType ? t('audit.listOf', { type: targetType }) : t('audit.list')}</h2>
      {items === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <>
          <p className="hint">{t('audit.count', { n: items.length })}</p>
          <table aria-labelledby="audit-list">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.targetType')}</th>
                <th scope="col">{t('audit.col.targetId')}</th>
                <th scope="col">{t('audit.col.details')}</th>
                <th scope="col">{t('audit.col.requestId')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{whenText(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{e.targetType}</td>
                  <td>{e.targetId ?? t('audit.none')}</td>
                  {/* Details and ids have no spaces to break at: let them wrap anywhere. */}
                  <td style={{ overflowWrap: 'anywhere' }}>{detailsText(e.details)}</td>
                  <td style={{ overflowWrap: 'anywhere' }}>{e.requestId ?? t('audit.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {nextCursor ? (
        <p>
          <button type="button" onClick={more} disabled={loadingMore}>
            {loadingMore ? t('audit.loadingMore') : t('audit.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
