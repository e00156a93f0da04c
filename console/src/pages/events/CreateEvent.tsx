import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Body } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { fieldErrors, shanghaiIso } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import type { Policy } from '../clients/shared.tsx';
import type { EventItem } from './shared.tsx';

const FIELDS = [
  'kind',
  'title',
  'startsAt',
  'endsAt',
  'capacity',
  'audience',
  'invitationComponentId',
  'pointsForAttendance',
] as const;
const KINDS = ['welfare_day', 'night_school', 'tea_party', 'other'] as const;
/** The library's event invitations, offered as suggestions (any approved component id is accepted). */
const INVITATIONS = ['event-welfare-day', 'event-night-school', 'event-koc-tea-party'];

/**
 * Creates an event (`POST /api/v1/events`, admin and ops): kind, title, time (Shanghai), capacity, the
 * audience's tiers, the approved invitation component and the points attendance earns. The API's problem
 * with a field shows next to it.
 */
export function CreateEvent({
  policy,
  onCreated,
}: {
  policy: Policy | null;
  onCreated: (e: EventItem) => void;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<EventItem | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const number = (k: string) => (text(k) === '' ? undefined : Number(text(k)));
    const tiers = f.getAll('tiers').map(String);
    const startsAt = shanghaiIso(text('startsAt'));
    const endsAt = shanghaiIso(text('endsAt'));
    const capacity = number('capacity');
    const points = number('pointsForAttendance');
    // Anything left out goes without: the API says what is missing, next to its field.
    const body = {
      kind: text('kind'),
      title: text('title'),
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(capacity === undefined ? {} : { capacity }),
      audience: tiers.length > 0 ? { tiers } : {},
      invitationComponentId: text('invitationComponentId'),
      ...(points === undefined ? {} : { pointsForAttendance: points }),
    } as Body<'/events', 'post'>;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const created = await api<EventItem>('/events', { method: 'POST', body });
      form.reset();
      setDone(created);
      onCreated(created);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const { invalid, note, general } = fieldErrors(error, 'event', FIELDS);
  return (
    <section aria-labelledby="events-create-heading">
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="events-create-heading">
        <h2 id="events-create-heading">{t('events.create')}</h2>
        <p className="hint">{t('events.createHint')}</p>
        <label>
          {t('events.field.kind')}
          <select name="kind" defaultValue="night_school" {...invalid('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`events.kind.${k}`)}
              </option>
            ))}
          </select>
          {note('kind')}
        </label>
        <label>
          {t('events.field.title')}
          <input name="title" maxLength={40} autoComplete="off" {...invalid('title')} />
          {note('title')}
        </label>
        <label>
          {t('events.field.startsAt')}
          <input name="startsAt" type="datetime-local" {...invalid('startsAt')} />
          {note('startsAt')}
        </label>
        <label>
          {t('events.field.endsAt')}
          <input name="endsAt" type="datetime-local" {...invalid('endsAt')} />
          {note('endsAt')}
        </label>
        <label>
          {t('events.field.capacity')}
          <input
            name="capacity"
            type="number"
            inputMode="numeric"
            min={0}
            max={100000}
            {...invalid('capacity')}
          />
          {note('capacity')}
        </label>
        <fieldset {...invalid('audience')}>
          <legend>{t('events.field.tiers')}</legend>
          {(policy?.tiers ?? []).map((tier) => (
            <label key={tier.id}>
              <input type="checkbox" name="tiers" value={tier.id} /> {tier.name}
            </label>
          ))}
          {note('audience')}
        </fieldset>
        <label>
          {t('events.field.invitationComponentId')}
          <input
            name="invitationComponentId"
            list="event-invitations"
            maxLength={64}
            autoComplete="off"
            {...invalid('invitationComponentId')}
          />
          {note('invitationComponentId')}
        </label>
        <datalist id="event-invitations">
          {INVITATIONS.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
        <label>
          {t('events.field.pointsForAttendance')}
          <input
            name="pointsForAttendance"
            type="number"
            inputMode="numeric"
            min={0}
            {...invalid('pointsForAttendance')}
          />
          {note('pointsForAttendance')}
        </label>
        <Refusal error={general} />
        <button type="submit" disabled={busy}>
          {busy ? t('events.creating') : t('events.createSubmit')}
        </button>
        <div role="status">{done ? t('events.created', { title: done.title, id: done.id }) : null}</div>
      </form>
    </section>
  );
}
