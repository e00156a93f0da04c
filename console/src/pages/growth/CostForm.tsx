import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Body, type Ok } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { fieldErrors } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { channelName, cny, monthBack, type useChannels } from './shared.ts';

const FIELDS = ['channel', 'month', 'cost', 'reach', 'note'] as const;

/**
 * Enter (or replace) a channel's cost and reach for a month (`PUT /channels/:id/costs/:month`); the API's
 * problem with a field shows beside it. The profiles count it from their next recompute.
 */
export function CostForm({ channels }: { channels: ReturnType<typeof useChannels> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const errors = fieldErrors(error, 'growth-cost', FIELDS);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const channel = text('channel');
    const reach = text('reach');
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const saved = await api<Ok<'/channels/{id}/costs/{month}', 'put'>>(
        `/channels/${encodeURIComponent(channel)}/costs/${encodeURIComponent(text('month'))}`,
        {
          method: 'PUT',
          // The cost goes as typed text: the API checks its format (two decimals, not negative).
          body: {
            cost: text('cost'),
            ...(reach ? { reach: Number(reach) } : {}),
            ...(text('note') ? { note: text('note') } : {}),
          } satisfies Body<'/channels/{id}/costs/{month}', 'put'>,
        },
      );
      setNotice(
        t('growth.cost.saved', {
          channel: channelName(channels, saved.channelId),
          month: saved.month,
          cost: cny(Number(saved.cost)),
        }),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="growth-cost-heading">
      <h3 id="growth-cost-heading">{t('growth.cost.heading')}</h3>
      <form className="stack" onSubmit={submit} aria-labelledby="growth-cost-heading">
        <label>
          {t('growth.cost.channel')}
          <select name="channel" required {...errors.invalid('channel')}>
            {(channels ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.note('channel')}
        </label>
        <label>
          {t('growth.cost.month')}
          <input
            type="month"
            name="month"
            defaultValue={monthBack(0)}
            required
            {...errors.invalid('month')}
          />
          {errors.note('month')}
        </label>
        <label>
          {t('growth.cost.cost')}
          <input name="cost" inputMode="decimal" required {...errors.invalid('cost')} />
          {errors.note('cost')}
        </label>
        <label>
          {t('growth.cost.reach')}
          <input name="reach" type="number" min={0} step={1} {...errors.invalid('reach')} />
          {errors.note('reach')}
        </label>
        <label>
          {t('growth.cost.note')}
          <input name="note" maxLength={200} {...errors.invalid('note')} />
          {errors.note('note')}
        </label>
        <Refusal error={errors.general} />
        <button type="submit" disabled={busy}>
          {busy ? t('growth.cost.saving') : t('growth.cost.submit')}
        </button>
        <p role="status">{notice}</p>
      </form>
    </section>
  );
}
