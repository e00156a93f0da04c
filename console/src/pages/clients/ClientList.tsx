import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { ErrorNote, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { type Page, usePagedList } from '../../paged-list.ts';
import { type Client, maskName, type Policy, policyName, statusText } from './shared.tsx';

const PAGE_SIZE = 50;
type Filters = { tier: string; channel: string; ownerRm: string; q: string };
const NO_FILTERS: Filters = { tier: '', channel: '', ownerRm: '', q: '' };

/**
 * Clients in the caller's scope (the API scopes the list), searched by name or id (`?q=`, on the server,
 * so every matching client is found, not only those loaded) and filtered by tier, channel and owner RM,
 * a page at a time.
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
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [channels, setChannels] = useState<string[]>([]);
  const [rms, setRms] = useState<{ userid: string; name: string }[]>([]);

  const fetchPage = async (f: Filters, cursor: string | null): Promise<Page<Client>> => {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (f.q) q.set('q', f.q);
    if (f.tier) q.set('tier', f.tier);
    if (f.channel) q.set('channel', f.channel);
    if (f.ownerRm) q.set('ownerRm', f.ownerRm);
    if (cursor) q.set('cursor', cursor);
    return api<Page<Client>>(`/clients?${q}`);
  };

  const { items, next, busy, error, load } = usePagedList(fetchPage);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the filters change, nothing else
  useEffect(() => {
    void load(filters, null);
  }, [filters]);

  useEffect(() => {
    // Channels and RMs to suggest; only ops and admin may list them, so an RM simply gets no suggestions.
    api<{ items: { id: string }[] }>('/channels?limit=200').then(
      (r) => setChannels(r.items.map((c) => c.id)),
      () => setChannels([]),
    );
    api<{ items: { userid: string; name: string }[] }>('/rms?limit=500').then(
      (r) => setRms(r.items),
      () => setRms([]),
    );
  }, []);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setFilters((prev) => ({
      ...prev,
      tier: String(f.get('tier') ?? ''),
      channel: String(f.get('channel') ?? '').trim(),
      ownerRm: String(f.get('ownerRm') ?? '').trim(),
    }));
  };

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
    setFilters((prev) => ({ ...prev, q }));
  };

  // A refused search is shown next to the search box; any other failure above the list.
  const searchProblem = error?.problemFor('q') ? error : null;

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
        <label>
          {t('clients.filterOwner')}
          <input name="ownerRm" list="clients-rm-ids" autoComplete="off" maxLength={64} />
          <datalist id="clients-rm-ids">
            {rms.map((r) => (
              <option key={r.userid} value={r.userid}>
                {r.name}
              </option>
            ))}
          </datalist>
        </label>
        <button type="submit">{t('clients.apply')}</button>
      </form>
      <search aria-label={t('clients.searchForm')}>
        <form className="filters" onSubmit={search}>
          <label>
            {t('clients.search')}
            <input
              type="search"
              name="q"
              maxLength={64}
              autoComplete="off"
              aria-invalid={searchProblem ? true : undefined}
              aria-describedby={searchProblem ? 'clients-search-error' : 'clients-search-hint'}
            />
          </label>
          <button type="submit">{t('clients.searchSubmit')}</button>
          <span className="hint" id="clients-search-hint">
            {t('clients.searchHint')}
          </span>
          <ErrorNote error={searchProblem} id="clients-search-error" field="q" />
        </form>
      </search>
      {searchProblem ? null : <Refusal error={error} />}
      <p role="status">
        {filters.q
          ? t('clients.countSearch', { loaded: items.length, q: filters.q })
          : t('clients.count', { loaded: items.length })}
      </p>
      {items.length === 0 && !busy ? (
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
            {items.map((c) => (
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
