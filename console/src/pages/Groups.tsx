import { useEffect, useState } from 'react';
import { type ApiError, api, type Me } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { RoutingPreview } from './clients/RoutingPreview.tsx';
import type { Policy } from './clients/shared.tsx';
import { TierPolicy } from './clients/TierPolicy.tsx';
import { GroupList } from './groups/GroupList.tsx';
import { RegisterGroup } from './groups/RegisterGroup.tsx';

/**
 * The groups and tiers page: the customer groups routing uses (admin and ops register and archive them), the tier policy, and where one
 * client profile would be routed and why. The policy and the preview are the clients page's own components:
 * one form for one API, whichever page it is used from.
 */
export default function Groups({ me }: { me: Me }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [policyError, setPolicyError] = useState<ApiError | null>(null);
  const [registered, setRegistered] = useState(0);
  // The roles `POST /groups/:chatId/archive` and `POST /tiers/preview` allow; an RM only reads.
  const operates = me.role === 'admin' || me.role === 'ops';

  useEffect(() => {
    api<Policy>('/tiers/policy').then(setPolicy, (e: unknown) => setPolicyError(asApiError(e)));
  }, []);

  return (
    <section aria-labelledby="groups-heading">
      <h1 id="groups-heading">{t('groups.heading')}</h1>
      <p className="hint">{t('groups.intro')}</p>
      <GroupList policy={policy} canArchive={operates} reload={registered} />
      {policy && operates ? (
        <RegisterGroup policy={policy} onRegistered={() => setRegistered((n) => n + 1)} />
      ) : null}
      <Refusal error={policyError} />
      {policy ? <TierPolicy policy={policy} /> : null}
      {policy && operates ? <RoutingPreview policy={policy} /> : null}
      {operates ? null : <p>{t('groups.rmReadOnly')}</p>}
    </section>
  );
}
