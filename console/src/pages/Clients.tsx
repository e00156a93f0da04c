import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { ApiError, api, type Me } from '../api.ts';
import { t } from '../messages.ts';
import { ClientList } from './clients/ClientList.tsx';
import { ClientProfile } from './clients/ClientProfile.tsx';
import { RoutingPreview } from './clients/RoutingPreview.tsx';
import type { Policy } from './clients/shared.tsx';
import { TierPolicy } from './clients/TierPolicy.tsx';

/**
 * Clients in the caller's scope (an RM's own, branch ops' branch, admin's all), the profile of the one
 * selected (`?id=`, so a client can be linked to), the tier policy and a routing preview for one profile.
 */
export default function Clients() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [role, setRole] = useState<Me['role'] | null>(null);

  useEffect(() => {
    api<Policy>('/tiers/policy').then(setPolicy, (e: unknown) =>
      setPolicyError(e instanceof ApiError && e.code !== 'network' ? e.message : t('error.network')),
    );
    api<Me>('/whoami').then(
      (me) => setRole(me.role),
      () => setRole(null),
    );
  }, []);

  const select = (id: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (id) q.set('id', id);
      else q.delete('id');
      return q;
    });

  return (
    <section aria-labelledby="clients-heading">
      <h1 id="clients-heading">{t('clients.heading')}</h1>
      {selected ? (
        <ClientProfile
          id={selected}
          policy={policy}
          canManagePoints={role === 'admin' || role === 'ops'}
          onClose={() => select(null)}
        />
      ) : null}
      <ClientList policy={policy} selected={selected} onSelect={select} />
      {policyError ? (
        <p role="alert">
          {t('error.generic')}
          {policyError}
        </p>
      ) : null}
      {policy ? <TierPolicy policy={policy} /> : null}
      {policy && (role === 'admin' || role === 'ops') ? <RoutingPreview policy={policy} /> : null}
      {policy && role === 'rm' ? <p>{t('clients.previewUnavailable')}</p> : null}
    </section>
  );
}
