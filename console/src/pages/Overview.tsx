import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type MessageKey, t } from '../messages.ts';
import { dayOf, startOfDay, timeOf } from '../time.ts';
import { DeliveryCharts } from './overview/DeliveryCharts.tsx';

type Occurrence = { entryId: string; name: string; channel: string; at: string; status: string };
type Deflection = { overall: { asked: number; deflectionRate: number } };

/**
 * Today at a glance: the calendar's posts, open hand-offs, failures and the bot's self-service rate; then
 * the last 14 days' deliveries and send funnel as charts.
 */
export function Overview() {
  const [today, setToday] = useState<Occurrence[] | null>(null);
  const [handoffs, setHandoffs] = useState<number | null>(null);
  const [deflection, setDeflection] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const day = dayOf(new Date());
    const range = `from=${startOfDay(day).toISOString()}&to=${startOfDay(day, 1).toISOString()}`;
    const fail = (e: unknown) =>
      setError(e instanceof ApiError ? e.message || t('error.network') : String(e));
    api<{ items: Occurrence[] }>(`/calendar?${range}`).then((r) => setToday(r.items), fail);
    api<{ items: unknown[] }>('/conversations?state=pending-human&limit=500').then(
      (r) => setHandoffs(r.items.length),
      () => setHandoffs(null),
    );
    api<Deflection>('/faq/deflection?days=1').then(
      (r) => setDeflection(r.overall.asked > 0 ? `${Math.round(100 * r.overall.deflectionRate)}%` : null),
      () => setDeflection(null),
    );
  }, []);
  const failed = today?.filter((o) => o.status === 'failed' || o.status === 'missed').length;
  const card = (label: MessageKey, value: string | number | null | undefined) => (
    <div className="card">
      <div>{t(label)}</div>
      <div className="value">{value ?? t('overview.noData')}</div>
    </div>
  );
  return (
    <section aria-labelledby="overview-heading">
      <h1 id="overview-heading">{t('overview.heading')}</h1>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error}
        </p>
      ) : null}
      <div className="cards">
        {card('overview.occurrencesToday', today?.length)}
        {card('overview.openHandoffs', handoffs)}
        {card('overview.failedToday', failed)}
        {card('overview.deflection', deflection)}
      </div>
      <DeliveryCharts days={14} />
      <h2>{t('overview.todayList')}</h2>
      <table>
        <tbody>
          {(today ?? []).map((o) => (
            <tr key={`${o.entryId}-${o.at}`}>
              <td>{timeOf(o.at)}</td>
              <td>{o.name}</td>
              <td>{t(`channel.${o.channel}` as MessageKey)}</td>
              <td>{t(`status.${o.status}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
