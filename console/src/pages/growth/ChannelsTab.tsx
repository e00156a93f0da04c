import { type FormEvent, lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'wouter';
import { type ApiError, api, type Me, type Ok } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { ChannelDetail } from './ChannelDetail.tsx';
import { CostForm } from './CostForm.tsx';
import { RecomputeButton } from './RecomputeButton.tsx';
import { RevenueImport } from './RevenueImport.tsx';
import { aacText, cny, headOffice, lroiText, medianText, monthBack, useChannels } from './shared.ts';

// ECharts loads after the table is usable.
const BarChart = lazy(() => import('./BarChart.tsx'));

type Profiles = Ok<'/channel-profiles', 'get'>;
type Profile = Ok<'/channel-profiles/{channelId}', 'get'>;

/**
 * Channel profiles over a month range (default the last 3 months): per channel its totals with AAC and
 * LROI, a bar chart of AAC (channels without activations listed below it, not drawn as 0), one channel's
 * detail (`?channel=`), cost entry, and for head office the revenue import and a recompute.
 */
export function ChannelsTab({ me }: { me: Me }) {
  const channels = useChannels();
  const [params, setParams] = useSearchParams();
  const selected = params.get('channel');
  const [range, setRange] = useState({ from: monthBack(2), to: monthBack(0) });
  const [profiles, setProfiles] = useState<Profiles | null>(null);
  const [medians, setMedians] = useState<Record<string, (number | null)[]>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const refresh = () => setReload((n) => n + 1);

  useEffect(() => {
    let live = true;
    setProfiles(null);
    setError(null);
    setMedians({});
    // `reload` re-reads after a recompute.
    void reload;
    const q = new URLSearchParams(range);
    api<Profiles>(`/channel-profiles?${q}`).then(
      (r) => {
        if (!live) return;
        setProfiles(r);
        // The summary carries no median days to activate (it is per month): each channel's months give it.
        for (const c of r.channels) {
          api<Profile>(`/channel-profiles/${encodeURIComponent(c.channelId)}?${q}`).then(
            (p) =>
              live &&
              setMedians((prev) => ({
                ...prev,
                [c.channelId]: p.months.filter((m) => m.activated > 0).map((m) => m.medianDaysToActivate),
              })),
            () => undefined,
          );
        }
      },
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [range, reload]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setRange({ from: String(f.get('from')), to: String(f.get('to')) });
  };
  const select = (id: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (id) q.set('channel', id);
      else q.delete('channel');
      return q;
    });

  const rows = profiles?.channels ?? [];
  const chart = useMemo(() => {
    const plotted = (profiles?.channels ?? []).filter((c) => c.totals.aac !== null);
    return {
      plotted,
      unplotted: (profiles?.channels ?? []).filter((c) => c.totals.aac === null),
      categories: plotted.map((c) => c.name),
      series: [
        { name: t('growth.channels.aac'), color: '#0b3d91', values: plotted.map((c) => c.totals.aac ?? 0) },
      ],
      label: t('growth.channels.aacChartLabel', {
        summary: plotted
          .map((c) => t('growth.channels.aacItem', { name: c.name, aac: aacText(c.totals) }))
          .join(t('growth.sep')),
      }),
    };
  }, [profiles]);
  const medianOf = (id: string) => {
    const m = medians[id];
    if (!m || m.length === 0) return medianText(null);
    if (m.length === 1) return medianText(m[0]);
    return t('growth.channels.medianByMonth', { values: m.map(medianText).join(t('growth.listSep')) });
  };
  const selectedName = rows.find((c) => c.channelId === selected)?.name ?? selected ?? '';

  return (
    <section aria-labelledby="growth-channels-heading">
      <h2 id="growth-channels-heading">{t('growth.channels.heading')}</h2>
      <form className="growth-filters" onSubmit={submit} aria-label={t('growth.channels.heading')}>
        <label>
          {t('growth.fromMonth')}
          <input type="month" name="from" defaultValue={range.from} required />
        </label>
        <label>
          {t('growth.toMonth')}
          <input type="month" name="to" defaultValue={range.to} required />
        </label>
        <button type="submit">{t('growth.show')}</button>
        <a href={`/api/v1/channel-profiles?${new URLSearchParams({ ...range, format: 'csv' })}`} download>
          {t('growth.csv')}
        </a>
      </form>
      {headOffice(me) ? (
        // Head office recomputes the channel profiles for the months shown.
        <RecomputeButton run={() => recomputeProfiles(range)} onDone={refresh} />
      ) : null}
      <ErrorNote error={error} id="growth-channels-error" />
      {profiles === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : rows.length === 0 ? (
        <p>{t('growth.channels.empty')}</p>
      ) : (
        <>
          <table>
            <caption>{t('growth.channels.caption', range)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('growth.channels.channel')}</th>
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
              {rows.map((c) => (
                <tr key={c.channelId}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      aria-label={t('growth.channels.view', { name: c.name })}
                      aria-pressed={c.channelId === selected}
                      onClick={() => select(c.channelId)}
                    >
                      {c.name}
                    </button>
                  </th>
                  <td>{c.totals.acquired}</td>
                  <td>{c.totals.activated}</td>
                  <td>{medianOf(c.channelId)}</td>
                  <td>{cny(c.totals.cost)}</td>
                  <td>{cny(c.totals.revenue)}</td>
                  <td>{aacText(c.totals)}</td>
                  <td>{lroiText(c.totals)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('growth.channels.aacHeading')}</h3>
          {chart.plotted.length === 0 ? (
            <p>{t('growth.channels.aacNone')}</p>
          ) : (
            <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
              <BarChart
                categories={chart.categories}
                series={chart.series}
                label={chart.label}
                format={cny}
              />
            </Suspense>
          )}
          {chart.unplotted.length > 0 ? (
            <p>
              {t('growth.channels.notPlotted', {
                names: chart.unplotted.map((c) => c.name).join(t('growth.listSep')),
              })}
            </p>
          ) : null}
        </>
      )}
      {selected ? (
        <ChannelDetail
          id={selected}
          name={selectedName}
          range={range}
          reload={reload}
          onClose={() => select(null)}
        />
      ) : null}
      <CostForm channels={channels} />
      {headOffice(me) ? <RevenueImport /> : null}
    </section>
  );
}

async function recomputeProfiles(range: { from: string; to: string }): Promise<string> {
  const r = await api<Ok<'/channel-profiles/recompute', 'post'>>('/channel-profiles/recompute', {
    method: 'POST',
    body: range,
  });
  return t('growth.recomputedProfiles', { from: r.from, to: r.to, months: r.months, rows: r.rows });
}
