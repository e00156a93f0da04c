import { type FormEvent, useEffect, useState } from 'react';
import { type ApiError, api, type Body, type Me, type Ok } from '../../api.ts';
import { asApiError, ErrorNote, Refusal } from '../../failures.tsx';
import { type MessageKey, messages, t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';
import type { Policy } from '../clients/shared.tsx';
import { InfluenceSummary } from './KocInfluence.tsx';

type Explanation = Ok<'/koc/candidates/{id}', 'get'>;
type Invited = Ok<'/circles/{id}/invites', 'post'>;

const num = (n: number) => n.toFixed(2);
const kindText = (kind: string) => {
  const key = `koc.kind.${kind}`;
  return key in messages ? t(key as MessageKey) : kind;
};
const whenText = (at: string) => `${dayOf(at)} ${timeOf(at)}`;

/**
 * One candidate's score explained (`GET /api/v1/koc/candidates/:id`): every contribution with its kind,
 * weight, age and value decayed to now, summing to the score; the KOC's influence; and an invitation to one of the tier
 * policy's invitation-only circles, showing the join link to send or the API's refusal.
 */
export function KocExplanation({ id, me, onClose }: { id: string; me: Me; onClose: () => void }) {
  const [state, setState] = useState<{ id: string; data?: Explanation; error?: ApiError }>({ id });
  useEffect(() => {
    let live = true;
    setState({ id });
    api<Explanation>(`/koc/candidates/${encodeURIComponent(id)}`).then(
      (data) => live && setState({ id, data }),
      (e: unknown) => live && setState({ id, error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const data = state.id === id ? state.data : undefined;
  const total = data ? data.contributions.reduce((sum, c) => sum + c.decayed, 0) : 0;
  return (
    <section className="profile" aria-labelledby="koc-explanation-heading">
      <h2 id="koc-explanation-heading">{t('koc.explanation', { id })}</h2>
      <Refusal error={state.id === id ? (state.error ?? null) : null} />
      {!data && !state.error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {data ? (
        <>
          <p>
            {t('koc.explanationIntro', {
              at: whenText(data.asOf),
              score: num(data.score),
              days: data.halfLifeDays,
            })}
          </p>
          {data.contributions.length === 0 ? (
            <p>{t('koc.noContributions')}</p>
          ) : (
            <table aria-labelledby="koc-explanation-heading">
              <thead>
                <tr>
                  <th scope="col">{t('koc.colKind')}</th>
                  <th scope="col">{t('koc.colWeight')}</th>
                  <th scope="col">{t('koc.colOccurredAt')}</th>
                  <th scope="col">{t('koc.colAge')}</th>
                  <th scope="col">{t('koc.colDecayed')}</th>
                </tr>
              </thead>
              <tbody>
                {data.contributions.map((c) => (
                  <tr key={c.ref}>
                    <td>{kindText(c.kind)}</td>
                    <td>{c.weight}</td>
                    <td>
                      <time dateTime={c.occurredAt}>{whenText(c.occurredAt)}</time>
                    </td>
                    <td>{t('koc.ageDays', { days: c.ageDays.toFixed(1) })}</td>
                    <td>{num(c.decayed)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={4}>
                    {t('koc.total')}
                  </th>
                  <td>{num(total)}</td>
                </tr>
              </tfoot>
            </table>
          )}
          <InfluenceSummary influence={data.influence} />
          {me.role === 'compliance' ? null : <CircleInvite externalUserid={id} />}
        </>
      ) : null}
      <button type="button" onClick={onClose}>
        {t('koc.close')}
      </button>
    </section>
  );
}

/** Invites the client to a circle chosen from the tier policy (`POST /api/v1/circles/:id/invites`). */
function CircleInvite({ externalUserid }: { externalUserid: string }) {
  const [circles, setCircles] = useState<Policy['circles'] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [circle, setCircle] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ circle: string; joinLink: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    api<Policy>('/tiers/policy').then(
      (p) => {
        setCircles(p.circles);
        setCircle((c) => c || (p.circles[0]?.id ?? ''));
      },
      (e: unknown) => setLoadError(asApiError(e)),
    );
  }, []);

  // A result belongs to the client it was made for.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resets when another client is shown
  useEffect(() => {
    setDone(null);
    setError(null);
  }, [externalUserid]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const body: Body<'/circles/{id}/invites', 'post'> = { externalUserid };
      const r = await api<Invited>(`/circles/${encodeURIComponent(circle)}/invites`, {
        method: 'POST',
        body,
      });
      const name = circles?.find((c) => c.id === circle)?.name ?? circle;
      setDone({ circle: name, joinLink: r.joinLink });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Refusal error={loadError} />;
  if (!circles) return <p aria-busy="true">{t('app.loading')}</p>;
  if (circles.length === 0) return <p>{t('koc.noCircles')}</p>;
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="koc-invite-heading">
      <h3 id="koc-invite-heading">{t('koc.invite')}</h3>
      <label>
        {t('koc.inviteCircle')}{' '}
        <select
          name="circle"
          value={circle}
          onChange={(e) => setCircle(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'koc-invite-error' : undefined}
        >
          {circles.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" disabled={busy || !circle}>
        {busy ? t('koc.inviting') : t('koc.inviteSubmit')}
      </button>{' '}
      <ErrorNote error={error} id="koc-invite-error" field="externalUserid" />
      {done ? (
        <p role="status">
          {t('koc.invited', { circle: done.circle })}
          <a href={done.joinLink} style={{ overflowWrap: 'anywhere' }}>
            {done.joinLink}
          </a>
        </p>
      ) : null}
    </form>
  );
}
