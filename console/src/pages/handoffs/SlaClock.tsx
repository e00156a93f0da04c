import { useEffect, useState } from 'react';
import type { Schema } from '../../api.ts';
import { t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';

/** The current instant, updated every second while the component is mounted (one timer for the page). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** A span of time as `MM:SS`, or `H:MM:SS` from an hour on. */
export function formatSpan(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Red with enough contrast on white (the same red as the console's alerts). */
const OVERDUE = { color: '#b42318', fontWeight: 600 } as const;

type Props = Pick<Schema<'Conversation'>, 'ownerState' | 'slaDueAt' | 'slaKept'> & { now: number };

/**
 * A hand-off's SLA: while nobody has taken it over, the time left until `slaDueAt` (or how long overdue,
 * in red), ticking with `now`; once decided, whether a person took over in time. The due time is Shanghai's.
 */
export function SlaClock({ ownerState, slaDueAt, slaKept, now }: Props) {
  const due = slaDueAt ? (
    <span className="hint">
      {' '}
      <time dateTime={slaDueAt}>{t('handoffs.dueAt', { day: dayOf(slaDueAt), time: timeOf(slaDueAt) })}</time>
    </span>
  ) : null;
  if (ownerState === 'pending-human' && slaDueAt) {
    const left = new Date(slaDueAt).getTime() - now;
    return (
      <>
        {left > 0 ? (
          <span role="timer" className="sla-clock">
            {t('handoffs.slaLeft', { time: formatSpan(left) })}
          </span>
        ) : (
          <span role="timer" className="sla-clock" style={OVERDUE}>
            {t('handoffs.slaOverdue', { time: formatSpan(left) })}
          </span>
        )}
        {due}
      </>
    );
  }
  if (!slaDueAt) return <span>{t('handoffs.slaNone')}</span>;
  // Closed before anyone took it over, and before the SLA check marked it breached: the API has no verdict.
  if (slaKept === null)
    return (
      <>
        <span>{t('handoffs.slaUndecided')}</span>
        {due}
      </>
    );
  return (
    <>
      <span style={slaKept ? undefined : OVERDUE}>
        {t(slaKept ? 'handoffs.slaKept' : 'handoffs.slaMissed')}
      </span>
      {due}
    </>
  );
}
