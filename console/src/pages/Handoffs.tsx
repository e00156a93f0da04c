import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Ok } from '../api.ts';
import { t } from '../messages.ts';
import { type Conversation, HandoffRow } from './handoffs/HandoffRow.tsx';
import { useNow } from './handoffs/SlaClock.tsx';

type OwnerState = Conversation['ownerState'];
const STATES = ['pending-human', 'human', 'resolved'] as const satisfies readonly OwnerState[];
type State = (typeof STATES)[number];
const PAGE = 50;

const messageOf = (e: unknown) => (e instanceof ApiError && e.message ? e.message : t('error.network'));

/**
 * The hand-off inbox in the caller's scope: pending, taken over or resolved, a page at a time; each with
 * its SLA clock, and open ones can be resolved (the API's refusal shows next to the row).
 */
export default function Handoffs() {
  const [state, setState] = useState<State>('pending-human');
  const [items, setItems] = useState<Conversation[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [refusals, setRefusals] = useState<Record<number, string>>({});
  const [done, setDone] = useState<number | null>(null);
  const now = useNow();
  // Only the answer for the state shown now counts: a slower answer for an earlier tab is dropped.
  const shown = useRef<State>(state);

  const fetchPage = useCallback(
    (of: State, cursor: string | null) =>
      api<Ok<'/conversations', 'get'>>(
        `/conversations?state=${of}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    [],
  );

  useEffect(() => {
    shown.current = state;
    setItems(null);
    setNextCursor(null);
    setError(null);
    setRefusals({});
    fetchPage(state, null).then(
      (r) => {
        if (shown.current !== state) return;
        setItems(r.items);
        setNextCursor(r.nextCursor);
      },
      (e: unknown) => {
        if (shown.current === state) setError(messageOf(e));
      },
    );
  }, [state, fetchPage]);

  const more = async () => {
    if (!nextCursor) return;
    const of = state;
    setLoadingMore(true);
    try {
      const r = await fetchPage(of, nextCursor);
      if (shown.current !== of) return;
      // A row resolved meanwhile may come again on the next page: keep one of each.
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((c) => c.id));
        return [...(prev ?? []), ...r.items.filter((c) => !seen.has(c.id))];
      });
      setNextCursor(r.nextCursor);
    } catch (e) {
      if (shown.current === of) setError(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const resolve = async (c: Conversation) => {
    setBusy(c.id);
    setDone(null);
    setRefusals(({ [c.id]: _gone, ...rest }) => rest);
    try {
      await api<Conversation>(`/conversations/${c.id}/resolve`, { method: 'POST' });
      // Resolved: it leaves the open list (it is under 已解决 now).
      setItems((prev) => prev?.filter((x) => x.id !== c.id) ?? prev);
      setDone(c.id);
    } catch (e) {
      setRefusals((r) => ({ ...r, [c.id]: messageOf(e) }));
    } finally {
      setBusy(null);
    }
  };

  const label = t(`handoffs.state.${state}`);
  return (
    <section aria-labelledby="handoffs-heading">
      <h1 id="handoffs-heading">{t('handoffs.heading')}</h1>
      <p className="hint">{t('handoffs.intro')}</p>
      <fieldset className="filter">
        <legend>{t('handoffs.filter')}</legend>
        {STATES.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={s === state}
            onClick={() => {
              setDone(null);
              setState(s);
            }}
          >
            {t(`handoffs.state.${s}`)}
          </button>
        ))}
      </fieldset>
      <div role="status">{done !== null ? t('handoffs.resolved', { id: done }) : null}</div>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error}
        </p>
      ) : null}
      <h2 id="handoffs-list">{t('handoffs.list', { state: label })}</h2>
      {items === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('handoffs.empty', { state: label })}</p>
      ) : (
        <table aria-labelledby="handoffs-list">
          <thead>
            <tr>
              <th scope="col">{t('handoffs.col.id')}</th>
              <th scope="col">{t('handoffs.col.client')}</th>
              <th scope="col">{t('handoffs.col.chat')}</th>
              <th scope="col">{t('handoffs.col.rm')}</th>
              <th scope="col">{t('handoffs.col.takenOverBy')}</th>
              <th scope="col">{t('handoffs.col.sla')}</th>
              <th scope="col">{t('handoffs.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <HandoffRow
                key={c.id}
                conversation={c}
                now={now}
                busy={busy === c.id}
                refusal={refusals[c.id]}
                onResolve={resolve}
              />
            ))}
          </tbody>
        </table>
      )}
      {nextCursor ? (
        <p>
          <button type="button" onClick={more} disabled={loadingMore}>
            {loadingMore ? t('handoffs.loadingMore') : t('handoffs.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
