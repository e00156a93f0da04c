import { useEffect, useState } from 'react';
import { api, type Me } from '../api.ts';
import { t } from '../messages.ts';
import type { Policy } from './clients/shared.tsx';
import { CreateEvent } from './events/CreateEvent.tsx';
import { EventDetail } from './events/EventDetail.tsx';
import { EventList } from './events/EventList.tsx';

/**
 * The events page: the events with their sign-up figures; ops create one, open one for its stats and
 * sign-ups, import its attendance and cancel a sign-up after confirming. RMs read (their own clients').
 */
export default function Events({ me }: { me: Me }) {
  // The roles `POST /events`, `…/attendance/import` and `DELETE …/signups/:id` allow; an RM only reads.
  const operates = me.role === 'admin' || me.role === 'ops';
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  // Bumped whenever an event or its figures changed on the page: the list loads again.
  const [changed, setChanged] = useState(0);

  useEffect(() => {
    // The tier names for the audience; without them the form still takes the tier ids.
    if (operates) api<Policy>('/tiers/policy').then(setPolicy, () => undefined);
  }, [operates]);

  return (
    <section aria-labelledby="events-heading">
      <h1 id="events-heading">{t('events.heading')}</h1>
      <p className="hint">{t('events.intro')}</p>
      <EventList reload={changed} onOpen={setOpen} />
      {open !== null ? (
        <EventDetail
          key={open}
          id={open}
          operates={operates}
          onChanged={() => setChanged((n) => n + 1)}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {operates ? (
        <CreateEvent policy={policy} onCreated={() => setChanged((n) => n + 1)} />
      ) : (
        <p>{t('events.rmReadOnly')}</p>
      )}
    </section>
  );
}
