import { useEffect, useState } from 'react';
import { type ApiError, api, type Ok, type Schema } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';

type Influence = Schema<'KocInfluence'>;
type Measure = Influence['activated'];

const LIMIT = 50;

const pct = (x: number | null) => (x === null ? t('kocInfluence.none') : `${(x * 100).toFixed(1)}%`);

/** A measure as people read it: rate, baseline and the lift in percentage points ("too few" when so). */
export function measureText(m: Measure, tooFew: boolean): string {
  const lift =
    tooFew || m.liftPp === null
      ? t('kocInfluence.tooFew')
      : t('kocInfluence.lift', { sign: m.liftPp > 0 ? '+' : '', pp: m.liftPp.toFixed(1) });
  return t('kocInfluence.measure', { rate: pct(m.rate), baseline: pct(m.baseline), lift });
}

/** The figures of one KOC, as table cells after their id. */
function Cells({ i }: { i: Influence }) {
  return (
    <>
      <td>{i.brought}</td>
      <td>{i.answered}</td>
      <td>{i.invited}</td>
      <td>{i.people}</td>
      <td>{measureText(i.activated, i.tooFew)}</td>
      <td>{measureText(i.retained, i.tooFew)}</td>
      <td>{measureText(i.engaged, i.tooFew)}</td>
    </>
  );
}

function Header({ first }: { first: boolean }) {
  return (
    <thead>
      <tr>
        {first ? <th scope="col">{t('kocInfluence.colId')}</th> : null}
        <th scope="col">{t('kocInfluence.colBrought')}</th>
        <th scope="col">{t('kocInfluence.colAnswered')}</th>
        <th scope="col">{t('kocInfluence.colInvited')}</th>
        <th scope="col">{t('kocInfluence.colPeople')}</th>
        <th scope="col">{t('kocInfluence.colActivated')}</th>
        <th scope="col">{t('kocInfluence.colRetained')}</th>
        <th scope="col">{t('kocInfluence.colEngaged')}</th>
      </tr>
    </thead>
  );
}

/**
 * KOCs ranked by influence (`GET /api/v1/koc/influence`, scoped like the candidates): whom each brought,
 * answered and invited, and their people's activated, retained and engaged rates against the baseline of
 * similar clients without a KOC, with the lift in percentage points.
 */
export function InfluenceList({ onSelect }: { onSelect: (id: string) => void }) {
  const [items, setItems] = useState<Influence[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api<Ok<'/koc/influence', 'get'>>(`/koc/influence?limit=${LIMIT}`).then(
      (r) => live && setItems(r.items),
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <section aria-labelledby="koc-influence" aria-busy={items === null && !error}>
      <h2 id="koc-influence">{t('kocInfluence.heading')}</h2>
      <p className="hint">{t('kocInfluence.intro')}</p>
      <p>
        <a href={`/api/v1/koc/influence?limit=${LIMIT}&format=csv`} download>
          {t('kocInfluence.csv')}
        </a>
      </p>
      <Refusal error={error} />
      {items === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : items.length === 0 ? (
        <p>{t('kocInfluence.empty')}</p>
      ) : (
        <table aria-labelledby="koc-influence">
          <Header first />
          <tbody>
            {items.map((i) => (
              <tr key={i.externalUserid}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onSelect(i.externalUserid)}>
                    {i.externalUserid}
                  </button>
                </th>
                <Cells i={i} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One KOC's influence inside the score explanation; says so when the nightly job has not computed it. */
export function InfluenceSummary({ influence }: { influence: Influence | null }) {
  return (
    <section aria-labelledby="koc-explanation-influence">
      <h3 id="koc-explanation-influence">{t('kocInfluence.of')}</h3>
      {influence === null ? (
        <p>{t('kocInfluence.notComputed')}</p>
      ) : (
        <>
          <p>
            {t('kocInfluence.summary', {
              brought: influence.brought,
              people: influence.people,
              answered: influence.answered,
              invited: influence.invited,
            })}
          </p>
          <table aria-labelledby="koc-explanation-influence">
            <Header first={false} />
            <tbody>
              <tr>
                <Cells i={influence} />
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
