import { useSearchParams } from 'wouter';
import type { Me } from '../api.ts';
import { t } from '../messages.ts';
import { ChannelsTab } from './growth/ChannelsTab.tsx';
import { CohortsTab } from './growth/CohortsTab.tsx';
import { FunnelTab } from './growth/FunnelTab.tsx';
import './growth/growth.css';

const TABS = ['funnel', 'cohorts', 'channels'] as const;
type Tab = (typeof TABS)[number];

/**
 * Growth analysis (admin, ops; a branch's ops see their branch): the acquisition funnel with churn, the
 * retention cohorts, and the channel profiles with AAC and LROI, cost entry and the revenue import. The
 * section is `?tab=funnel|cohorts|channels`, so each can be linked to.
 */
export default function Growth({ me }: { me: Me }) {
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.find((k) => k === asked) ?? 'funnel';
  const open = (k: Tab) =>
    setParams(() => {
      const q = new URLSearchParams();
      q.set('tab', k);
      return q;
    });
  return (
    <section aria-labelledby="growth-heading">
      <h1 id="growth-heading">{t('growth.heading')}</h1>
      <nav aria-label={t('growth.tabs')} className="growth-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" aria-pressed={k === tab} onClick={() => open(k)}>
            {t(`growth.tab.${k}`)}
          </button>
        ))}
      </nav>
      {tab === 'funnel' ? <FunnelTab me={me} /> : null}
      {tab === 'cohorts' ? <CohortsTab /> : null}
      {tab === 'channels' ? <ChannelsTab me={me} /> : null}
    </section>
  );
}
