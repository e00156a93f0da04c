import { useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { type MessageKey, messages, t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';

const PAGE_SIZE = 20;

/** One entry as `GET /api/v1/clients/:id/timeline` answers it. */
export type TimelineEntry = {
  at: string;
  kind: 'touch' | 'delivery' | 'handoff';
  title: string;
  status: string | null;
  detail: string | null;
  rm: string | null;
};

/** The catalogue's words for `key`, or `raw` itself for a value the catalogue does not know. */
const known = (key: string, raw: string): string => (key in messages ? t(key as MessageKey) : raw);

/**
 * A client's timeline, newest first: the RM's touches, calendar deliveries and hand-offs, with time in
 * Shanghai, kind, title and status, a page at a time. The API sends titles and statuses only.
 */
export function ClientTimeline({ id }: { id: string }) {
  const [items, setItems] = useState<TimelineEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // A page for a client no longer shown is dropped.
  const current = useRef(id);

  const load = async (cursor: string | null) => {
    const forId = id;
    setBusy(true);
    setError(null);
    try {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) q.set('cursor', cursor);
      const page = await api<{ items: TimelineEntry[]; nextCursor: string | null }>(
        `/clients/${encodeURIComponent(forId)}/timeline?${q}`,
      );
      if (current.current !== forId) return;
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      if (current.current === forId) setError(asApiError(e));
    } finally {
      if (current.current === forId) setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads for another client, nothing else
  useEffect(() => {
    current.current = id;
    setItems([]);
    setNext(null);
    setLoaded(false);
    void load(null);
  }, [id]);

  return (
    <section aria-labelledby="client-timeline-heading">
      <h3 id="client-timeline-heading">{t('clients.timeline')}</h3>
      <Refusal error={error} />
      {!loaded && !error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {loaded && items.length === 0 ? <p>{t('clients.timelineEmpty')}</p> : null}
      {items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('clients.timelineAt')}</th>
              <th scope="col">{t('clients.timelineKind')}</th>
              <th scope="col">{t('clients.timelineTitle')}</th>
              <th scope="col">{t('clients.timelineStatus')}</th>
              <th scope="col">{t('clients.timelineRm')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: pages only append, so an entry keeps its index
              <tr key={`${i}-${e.kind}-${e.at}`}>
                <td>
                  <time dateTime={e.at}>
                    {t('clients.timelineWhen', { day: dayOf(e.at), time: timeOf(e.at) })}
                  </time>
                </td>
                <td>{known(`clients.timeline.kind.${e.kind}`, e.kind)}</td>
                <td>{e.title}</td>
                <td>
                  {e.status ? known(`clients.timeline.${e.kind}.${e.status}`, e.status) : t('clients.none')}
                  {e.detail
                    ? t('clients.timelineDetail', {
                        detail: known(`clients.timeline.detail.${e.detail}`, e.detail),
                      })
                    : null}
                </td>
                <td>{e.rm ?? t('clients.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(next)}>
            {busy ? t('clients.loadingMore') : t('clients.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
