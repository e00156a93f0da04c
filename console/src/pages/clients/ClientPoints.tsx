import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type ApiError, api, type Body, type Ok } from '../../api.ts';
import { asApiError, ErrorNote, Refusal } from '../../failures.tsx';
import { type MessageKey, messages, t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';

type Points = Ok<'/clients/{id}/points', 'get'>;
type Entry = Points['ledger']['items'][number];

const PAGE_SIZE = 20;

/** The catalogue's words for `key`, or `raw` itself for a value the catalogue does not know. */
const known = (key: string, raw: string): string => (key in messages ? t(key as MessageKey) : raw);
/** An amount with its sign: `+100`, `-100`. */
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * A client's points (`GET /api/v1/clients/:id/points`): balance, membership level and its benefits, and
 * the ledger newest first, a page at a time. Admin and ops also grant points with a reason and reverse an
 * entry with a reason after confirming; the API's refusal is shown where it happened.
 */
export function ClientPoints({ id, canManage }: { id: string; canManage: boolean }) {
  const [summary, setSummary] = useState<Omit<Points, 'ledger'> | null>(null);
  const [items, setItems] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // A page for a client no longer shown, or for an earlier start, is dropped.
  const generation = useRef(0);

  const load = async (cursor: string | null) => {
    const mine = cursor ? generation.current : ++generation.current;
    setBusy(true);
    setError(null);
    try {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) q.set('cursor', cursor);
      const r = await api<Points>(`/clients/${encodeURIComponent(id)}/points?${q}`);
      if (mine !== generation.current) return;
      const { ledger, ...rest } = r;
      setSummary(rest);
      setItems((prev) => (cursor ? [...prev, ...ledger.items] : ledger.items));
      setNext(ledger.nextCursor);
    } catch (e) {
      if (mine === generation.current) setError(asApiError(e));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads for another client, nothing else
  useEffect(() => {
    setSummary(null);
    setItems([]);
    setNext(null);
    void load(null);
  }, [id]);

  return (
    <section aria-labelledby="client-points-heading">
      <h3 id="client-points-heading">{t('points.heading')}</h3>
      <Refusal error={error} />
      {!summary && !error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {summary ? (
        <dl>
          <dt>{t('points.balance')}</dt>
          <dd data-testid="points-balance">{summary.balance}</dd>
          <dt>{t('points.level')}</dt>
          <dd>{summary.membership.name}</dd>
          <dt>{t('points.benefits')}</dt>
          <dd>
            {summary.membership.benefits.length > 0
              ? summary.membership.benefits.join(t('points.benefitSeparator'))
              : t('clients.none')}
          </dd>
        </dl>
      ) : null}
      {canManage && summary ? <GrantForm id={id} onDone={() => void load(null)} /> : null}
      <h4 id="client-ledger-heading">{t('points.ledger')}</h4>
      {summary && items.length === 0 ? <p>{t('points.ledgerEmpty')}</p> : null}
      {items.length > 0 ? (
        <table aria-labelledby="client-ledger-heading">
          <thead>
            <tr>
              <th scope="col">{t('points.colAt')}</th>
              <th scope="col">{t('points.colKind')}</th>
              <th scope="col">{t('points.colAmount')}</th>
              <th scope="col">{t('points.colReason')}</th>
              <th scope="col">{t('points.colSource')}</th>
              {canManage ? <th scope="col">{t('points.colActions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.createdAt}>{`${dayOf(e.createdAt)} ${timeOf(e.createdAt)}`}</time>
                </td>
                <td>
                  {known(`points.kind.${e.kind}`, e.kind)}
                  {e.reversedBy !== null ? <div>{t('points.reversed', { id: e.reversedBy })}</div> : null}
                  {e.reversesId !== null ? <div>{t('points.reverses', { id: e.reversesId })}</div> : null}
                </td>
                <td>{signed(e.amount)}</td>
                <td>{e.reason}</td>
                <td style={{ overflowWrap: 'anywhere' }}>
                  {t('points.sourceText', {
                    type: known(`points.source.${e.source.type}`, e.source.type),
                    id: e.source.id,
                  })}
                </td>
                {canManage ? (
                  <td>
                    {e.kind === 'reversal' ? null : <Reversal entry={e} onDone={() => void load(null)} />}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void load(next)}>
            {busy ? t('points.loadingMore') : t('points.more')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** Grants points with a reason (`POST /api/v1/clients/:id/points/grants`). */
function GrantForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // A field left empty or not a number goes as it is, so the API names the problem next to it.
      const body = { amount: amount.trim() === '' ? amount : Number(amount), reason } as Body<
        '/clients/{id}/points/grants',
        'post'
      >;
      const r = await api<Ok<'/clients/{id}/points/grants', 'post'>>(
        `/clients/${encodeURIComponent(id)}/points/grants`,
        { method: 'POST', body },
      );
      setDone(
        r.duplicate
          ? t('points.grantDuplicate')
          : t('points.granted', { amount: String(body.amount), balance: r.balance }),
      );
      setAmount('');
      setReason('');
      onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const amountProblem = error?.problemFor('amount');
  const reasonProblem = error?.problemFor('reason');
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="points-grant-heading">
      <h4 id="points-grant-heading">{t('points.grant')}</h4>
      <label>
        {t('points.grantAmount')}{' '}
        <input
          name="amount"
          type="number"
          min={1}
          step={1}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={amountProblem ? true : undefined}
          aria-describedby={amountProblem ? 'points-amount-error' : undefined}
        />
      </label>{' '}
      <ErrorNote error={amountProblem ? error : null} id="points-amount-error" field="amount" />
      <label>
        {t('points.grantReason')}{' '}
        <input
          name="reason"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={reasonProblem ? true : undefined}
          aria-describedby={reasonProblem ? 'points-reason-error' : undefined}
        />
      </label>{' '}
      <ErrorNote error={reasonProblem ? error : null} id="points-reason-error" field="reason" />
      <button type="submit" disabled={busy}>
        {busy ? t('points.granting') : t('points.grantSubmit')}
      </button>
      {error && !amountProblem && !reasonProblem ? <Refusal error={error} /> : null}
      {done ? <p role="status">{done}</p> : null}
    </form>
  );
}

/**
 * A ledger entry's reversal (`POST /api/v1/points/entries/:id/reversal`): the button opens a reason and a
 * confirmation; a refusal (already reversed, already used) is shown in the row.
 */
function Reversal({ entry, onDone }: { entry: Entry; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const errorId = `points-reverse-${entry.id}-error`;
  const hintId = `points-reverse-${entry.id}-hint`;

  if (!open) {
    // An entry already reversed shows no button; a stale page may still offer it, and the API then refuses.
    return entry.reversedBy === null ? (
      <>
        <button
          type="button"
          aria-label={t('points.reverseForm', { id: entry.id })}
          onClick={() => setOpen(true)}
        >
          {t('points.reverseButton')}
        </button>
        <ErrorNote error={error} id={errorId} />
      </>
    ) : null;
  }

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Body<'/points/entries/{id}/reversal', 'post'> = { reason };
      await api<Ok<'/points/entries/{id}/reversal', 'post'>>(`/points/entries/${entry.id}/reversal`, {
        method: 'POST',
        body,
      });
      setOpen(false);
      onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label={t('points.reverseForm', { id: entry.id })}>
      <p className="hint" id={hintId}>
        {t('points.reverseHint')}
      </p>
      <label>
        {t('points.reverseReason')}{' '}
        <input
          name="reason"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        />
      </label>{' '}
      <button type="submit" disabled={busy}>
        {busy ? t('points.reversing') : t('points.reverseConfirm')}
      </button>{' '}
      <button type="button" onClick={() => setOpen(false)}>
        {t('points.reverseCancel')}
      </button>
      <ErrorNote error={error} id={errorId} field="reason" />
    </form>
  );
}
