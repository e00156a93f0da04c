import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type ApiError, api, type Ok, type Schema } from '../../api.ts';
import { asApiError, ErrorNote, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { usePagedList } from '../../paged-list.ts';
import { dayOf, timeOf } from '../../time.ts';

type Entry = Schema<'FaqEntry'>;
type Status = Entry['status'];
type Filters = { q: string; category: string; status: Status | '' };

const PAGE_SIZE = 50;
const NO_FILTERS: Filters = { q: '', category: '', status: '' };
const STATUSES: readonly Status[] = ['draft', 'submitted', 'approved', 'rejected'];

const statusText = (s: Status) => t(`faq.entries.status.${s}`);
const at = (iso: string) => t('faq.entries.v.at', { day: dayOf(iso), time: timeOf(iso) });

/**
 * The knowledge base's entries, each with its newest version and the newest one compliance approved,
 * searched on the server by question, similar question or id (so every match is found, not only what is
 * loaded) and filtered by category and status, a page at a time. Choosing an entry shows all its versions
 * with their answers. `reload` changes whenever a draft was written elsewhere on the page.
 */
export function Entries({ reload }: { reload: number }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [categories, setCategories] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const { items, next, busy, error, load } = usePagedList<Entry, Filters>(
    (f, cursor) => {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (f.q) q.set('q', f.q);
      if (f.category) q.set('category', f.category);
      if (f.status) q.set('status', f.status);
      if (cursor) q.set('cursor', cursor);
      return api<Ok<'/faq/entries', 'get'>>(`/faq/entries?${q}`);
    },
    // The categories seen so far are offered in the category filter.
    (page) => setCategories((prev) => [...new Set([...prev, ...page.map((e) => e.category)])].sort()),
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the filters change or `reload` signals
  useEffect(() => {
    void load(filters, null);
  }, [filters, reload]);

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const status = String(f.get('status') ?? '');
    setFilters({
      q: String(f.get('q') ?? '').trim(),
      category: String(f.get('category') ?? '').trim(),
      status: STATUSES.find((s) => s === status) ?? '',
    });
  };

  // A refused search is shown next to the search box; any other failure above the list.
  const searchProblem = error?.problemFor('q') ? error : null;

  return (
    <section aria-labelledby="faq-entries-heading" className="faq-section">
      <h2 id="faq-entries-heading">{t('faq.entries.heading')}</h2>
      <search aria-label={t('faq.entries.searchForm')}>
        <form className="filters" onSubmit={search}>
          <label>
            {t('faq.entries.search')}
            <input
              type="search"
              name="q"
              maxLength={64}
              autoComplete="off"
              aria-invalid={searchProblem ? true : undefined}
              aria-describedby={searchProblem ? 'faq-entries-search-error' : 'faq-entries-search-hint'}
            />
          </label>
          <label>
            {t('faq.entries.category')}
            <input name="category" list="faq-entries-categories" maxLength={32} autoComplete="off" />
            <datalist id="faq-entries-categories">
              {categories.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <label>
            {t('faq.entries.status')}
            <select name="status" defaultValue="">
              <option value="">{t('faq.entries.allStatuses')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusText(s)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('faq.entries.submit')}</button>
          <span className="hint" id="faq-entries-search-hint">
            {t('faq.entries.searchHint')}
          </span>
          <ErrorNote error={searchProblem} id="faq-entries-search-error" field="q" />
        </form>
      </search>
      {searchProblem ? null : <Refusal error={error} />}
      <p role="status">
        {filters.q
          ? t('faq.entries.countSearch', { loaded: items.length, q: filters.q })
          : t('faq.entries.count', { loaded: items.length })}
      </p>
      {selected ? <EntryVersions id={selected} onClose={() => setSelected(null)} /> : null}
      {items.length === 0 && !busy ? (
        <p>{t('faq.entries.empty')}</p>
      ) : (
        <table aria-labelledby="faq-entries-heading">
          <thead>
            <tr>
              <th scope="col">{t('faq.entries.col.id')}</th>
              <th scope="col">{t('faq.entries.col.question')}</th>
              <th scope="col">{t('faq.entries.col.category')}</th>
              <th scope="col">{t('faq.entries.col.status')}</th>
              <th scope="col">{t('faq.entries.col.version')}</th>
              <th scope="col">{t('faq.entries.col.validUntil')}</th>
              <th scope="col">{t('faq.entries.col.reviewer')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setSelected(e.id)}
                    aria-label={t('faq.entries.view', { id: e.id })}
                    aria-pressed={e.id === selected}
                  >
                    {e.id}
                  </button>
                </td>
                <td>{e.question}</td>
                <td>{e.category}</td>
                <td>{statusText(e.status)}</td>
                <td>
                  {e.approvedVersion === null
                    ? t('faq.entries.versionNoneApproved', { version: e.version })
                    : t('faq.entries.versionPair', { version: e.version, approved: e.approvedVersion })}
                </td>
                <td>{e.validUntil ?? t('faq.entries.forever')}</td>
                <td>{e.reviewer ?? t('faq.entries.unreviewed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(filters, next)}>
            {busy ? t('faq.entries.loadingMore') : t('faq.entries.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** Every version of one entry, newest first, with its answer and review; focus moves to its heading. */
function EntryVersions({ id, onClose }: { id: string; onClose: () => void }) {
  const [entry, setEntry] = useState<Ok<'/faq/entries/{id}', 'get'> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setEntry(null);
    setError(null);
    heading.current?.focus();
    api<Ok<'/faq/entries/{id}', 'get'>>(`/faq/entries/${encodeURIComponent(id)}`).then(
      (e) => current && setEntry(e),
      (e: unknown) => current && setError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [id]);

  const headingId = `faq-entry-${id}-heading`;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t('faq.entries.versions', { id })}
      </h3>
      <button type="button" onClick={onClose}>
        {t('faq.entries.close')}
      </button>
      <Refusal error={error} />
      {entry === null && error === null ? <p>{t('faq.entries.loading')}</p> : null}
      {entry?.versions.map((v) => (
        <article key={v.version} aria-labelledby={`${headingId}-v${v.version}`}>
          <h4 id={`${headingId}-v${v.version}`}>
            {t('faq.entries.versionHeading', { version: v.version, status: statusText(v.status) })}
          </h4>
          <dl>
            <dt>{t('faq.entries.v.question')}</dt>
            <dd>{v.question}</dd>
            <dt>{t('faq.entries.v.similar')}</dt>
            <dd>
              {v.similar.length > 0 ? v.similar.join(t('faq.entries.sep')) : t('faq.entries.v.noSimilar')}
            </dd>
            <dt>{t('faq.entries.v.answer')}</dt>
            <dd>{v.answer}</dd>
            <dt>{t('faq.entries.v.category')}</dt>
            <dd>{v.category}</dd>
            <dt>{t('faq.entries.v.tiers')}</dt>
            <dd>{v.tiers.length > 0 ? v.tiers.join(t('faq.entries.sep')) : t('faq.entries.v.allTiers')}</dd>
            <dt>{t('faq.entries.v.author')}</dt>
            <dd>{v.author}</dd>
            <dt>{t('faq.entries.v.created')}</dt>
            <dd>{at(v.createdAt)}</dd>
            <dt>{t('faq.entries.v.reviewer')}</dt>
            <dd>{v.reviewer ?? t('faq.entries.unreviewed')}</dd>
            {v.reviewedAt ? (
              <>
                <dt>{t('faq.entries.v.reviewed')}</dt>
                <dd>{at(v.reviewedAt)}</dd>
              </>
            ) : null}
            <dt>{t('faq.entries.v.findings')}</dt>
            <dd>{t('faq.entries.v.findingsCount', { count: v.findings })}</dd>
          </dl>
        </article>
      ))}
    </section>
  );
}
