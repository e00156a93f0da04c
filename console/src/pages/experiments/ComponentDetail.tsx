import { useEffect, useState } from 'react';
import { type ApiError, api, type Ok } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { ExperimentCard } from './ExperimentCard.tsx';
import type { Outcome } from './shared.ts';

type Report = Ok<'/experiments/{componentId}', 'get'>;

/** One component's results per version, newest first (`GET /api/v1/experiments/:componentId`). */
export function ComponentDetail({
  componentId,
  outcome,
  onClose,
}: {
  componentId: string;
  outcome: Outcome;
  onClose: () => void;
}) {
  const key = `${componentId}|${outcome}`;
  const [state, setState] = useState<{ key: string; data?: Report; error?: ApiError }>({ key });
  useEffect(() => {
    let live = true;
    setState({ key });
    api<Report>(`/experiments/${encodeURIComponent(componentId)}?outcome=${outcome}`).then(
      (data) => live && setState({ key, data }),
      (e: unknown) => live && setState({ key, error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [componentId, outcome, key]);
  const current = state.key === key ? state : { key };
  return (
    <section
      className="profile"
      aria-labelledby="experiment-detail-heading"
      aria-busy={!current.data && !current.error}
    >
      <h2 id="experiment-detail-heading">{t('experiments.detail', { id: componentId })}</h2>
      <Refusal error={current.error ?? null} />
      {!current.data && !current.error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {current.data?.experiments.length === 0 ? <p>{t('experiments.detailEmpty')}</p> : null}
      {current.data?.experiments.map((e) => (
        <ExperimentCard key={e.version} experiment={e} outcome={outcome} />
      ))}
      <button type="button" onClick={onClose}>
        {t('experiments.close')}
      </button>
    </section>
  );
}
