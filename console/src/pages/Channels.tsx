import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Body, type Ok, type Schema } from '../api.ts';
import { t } from '../messages.ts';

type Channel = Schema<'Channel'>;

/** Acquisition channels: create one (a WeCom contact-me code) and show its QR code to download. */
export default function Channels() {
  const [items, setItems] = useState<Channel[]>([]);
  const [created, setCreated] = useState<Channel | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<Ok<'/channels', 'get'>>('/channels?limit=200').then((r) => setItems(r.items), setError);
  }, []);
  useEffect(load, [load]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const channel = await api<Ok<'/channels', 'post'>>('/channels', {
        method: 'POST',
        body: {
          id: text('id'),
          name: text('name'),
          state: text('state'),
          cost: Number(text('cost') || 0),
          rmUserids: text('rmUserids')
            .split(/[,\uff0c\s]+/) // ASCII or full-width commas, or spaces
            .filter(Boolean),
        } satisfies Body<'/channels', 'post'>,
      });
      setCreated(channel);
      load();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', t('error.network')));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string, label: string, hint?: string, type = 'text') => {
    const problem = error?.problemFor(name);
    return (
      <label>
        {label}
        <input
          name={name}
          type={type}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${name}-error` : undefined}
        />
        {hint ? <span className="hint">{hint}</span> : null}
        {problem ? (
          <span className="field-error" id={`${name}-error`}>
            {problem}
          </span>
        ) : null}
      </label>
    );
  };

  return (
    <section aria-labelledby="channels-heading">
      <h1 id="channels-heading">{t('channels.heading')}</h1>
      <form className="stack" onSubmit={submit} aria-label={t('channels.create')}>
        <h2>{t('channels.create')}</h2>
        {field('id', t('channels.id'), t('channels.idHint'))}
        {field('name', t('channels.name'))}
        {field('state', t('channels.state'), t('channels.stateHint'))}
        {field('rmUserids', t('channels.rms'))}
        {field('cost', t('channels.cost'), undefined, 'number')}
        {error ? (
          <p role="alert">
            {t('error.generic')}
            {error.message || t('error.network')}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t('channels.submitting') : t('channels.submit')}
        </button>
      </form>
      {created ? (
        <div className="qr" role="status">
          <p>{t('channels.created')}</p>
          {created.qrCode ? (
            <>
              <img src={created.qrCode} alt={`${t('channels.qrAlt')}${created.name}`} />
              <p>
                <a href={created.qrCode} download={`${created.id}.png`}>
                  {t('channels.download')}
                </a>
              </p>
            </>
          ) : (
            <p>{t('channels.noQr')}</p>
          )}
        </div>
      ) : null}
      <h2>{t('channels.list')}</h2>
      {items.length === 0 ? (
        <p>{t('channels.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('channels.id')}</th>
              <th scope="col">{t('channels.name')}</th>
              <th scope="col">{t('channels.state')}</th>
              <th scope="col">{t('channels.clients')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>{c.id}</td>
                <td>{c.name}</td>
                <td>{c.state}</td>
                <td>{c.clients ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
