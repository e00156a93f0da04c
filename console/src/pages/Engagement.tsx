import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { type ApiError, api, type Body, type Me, type Ok } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { dayOf, timeOf } from '../time.ts';
import { RankingTables } from './engagement/RankingTables.tsx';
import { RmExplanation } from './engagement/RmExplanation.tsx';
import {
  PERIOD_KINDS,
  type PeriodKind,
  periodParams,
  periodText,
  pointsText,
  type Query,
  queryOf,
  type Ranking,
} from './engagement/shared.ts';

// ECharts is the page's heaviest part: it loads after the tables are usable.
const TopScoresChart = lazy(() => import('./engagement/TopScoresChart.tsx'));

const TOP = 20;
type Recomputed = Ok<'/engagement/recompute', 'post'>;

/** `?period&date[&branch]` of the ranking in the API's terms. */
function rankingParams(q: Query): URLSearchParams {
  const p = periodParams(q);
  if (q.branch) p.set('branch', q.branch);
  return p;
}

/**
 * RM engagement (admin, ops, rm; the API scopes it: head office every branch, branch ops their branch, an RM
 * only themself): the ranking per branch for a day, week or month with a chart of the top scores and a CSV
 * download; `?rm=` opens one RM's explanation. Head office may recompute the period on demand.
 */
export default function Engagement({ me }: { me: Me }) {
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const selected = params.get('rm');
  const headOffice = me.role === 'admin' || (me.role === 'ops' && !me.branchScope);
  const [ranking, setRanking] = useState<{ key: string; data?: Ranking; error?: ApiError } | null>(null);
  const [reloads, setReloads] = useState(0);
  const key = rankingParams(query).toString();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query; `reloads` forces a reload
  useEffect(() => {
    let live = true;
    // A reload after a recompute keeps the figures (and the recompute's note) on screen until it answers.
    setRanking((prev) => (prev?.key === key && prev.data ? prev : { key }));
    api<Ranking>(`/engagement/rms?${key}`).then(
      (data) => live && setRanking({ key, data }),
      (e: unknown) => live && setRanking({ key, error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [key, reloads]);

  const update = (changes: Record<string, string | null>) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      for (const [name, value] of Object.entries(changes)) {
        if (value) q.set(name, value);
        else q.delete(name);
      }
      return q;
    });

  const data = ranking?.key === key ? ranking.data : undefined;
  const error = ranking?.key === key ? (ranking.error ?? null) : null;
  const csv = `/api/v1/engagement/rms?${rankingParams(query)}&format=csv`;
  return (
    <section aria-labelledby="engagement-heading">
      <h1 id="engagement-heading">{t('engagement.heading')}</h1>
      <p className="hint">{t('engagement.intro')}</p>
      <Controls key={`controls-${key}`} query={query} headOffice={headOffice} onApply={(q) => update(q)} />
      <p>
        <a href={csv} download>
          {t('engagement.csv')}
        </a>
      </p>
      {headOffice && data ? (
        <Recompute
          key={`recompute-${key}`}
          period={query.period}
          date={query.date ?? data.period.start}
          onDone={() => setReloads((n) => n + 1)}
        />
      ) : null}
      {selected ? <RmExplanation rm={selected} query={query} onClose={() => update({ rm: null })} /> : null}
      <section aria-labelledby="engagement-ranking" aria-busy={!data && !error}>
        <h2 id="engagement-ranking">{t('engagement.ranking')}</h2>
        <Refusal error={error} />
        {!data && !error ? <p>{t('app.loading')}</p> : null}
        {data ? <RankingBody data={data} selected={selected} onSelect={(rm) => update({ rm })} /> : null}
      </section>
    </section>
  );
}

/** The ranking's period, its chart and tables; "not computed yet" until the nightly job has run. */
function RankingBody({
  data,
  selected,
  onSelect,
}: {
  data: Ranking;
  selected: string | null;
  onSelect: (rm: string) => void;
}) {
  const at = data.computedAt;
  const period = periodText(data.period);
  if (at === null)
    return (
      <>
        <p>{period}</p>
        <p role="status">{t('engagement.notComputed')}</p>
      </>
    );
  const top = [...data.items]
    .sort((a, b) => b.score - a.score || a.rm.localeCompare(b.rm))
    .slice(0, TOP)
    .map((r) => ({ name: r.rm, score: r.score }));
  const summary = top
    .map((b) => t('engagement.topItem', { rm: b.name, score: pointsText(b.score) }))
    .join(t('engagement.sep'));
  return (
    <>
      <p>
        {period}
        {t('engagement.computedAt', { at: `${dayOf(at)} ${timeOf(at)}` })}
      </p>
      {data.items.length === 0 ? (
        <p>{t('engagement.empty')}</p>
      ) : (
        <>
          <h3>{t('engagement.top', { n: top.length })}</h3>
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <TopScoresChart bars={top} label={t('engagement.topLabel', { n: top.length, summary })} />
          </Suspense>
          <RankingTables items={data.items} selected={selected} onSelect={onSelect} />
        </>
      )}
    </>
  );
}

/** The query form: period, a date inside it (empty: yesterday) and, for head office, a branch. */
function Controls({
  query,
  headOffice,
  onApply,
}: {
  query: Query;
  headOffice: boolean;
  onApply: (q: Record<string, string | null>) => void;
}) {
  const [period, setPeriod] = useState<PeriodKind>(query.period);
  const [date, setDate] = useState(query.date ?? '');
  const [branch, setBranch] = useState(query.branch ?? '');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onApply({ period, date: date || null, branch: headOffice ? branch.trim() || null : null });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label={t('engagement.controls')}>
      {/* Labelled by `htmlFor`, not by wrapping: a wrapped select's options would join its name. */}
      <label htmlFor="engagement-period">{t('engagement.period')}</label>{' '}
      <select
        id="engagement-period"
        name="period"
        value={period}
        onChange={(e) => setPeriod(e.target.value as PeriodKind)}
      >
        {PERIOD_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`engagement.period.${k}`)}
          </option>
        ))}
      </select>{' '}
      <label>
        {t('engagement.date')}{' '}
        <input
          type="date"
          name="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          aria-describedby="engagement-date-hint"
        />
      </label>{' '}
      <span className="hint" id="engagement-date-hint">
        {t('engagement.dateHint')}
      </span>{' '}
      {headOffice ? (
        <>
          <label>
            {t('engagement.branch')}{' '}
            <input
              type="text"
              name="branch"
              value={branch}
              maxLength={64}
              onChange={(e) => setBranch(e.target.value)}
              aria-describedby="engagement-branch-hint"
            />
          </label>{' '}
          <span className="hint" id="engagement-branch-hint">
            {t('engagement.branchHint')}
          </span>{' '}
        </>
      ) : null}
      <button type="submit">{t('engagement.apply')}</button>
    </form>
  );
}

/** Head office's recompute of the period shown (`POST /engagement/recompute`), then a reload. */
function Recompute({ period, date, onDone }: { period: PeriodKind; date: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Recomputed | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async () => {
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      const body: Body<'/engagement/recompute', 'post'> = { period, date };
      setDone(await api<Recomputed>('/engagement/recompute', { method: 'POST', body }));
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" onClick={run} disabled={busy}>
        {busy ? t('engagement.recomputing') : t('engagement.recompute')}
      </button>
      {done ? (
        <p role="status">{t('engagement.recomputed', { rms: done.rms, seconds: done.seconds.toFixed(1) })}</p>
      ) : null}
      <Refusal error={error} />
    </div>
  );
}
