import { type FormEvent, useState } from 'react';
import { type ApiError, api } from '../../api.ts';
import { asApiError, ErrorNote, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import type { Policy } from '../clients/shared.tsx';
import { type Group, KeyOptions } from './shared.tsx';

const FIELDS = ['chatId', 'name', 'groupKey', 'capacity'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Registers a WeCom customer group for routing (`POST /api/v1/groups`, admin and ops): its chat id, name,
 * key and capacity. The API's problem with a field (a chat WeCom does not know, say) shows next to it.
 */
export function RegisterGroup({
  policy,
  onRegistered,
}: {
  policy: Policy;
  onRegistered: (g: Group) => void;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: Field) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const g = await api<Group>('/groups', {
        method: 'POST',
        body: {
          chatId: text('chatId'),
          name: text('name'),
          groupKey: text('groupKey'),
          // Left empty: the API's default. Anything typed goes as typed, and the API says what is wrong.
          ...(text('capacity') === '' ? {} : { capacity: Number(text('capacity')) }),
        },
      });
      form.reset();
      setDone(g.name);
      onRegistered(g);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const problem = (name: Field) => error?.problemFor(name);
  const errorId = (name: Field) => `register-${name}-error`;
  const invalid = (name: Field) =>
    problem(name)
      ? ({ 'aria-invalid': true, 'aria-describedby': errorId(name) } as const)
      : ({ 'aria-invalid': undefined, 'aria-describedby': undefined } as const);
  const note = (name: Field) =>
    problem(name) ? <ErrorNote error={error} id={errorId(name)} field={name} /> : null;
  // A refusal no field explains (every group of the key full, WeCom down) shows for the whole form.
  const general = error && !FIELDS.some((name) => problem(name)) ? error : null;

  return (
    <section aria-labelledby="groups-register-heading">
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="groups-register-heading">
        <h2 id="groups-register-heading">{t('groups.register')}</h2>
        <p className="hint">{t('groups.registerHint')}</p>
        <label>
          {t('groups.field.chatId')}
          <input name="chatId" required maxLength={128} autoComplete="off" {...invalid('chatId')} />
          {note('chatId')}
        </label>
        <label>
          {t('groups.field.name')}
          <input name="name" required maxLength={64} autoComplete="off" {...invalid('name')} />
          {note('name')}
        </label>
        <label>
          {t('groups.field.groupKey')}
          <select name="groupKey" required defaultValue="" {...invalid('groupKey')}>
            <option value="">{t('groups.field.groupKeyChoose')}</option>
            <KeyOptions policy={policy} />
          </select>
          {note('groupKey')}
        </label>
        <label>
          {t('groups.field.capacity')}
          <input
            name="capacity"
            type="number"
            inputMode="numeric"
            min={2}
            max={2000}
            {...invalid('capacity')}
          />
          {note('capacity')}
        </label>
        <Refusal error={general} />
        <button type="submit" disabled={busy}>
          {busy ? t('groups.registering') : t('groups.registerSubmit')}
        </button>
        <div role="status">{done ? t('groups.registered', { name: done }) : null}</div>
      </form>
    </section>
  );
}
