import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { Refusal } from '../../failures.tsx';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { usePagedList } from '../../paged-list.ts';
import { type EventItem, type EventWithStats, eventTime, type Stats } from './shared.tsx';

const PAGE = 20;

/**
 * The events, newest first, a page at a time (`GET /api/v1/events`), each with its signed-up, waitlisted
 * and attended figures (`GET /api/v1/events/:id`, one call per event shown).
 */
export function EventList({ reload, onOpen }: { reload: number; onOpen: (id: number) => void }) {
  const [stats, setStats] = useState<Record<number, Stats>>({});
  const fetchPage = useCallback(
    (_f: null, cursor: string | null) =>
      api<{ items: EventItem[]; nextCursor: string | null }>(
        `/events?${new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) })}`,
      ),
    [],
  );
  const withStats = useCallback((items: EventItem[]) => {
    for (const e of items)
      api<EventWithStats>(`/events/${e.id}`).then(
        (d) => setStats((s) => ({ ...s, [e.id]: d.stats })),
        () => undefined,
      );
  }, []);
  const list = usePagedList<EventItem, null>(fetchPage, withStats);
  const { load } = list;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the signal to load again.
  useEffect(() => {
    void load(null, null);
  }, [reload]);

  const figure = (id: number, k: keyof Stats) => {
    const n = stats[id]?.[k];
    return n === undefined ? t('events.unknownStat') : String(n);
  };

  return (
    <section aria-labelledby="events-list-heading">
      <h2 id="events-list-heading">{t('events.list')}</h2>
      <Refusal error={list.error} />
      {list.items.length === 0 ? (
        list.busy ? (
          <p aria-busy="true">{t('app.loading')}</p>
        ) : list.error ? null : (
          <p>{t('events.empty')}</p>
        )
      ) : (
        <table aria-labelledby="events-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('events.col.kind')}</th>
              <th scope="col">{t('events.col.title')}</th>
              <th scope="col">{t('events.col.time')}</th>
              <th scope="col">{t('events.col.capacity')}</th>
              <th scope="col">{t('events.col.signedUp')}</th>
              <th scope="col">{t('events.col.waitlisted')}</th>
              <th scope="col">{t('events.col.attended')}</th>
              <th scope="col">{t('events.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id}>
                <td>{wordFor('events.kind', e.kind)}</td>
                <td>{e.title}</td>
                <td>{eventTime(e)}</td>
                <td>{e.capacity}</td>
                <td>{figure(e.id, 'signedUp')}</td>
                <td>{figure(e.id, 'waitlisted')}</td>
                <td>{figure(e.id, 'attended')}</td>
                <td>
                  <button
                    type="button"
                    aria-label={t('events.openFor', { title: e.title })}
                    onClick={() => onOpen(e.id)}
                  >
                    {t('events.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.next ? (
        <p>
          <button type="button" onClick={() => list.load(null, list.next)} disabled={list.busy}>
            {list.busy ? t('events.loadingMore') : t('events.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
