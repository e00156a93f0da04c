import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Body } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { fieldErrors, shanghaiIso } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import type { Policy } from '../clients/shared.tsx';
import type { Sale } from './shared.tsx';

const FIELDS = [
  'id',
  'name',
  'itemName',
  'stock',
  'keyword',
  'opensAt',
  'closesAt',
  'eligibility',
  'returnUnclaimed',
] as const;
const RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;

/**
 * Creates a flash sale (`POST /api/v1/flash-sales`, admin and ops): id, name, item, stock, keyword, claim
 * window (Shanghai), eligibility (tiers, risk levels, new clients within days) and whether unclaimed
 * benefits return to the stock. The API's problem with a field shows next to it.
 */
export function CreateSale({ policy, onCreated }: { policy: Policy | null; onCreated: (s: Sale) => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const tiers = f.getAll('tiers').map(String);
    const riskLevels = f.getAll('riskLevels').map(String) as (typeof RISK_LEVELS)[number][];
    const days = text('newClientsWithinDays');
    const eligibility = {
      ...(tiers.length > 0 ? { tiers } : {}),
      ...(riskLevels.length > 0 ? { riskLevels } : {}),
      ...(days === '' ? {} : { newClientsWithinDays: Number(days) }),
    };
    const opensAt = shanghaiIso(text('opensAt'));
    const closesAt = shanghaiIso(text('closesAt'));
    // Anything left out goes without: the API says what is missing, next to its field.
    const body = {
      id: text('id'),
      name: text('name'),
      itemName: text('itemName'),
      ...(text('stock') === '' ? {} : { stock: Number(text('stock')) }),
      ...(text('keyword') === '' ? {} : { keyword: text('keyword') }),
      ...(opensAt ? { opensAt } : {}),
      ...(closesAt ? { closesAt } : {}),
      ...(Object.keys(eligibility).length > 0 ? { eligibility } : {}),
      returnUnclaimed: f.get('returnUnclaimed') === 'on',
    } as Body<'/flash-sales', 'post'>;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const sale = await api<Sale>('/flash-sales', { method: 'POST', body });
      form.reset();
      setDone(sale.name);
      onCreated(sale);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const { invalid, note, general } = fieldErrors(error, 'flash', FIELDS);
  return (
    <section aria-labelledby="flash-create-heading">
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="flash-create-heading">
        <h2 id="flash-create-heading">{t('flash.create')}</h2>
        <p className="hint">{t('flash.createHint')}</p>
        <label>
          {t('flash.field.id')}
          <input name="id" maxLength={64} autoComplete="off" {...invalid('id')} />
          {note('id')}
        </label>
        <label>
          {t('flash.field.name')}
          <input name="name" maxLength={64} autoComplete="off" {...invalid('name')} />
          {note('name')}
        </label>
        <label>
          {t('flash.field.itemName')}
          <input name="itemName" maxLength={20} autoComplete="off" {...invalid('itemName')} />
          {note('itemName')}
        </label>
        <label>
          {t('flash.field.stock')}
          <input name="stock" type="number" inputMode="numeric" min={1} {...invalid('stock')} />
          {note('stock')}
        </label>
        <label>
          {t('flash.field.keyword')}
          <input name="keyword" maxLength={16} autoComplete="off" {...invalid('keyword')} />
          {note('keyword')}
        </label>
        <label>
          {t('flash.field.opensAt')}
          <input name="opensAt" type="datetime-local" {...invalid('opensAt')} />
          {note('opensAt')}
        </label>
        <label>
          {t('flash.field.closesAt')}
          <input name="closesAt" type="datetime-local" {...invalid('closesAt')} />
          {note('closesAt')}
        </label>
        <fieldset {...invalid('eligibility')}>
          <legend>{t('flash.field.tiers')}</legend>
          {(policy?.tiers ?? []).map((tier) => (
            <label key={tier.id}>
              <input type="checkbox" name="tiers" value={tier.id} /> {tier.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('flash.field.riskLevels')}</legend>
          {RISK_LEVELS.map((level) => (
            <label key={level}>
              <input type="checkbox" name="riskLevels" value={level} /> {level}
            </label>
          ))}
        </fieldset>
        <label>
          {t('flash.field.newClientsWithinDays')}
          <input name="newClientsWithinDays" type="number" inputMode="numeric" min={1} max={3650} />
        </label>
        {note('eligibility')}
        <label>
          <input type="checkbox" name="returnUnclaimed" {...invalid('returnUnclaimed')} />{' '}
          {t('flash.field.returnUnclaimed')}
          {note('returnUnclaimed')}
        </label>
        <Refusal error={general} />
        <button type="submit" disabled={busy}>
          {busy ? t('flash.creating') : t('flash.createSubmit')}
        </button>
        <div role="status">{done ? t('flash.created', { name: done }) : null}</div>
      </form>
    </section>
  );
}
