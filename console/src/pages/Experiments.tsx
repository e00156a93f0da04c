import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { type ApiError, api, type Me, type Ok } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { dayOf, timeOf } from '../time.ts';
import { ComponentDetail } from './experiments/ComponentDetail.tsx';
import { ExperimentCard } from './experiments/ExperimentCard.tsx';
import './experiments/experiments.css';
import { OUTCOMES, type Outcome, outcomeName } from './experiments/shared.ts';

type Report = Ok<'/experiments', 'get'>;
type Recomputed = Ok<'/experiments/recompute', 'post'>;

const isOutcome = (s: string | null): s is Outcome => OUTCOMES.includes(s as Outcome);

/**
 * A/B experiments (admin, ops, compliance; branch ops see their branch's clients only): per component the
 * newest version's variants compared on the chosen outcome (`?outcome=`), a CSV of the same rows, a
 * component's results per version when selected (`?component=`), and, for head office, a recompute now.
 */
export default function Experiments({ me }: { me: Me }) {
  const [params, setParams] = useSearchParams();
  const outcome: Outcome = isOutcome(params.get('outcome')) ? (params.get('outcome') as Outcome) : 'clicked';
  const selected = params.get('component');
  const [state, setState] = useState<{ outcome: Outcome; data?: Report; error?: ApiError }>({ outcome });
  const [reload, setReload] = useState(0);
  const [recompute, setRecompute] = useState<{ busy: boolean; done?: Recomputed; error?: ApiError }>({
    busy: false,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` refetches after a recompute
  useEffect(() => {
    let live = true;
    setState({ outcome });
    api<Report>(`/experiments?outcome=${outcome}`).then(
      (data) => live && setState({ outcome, data }),
      (e: unknown) => live && setState({ outcome, error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [outcome, reload]);

  const setParam = (name: string, value: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (value) q.set(name, value);
      else q.delete(name);
      return q;
    });

  const runRecompute = async () => {
    setRecompute({ busy: true });
    try {
      const done = await api<Recomputed>('/experiments/recompute', { method: 'POST' });
      setRecompute({ busy: false, done });
      setReload((n) => n + 1);
    } catch (e) {
      setRecompute({ busy: false, error: asApiError(e) });
    }
  };

  // The API lets an admin or head-office ops recompute; a branch's ops would only be refused.
  const mayRecompute = me.role === 'admin' || (me.role === 'ops' && me.branchScope === null);
  const current = state.outcome === outcome ? state : { outcome };
  const data = current.data;
  return (
    <section aria-labelledby="experiments-heading">
      <h1 id="experiments-heading">{t('experiments.heading')}</h1>
      <p className="hint">{t('experiments.intro')}</p>
      <div className="filters">
        <label>
          {t('experiments.outcome')}{' '}
          <select name="outcome" value={outcome} onChange={(e) => setParam('outcome', e.target.value)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcomeName(o)}
              </option>
            ))}
          </select>
        </label>{' '}
        <a href={`/api/v1/experiments?outcome=${outcome}&format=csv`} download>
          {t('experiments.csv')}
        </a>{' '}
        {mayRecompute ? (
          <button type="button" onClick={runRecompute} disabled={recompute.busy}>
            {recompute.busy ? t('experiments.recomputing') : t('experiments.recompute')}
          </button>
        ) : null}
      </div>
      {recompute.done ? (
        <p role="status">{t('experiments.recomputed', { rows: recompute.done.rows })}</p>
      ) : null}
      <Refusal error={recompute.error ?? null} />
      {selected ? (
        <ComponentDetail
          componentId={selected}
          outcome={outcome}
          onClose={() => setParam('component', null)}
        />
      ) : null}
      <section aria-labelledby="experiments-list" aria-busy={!data && !current.error}>
        <h2 id="experiments-list">{t('experiments.list')}</h2>
        <Refusal error={current.error ?? null} />
        {data ? (
          <p>
            {data.computedAt
              ? t('experiments.computedAt', {
                  at: `${dayOf(data.computedAt)} ${timeOf(data.computedAt)}`,
                  n: data.minExposures,
                })
              : t('experiments.notComputed')}
          </p>
        ) : current.error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )}
        {data?.experiments.length === 0 ? <p>{t('experiments.empty')}</p> : null}
        {data?.experiments.map((e) => (
          <ExperimentCard
            key={`${e.componentId}-${e.version}`}
            experiment={e}
            outcome={outcome}
            onDetails={(id) => setParam('component', id)}
          />
        ))}
      </section>
    </section>
  );
}
