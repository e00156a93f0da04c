import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import type { Policy } from '../clients/shared.tsx';
import { GroupRow } from './GroupRow.tsx';
import { type Group, KeyOptions } from './shared.tsx';

const PAGE = 50;
type Filters = { groupKey: string; archived: boolean };

/**
 * The customer groups routing may use (`GET /api/v1/groups`), by key and age, a page at a time, filtered
 * by key and optionally with the archived ones; admin and ops archive a group after confirming, and the
 * API's refusal shows in its row.
 */
export function GroupList({
  policy,
  canArchive,
  reload,
}: {
  policy: Policy | null;
  canArchive: boolean;
  /** Changes whenever a group was registered elsewhere on the page: the list loads again. */
  reload: number;
}) {
  const [filters, setFilters] = useState<Filters>({ groupKey: '', archived: false });
  const [items, setItems] = useState<Group[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, ApiError>>({});
  const [done, setDone] = useState<string | null>(null);
  // Only the answer for the filters shown now counts: a slower answer for earlier filters is dropped.
  const shown = useRef(filters);

  const fetchPage = useCallback((f: Filters, cursor: string | null) => {
    const q = new URLSearchParams({ limit: String(PAGE), archived: String(f.archived) });
    if (f.groupKey) q.set('groupKey', f.groupKey);
    if (cursor) q.set('cursor', cursor);
    return api<{ items: Group[]; nextCursor: string | null }>(`/groups?${q}`);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` is the signal to load again.
  useEffect(() => {
    shown.current = filters;
    setItems(null);
    setNextCursor(null);
    setError(null);
    setRefusals({});
    fetchPage(filters, null).then(
      (r) => {
        if (shown.current !== filters) return;
        setItems(r.items);
        setNextCursor(r.nextCursor);
      },
      (e: unknown) => {
        if (shown.current === filters) setError(asApiError(e));
      },
    );
  }, [filters, fetchPage, reload]);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setDone(null);
    setFilters({ groupKey: String(f.get('groupKey') ?? ''), archived: f.get('archived') === 'on' });
  };

  const more = async () => {
    if (!nextCursor) return;
    const of = filters;
    setLoadingMore(true);
    try {
      const r = await fetchPage(of, nextCursor);
      if (shown.current !== of) return;
      // A group archived meanwhile shifts nothing (the cursor is a position), but keep one of each anyway.
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((g) => g.chatId));
        return [...(prev ?? []), ...r.items.filter((g) => !seen.has(g.chatId))];
      });
      setNextCursor(r.nextCursor);
    } catch (e) {
      if (shown.current === of) setError(asApiError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const archive = async (g: Group) => {
    setBusy(g.chatId);
    setDone(null);
    setRefusals(({ [g.chatId]: _gone, ...rest }) => rest);
    try {
      const archived = await api<Group>(`/groups/${encodeURIComponent(g.chatId)}/archive`, {
        method: 'POST',
      });
      // Shown in place, as archived, until the list is loaded again.
      setItems((prev) => prev?.map((x) => (x.chatId === g.chatId ? archived : x)) ?? prev);
      setDone(archived.name);
    } catch (e) {
      setRefusals((r) => ({ ...r, [g.chatId]: asApiError(e) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="groups-list-heading">
      <h2 id="groups-list-heading">{t('groups.list')}</h2>
      <form className="filter" onSubmit={apply} aria-label={t('groups.filters')}>
        <label>
          {t('groups.filterKey')}{' '}
          <select name="groupKey" defaultValue="">
            <option value="">{t('groups.allKeys')}</option>
            <KeyOptions policy={policy} />
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" name="archived" /> {t('groups.withArchived')}
        </label>{' '}
        <button type="submit">{t('groups.apply')}</button>
      </form>
      <div role="status">{done !== null ? t('groups.archived', { name: done }) : null}</div>
      <Refusal error={error} />
      {items === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('groups.empty')}</p>
      ) : (
        <table aria-labelledby="groups-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('groups.col.name')}</th>
              <th scope="col">{t('groups.col.chatId')}</th>
              <th scope="col">{t('groups.col.key')}</th>
              <th scope="col">{t('groups.col.members')}</th>
              <th scope="col">{t('groups.col.owner')}</th>
              <th scope="col">{t('groups.col.status')}</th>
              <th scope="col">{t('groups.col.joinWay')}</th>
              {canArchive ? <th scope="col">{t('groups.col.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((g) => (
              <GroupRow
                key={g.chatId}
                group={g}
                policy={policy}
                canArchive={canArchive}
                busy={busy === g.chatId}
                refusal={refusals[g.chatId]}
                onArchive={archive}
              />
            ))}
          </tbody>
        </table>
      )}
      {nextCursor ? (
        <p>
          <button type="button" onClick={more} disabled={loadingMore}>
            {loadingMore ? t('groups.loadingMore') : t('groups.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
