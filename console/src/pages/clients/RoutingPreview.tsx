import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { type MessageKey, t } from '../../messages.ts';
import { type Policy, policyName } from './shared.tsx';

type Decision = {
  externalUserid: string;
  tier: string;
  change: 'new' | 'up' | 'down' | 'none';
  pendingDowngradeTo: string | null;
  joins: string[];
  leaves: string[];
  explanations: { code: string; text: string }[];
};

/** The API's name for a form field: the preview takes a list of clients and this form sends one. */
const apiField = (name: string) => `clients.0.${name}`;

/**
 * Where one profile would be routed (`POST /api/v1/tiers/preview`; nothing is written): the tier, the
 * groups it would join and why. The API's problem with a field shows next to that field.
 */
export function RoutingPreview({ policy }: { policy: Policy }) {
  const [result, setResult] = useState<Decision | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const score = text('engagementScore');
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ items: Decision[] }>('/tiers/preview', {
        method: 'POST',
        body: {
          clients: [
            {
              aumBand: text('aumBand') || null,
              // Sent as typed: the API says what is wrong with it, next to the field.
              engagementScore: score === '' ? null : Number(score),
              tags: text('tags')
                .split(/[,\uff0c\u3001\s]+/) // ASCII or full-width commas, enumeration commas, spaces
                .filter(Boolean),
            },
          ],
        },
      });
      setResult(r.items[0] ?? null);
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', ''));
    } finally {
      setBusy(false);
    }
  };

  const problem = (name: string) => error?.problemFor(apiField(name));
  const described = (name: string) => (problem(name) ? `preview-${name}-error` : undefined);
  const fieldError = (name: string) => {
    const p = problem(name);
    return p ? (
      <span className="field-error" id={`preview-${name}-error`}>
        {p}
      </span>
    ) : null;
  };

  return (
    <section aria-labelledby="clients-preview-heading">
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="clients-preview-heading">
        <h2 id="clients-preview-heading">{t('clients.preview')}</h2>
        <p className="hint">{t('clients.previewHint')}</p>
        <label>
          {t('clients.previewAum')}
          <select
            name="aumBand"
            defaultValue=""
            aria-invalid={problem('aumBand') ? true : undefined}
            aria-describedby={described('aumBand')}
          >
            <option value="">{t('clients.previewAumNone')}</option>
            {policy.aumBands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          {fieldError('aumBand')}
        </label>
        <label>
          {t('clients.previewScore')}
          <input
            name="engagementScore"
            type="number"
            inputMode="numeric"
            aria-invalid={problem('engagementScore') ? true : undefined}
            aria-describedby={described('engagementScore')}
          />
          {fieldError('engagementScore')}
        </label>
        <label>
          {t('clients.previewTags')}
          <input
            name="tags"
            aria-invalid={problem('tags') ? true : undefined}
            aria-describedby={described('tags')}
          />
          {fieldError('tags')}
        </label>
        {error ? (
          <p role="alert">
            {t('error.generic')}
            {error.code === 'network' ? t('error.network') : error.message}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t('clients.previewRunning') : t('clients.previewSubmit')}
        </button>
      </form>
      {result ? (
        <div className="preview-result" role="status" aria-labelledby="clients-preview-result">
          <h3 id="clients-preview-result">{t('clients.previewResult')}</h3>
          <p>{t('clients.previewTier', { tier: policyName(policy, result.tier) })}</p>
          <p>{t('clients.previewChange', { change: t(`clients.change.${result.change}` as MessageKey) })}</p>
          {result.pendingDowngradeTo ? (
            <p>{t('clients.previewDowngrade', { tier: policyName(policy, result.pendingDowngradeTo) })}</p>
          ) : null}
          <h4>{t('clients.previewJoins')}</h4>
          {result.joins.length > 0 ? (
            <ul>
              {result.joins.map((g) => (
                <li key={g}>{policyName(policy, g)}</li>
              ))}
            </ul>
          ) : (
            <p>{t('clients.previewNoJoins')}</p>
          )}
          <h4>{t('clients.previewWhy')}</h4>
          <ul>
            {result.explanations.map((x) => (
              <li key={`${x.code}-${x.text}`}>{x.text}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
