import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { t } from '../../messages.ts';
import { type Client, maskName, type Policy, policyName, statusText } from './shared.tsx';

const PAGE_SIZE = 50;
type Filters = { tier: string; channel: string };

/**
 * Clients in the caller's scope (the API scopes the list), filtered by tier and channel, a page at a time.
 * The search box filters only what is loaded: the API has no search parameter.
 */
export function ClientList({
  policy,
  selected,
  onSelect,
}: {
  policy: Policy | null;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const [filters, setFilters] = useState<Filters>({ tier: '', channel: '' });
  const [items, setItems] = useState<Client[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [channels, setChannels] = useState<string[]>([]);
  // Answers to an older filter are dropped: only the latest request may fill the list.
  const generation = useRef(0);

  const fetchPage = async (f: Filters, cursor: string | null) => {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (f.tier) q.set('tier', f.tier);
    if (f.channel) q.set('channel', f.channel);
    if (cursor) q.set('cursor', cursor);
    return api<{ items: Client[]; nextCursor: string | null }>(`/clients?${q}`);
  };

  const load = async (f: Filters, cursor: string | null) => {
    const mine = cursor ? generation.current : ++generation.current;
    setBusy(true);
    setError(null);
    try {
      const page = await fetchPage(f, cursor);
      if (mine !== generation.current) return;
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      if (mine !== generation.current) return;
      setError(e instanceof ApiError && e.code !== 'network' ? e.message : t('error.network'));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the filters change, nothing else
  useEffect(() => {
    void load(filters, null);
  }, [filters]);

  useEffect(() => {
    // Channel ids to suggest; only ops and admin may list channels, so an RM simply gets no suggestions.
    api<{ items: { id: string }[] }>('/channels?limit=200').then(
      (r) => setChannels(r.items.map((c) => c.id)),
      () => setChannels([]),
    );
  }, []);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setFilters({ tier: String(f.get('tier') ?? ''), channel: String(f.get('channel') ?? '').trim() });
  };

  const needle = search.trim().toLowerCase();
  const shown = needle
    ? items.filter(
        (c) =>
          c.externalUserid.toLowerCase().includes(needle) || (c.name ?? '').toLowerCase().includes(needle),
      )
    : items;

  return (
    <section aria-labelledby="clients-list-heading">
      <h2 id="clients-list-heading">{t('clients.list')}</h2>
      <form className="filters" onSubmit={apply} aria-label={t('clients.filters')}>
        <label>
          {t('clients.filterTier')}
          <select name="tier" defaultValue="">
            <option value="">{t('clients.allTiers')}</option>
            {(policy?.tiers ?? []).map((tier) => (
              <option key={tier.id} value={tier.id}>
                {tier.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('clients.filterChannel')}
          <input name="channel" list="clients-channel-ids" autoComplete="off" />
          <datalist id="clients-channel-ids">
            {channels.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <button type="submit">{t('clients.apply')}</button>
      </form>
      <label className="search">
        {t('clients.search')}
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-describedby="clients-search-hint"
        />
        <span className="hint" id="clients-search-hint">
          {t('clients.searchHint')}
        </span>
      </label>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error}
        </p>
      ) : null}
      <p role="status">{t('clients.count', { loaded: items.length, shown: shown.length })}</p>
      {shown.length === 0 && !busy ? (
        <p>{t('clients.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('clients.colName')}</th>
              <th scope="col">{t('clients.colId')}</th>
              <th scope="col">{t('clients.colTier')}</th>
              <th scope="col">{t('clients.colChannel')}</th>
              <th scope="col">{t('clients.colOwner')}</th>
              <th scope="col">{t('clients.colBranch')}</th>
              <th scope="col">{t('clients.colStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.externalUserid}>
                <td>{maskName(c.name)}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => onSelect(c.externalUserid)}
                    aria-label={t('clients.view', { id: c.externalUserid })}
                    aria-pressed={c.externalUserid === selected}
                  >
                    {c.externalUserid}
                  </button>
                </td>
                <td>{policyName(policy, c.tier)}</td>
                <td>{c.channelId ?? t('clients.none')}</td>
                <td>{c.ownerRm ?? t('clients.none')}</td>
                <td>{c.branch ?? t('clients.none')}</td>
                <td>{statusText(c.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(filters, next)}>
            {busy ? t('clients.loadingMore') : t('clients.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
