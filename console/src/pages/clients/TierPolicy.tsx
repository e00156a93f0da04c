import { t } from '../../messages.ts';
import { type Policy, policyName } from './shared.tsx';

const cny = (n: number) => new Intl.NumberFormat('zh-CN').format(n);

/** The tier policy (`GET /api/v1/tiers/policy`): AUM bands, tiers and their entry rules, groups, circles. */
export function TierPolicy({ policy }: { policy: Policy }) {
  const rule = (tier: Policy['tiers'][number]) => {
    const parts = [
      ...(tier.minAumBand ? [t('clients.tierRuleBand', { band: policyName(policy, tier.minAumBand) })] : []),
      ...(tier.minEngagement !== undefined
        ? [t('clients.tierRuleEngagement', { score: tier.minEngagement })]
        : []),
    ];
    return parts.length > 0 ? parts.join(t('clients.tierRuleOr')) : t('clients.tierRuleNone');
  };
  return (
    <section aria-labelledby="clients-policy-heading">
      <h2 id="clients-policy-heading">{t('clients.policy')}</h2>
      <h3>{t('clients.policyBands')}</h3>
      <ul>
        {policy.aumBands.map((b) => (
          <li key={b.id}>
            {b.name} (
            {b.maxCny === undefined
              ? t('clients.bandOpen', { min: cny(b.minCny) })
              : t('clients.bandRange', { min: cny(b.minCny), max: cny(b.maxCny) })}
            )
          </li>
        ))}
      </ul>
      <h3>{t('clients.policyTiers')}</h3>
      <ul>
        {policy.tiers.map((tier) => (
          <li key={tier.id}>
            {tier.name}: {rule(tier)}; {t('clients.capacity', { n: tier.groupCapacity })}
          </li>
        ))}
      </ul>
      <p>{t('clients.policyGrace', { days: policy.downgradeGraceDays })}</p>
      {policy.interestGroups.length > 0 ? (
        <>
          <h3>{t('clients.policyInterest')}</h3>
          <ul>
            {policy.interestGroups.map((g) => (
              <li key={g.id}>
                {g.name}: {t('clients.groupTags', { tags: g.tags.join(t('clients.tagSeparator')) })};{' '}
                {t('clients.capacity', { n: g.groupCapacity })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {policy.circles.length > 0 ? (
        <>
          <h3>{t('clients.policyCircles')}</h3>
          <ul>
            {policy.circles.map((c) => (
              <li key={c.id}>
                {c.name}: {t('clients.capacity', { n: c.groupCapacity })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
