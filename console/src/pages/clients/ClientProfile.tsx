import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { t } from '../../messages.ts';
import { ClientPoints } from './ClientPoints.tsx';
import { ClientTimeline } from './ClientTimeline.tsx';
import { type Client, maskName, type Policy, policyName, statusText, when } from './shared.tsx';

type State = { id: string; client?: Client; error?: string; notFound?: boolean };

/**
 * One client's profile (`GET /api/v1/clients/:id`): tier and since when, risk level, tags, AUM band, and
 * the client's points and timeline. Out of the caller's scope answers 404, the same as a client that
 * does not exist.
 */
export function ClientProfile({
  id,
  policy,
  canManagePoints,
  onClose,
}: {
  id: string;
  policy: Policy | null;
  /** Admin and ops: grant and reverse points. */
  canManagePoints: boolean;
  onClose: () => void;
}) {
  const [state, setState] = useState<State>({ id });
  useEffect(() => {
    let live = true;
    setState({ id });
    api<Client>(`/clients/${encodeURIComponent(id)}`).then(
      (client) => live && setState({ id, client }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setState({ id, notFound: true });
        else
          setState({
            id,
            error: e instanceof ApiError && e.code !== 'network' ? e.message : t('error.network'),
          });
      },
    );
    return () => {
      live = false;
    };
  }, [id]);

  const c = state.id === id ? state.client : undefined;
  const row = (label: string, value: React.ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <section className="profile" aria-labelledby="client-profile-heading">
      <h2 id="client-profile-heading">
        {t('clients.profile')}
        {c ? ` · ${maskName(c.name)}` : ''}
      </h2>
      {state.notFound ? <p role="alert">{t('clients.notFound')}</p> : null}
      {state.error ? (
        <p role="alert">
          {t('error.generic')}
          {state.error}
        </p>
      ) : null}
      {!c && !state.notFound && !state.error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {c ? (
        <dl>
          {row(t('clients.colId'), c.externalUserid)}
          {row(t('clients.colTier'), policyName(policy, c.tier))}
          {row(t('clients.tierSince'), when(c.tierSince))}
          {row(t('clients.riskLevel'), c.riskLevel ?? t('clients.none'))}
          {row(
            t('clients.tags'),
            c.tags.length > 0 ? c.tags.join(t('clients.tagSeparator')) : t('clients.none'),
          )}
          {row(t('clients.aumBand'), policyName(policy, c.aumBand))}
          {row(t('clients.colOwner'), c.ownerRm ?? t('clients.none'))}
          {row(t('clients.colBranch'), c.branch ?? t('clients.none'))}
          {row(t('clients.colChannel'), c.channelId ?? t('clients.none'))}
          {row(t('clients.colStatus'), statusText(c.status))}
          {row(t('clients.acquiredAt'), when(c.acquiredAt))}
        </dl>
      ) : null}
      {c ? <ClientPoints id={c.externalUserid} canManage={canManagePoints} /> : null}
      {c ? <ClientTimeline id={c.externalUserid} /> : null}
      <button type="button" onClick={onClose}>
        {t('clients.close')}
      </button>
    </section>
  );
}
