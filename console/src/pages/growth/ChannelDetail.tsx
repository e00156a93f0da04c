import { useEffect, useState } from 'react';
import { type ApiError, api, type Ok } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { wordFor } from '../../form-fields.tsx';
import { type MessageKey, t } from '../../messages.ts';
import { aacText, cny, lroiText, medianText, pct } from './shared.ts';

type Profile = Ok<'/channel-profiles/{channelId}', 'get'>;

/** One mix (tier, risk, age band) as a small table of counts. */
function Mix({ title, mix }: { title: MessageKey; mix: Record<string, number> }) {
  return (
    <table>
      <caption>{t(title)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('growth.detail.key')}</th>
          <th scope="col">{t('growth.detail.count')}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(mix).map(([k, n]) => (
          <tr key={k}>
            <th scope="row">{wordFor('growth.mix', k)}</th>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * One channel's profile over the range: its tier, risk and age mixes, top tags and engagement, and each
 * month's figures with the median days to activate.
 */
export function ChannelDetail({
  id,
  name,
  range,
  reload,
  onClose,
}: {
  id: string;
  name: string;
  range: { from: string; to: string };
  reload: number;
  onClose: () => void;
}) {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    setProfile(null);
    setError(null);
    // `reload` re-reads after a recompute.
    void reload;
    api<Profile>(`/channel-profiles/${encodeURIComponent(id)}?${new URLSearchParams(range)}`).then(
      (p) => live && setProfile(p),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [id, range, reload]);

  const title = t('growth.detail.heading', { name: profile?.name ?? name });
  const totals = profile?.totals;
  return (
    <section aria-labelledby="growth-detail-heading" className="panel">
      <h3 id="growth-detail-heading">{title}</h3>
      <button type="button" onClick={onClose}>
        {t('growth.detail.close')}
      </button>
      <ErrorNote error={error} id="growth-detail-error" />
      {!profile || !totals ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : (
        <>
          <p>
            {t('growth.detail.engagement', {
              touched: pct(totals.engagement.touched30d),
              still: pct(totals.engagement.stillContact),
              inGroup: pct(totals.engagement.inGroup),
            })}
          </p>
          <div className="growth-mixes">
            <Mix title="growth.detail.tier" mix={totals.tierMix} />
            <Mix title="growth.detail.risk" mix={totals.riskMix} />
            <Mix title="growth.detail.age" mix={totals.ageBands} />
            {totals.topTags.length === 0 ? (
              <p>{t('growth.detail.noTags')}</p>
            ) : (
              <Mix title="growth.detail.tags" mix={Object.fromEntries(totals.topTags)} />
            )}
          </div>
          <table>
            <caption>{t('growth.detail.months')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('growth.detail.month')}</th>
                <th scope="col">{t('growth.channels.acquired')}</th>
                <th scope="col">{t('growth.channels.activated')}</th>
                <th scope="col">{t('growth.channels.median')}</th>
                <th scope="col">{t('growth.channels.cost')}</th>
                <th scope="col">{t('growth.channels.revenue')}</th>
                <th scope="col">{t('growth.channels.aac')}</th>
                <th scope="col">{t('growth.channels.lroi')}</th>
              </tr>
            </thead>
            <tbody>
              {profile.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td>{m.acquired}</td>
                  <td>{m.activated}</td>
                  <td>{medianText(m.medianDaysToActivate)}</td>
                  <td>{cny(m.cost)}</td>
                  <td>{cny(m.revenue)}</td>
                  <td>{aacText(m)}</td>
                  <td>{lroiText(m)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
