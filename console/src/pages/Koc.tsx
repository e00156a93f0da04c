import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { type ApiError, api, type Me, type Ok } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { type Client, maskName } from './clients/shared.tsx';
import { KocExplanation } from './koc/KocExplanation.tsx';
import { InfluenceList } from './koc/KocInfluence.tsx';

type Candidate = Ok<'/koc/candidates', 'get'>['items'][number];

const LIMIT = 50;

/** A score as the page shows it: two decimals. */
export const scoreText = (n: number) => n.toFixed(2);

/**
 * KOC candidates (admin, ops, rm: an RM sees their own clients, branch ops their branch) ranked by their
 * score decayed to now, with each client's masked name and owner RM; the selected one (`?id=`) shows its
 * explanation, its influence and the invitation to a circle; below, the KOCs ranked by influence.
 */
export default function Koc({ me }: { me: Me }) {
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const [items, setItems] = useState<Candidate[] | null>(null);
  const [clients, setClients] = useState<Record<string, Client>>({});
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api<Ok<'/koc/candidates', 'get'>>(`/koc/candidates?limit=${LIMIT}`).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        // The candidates carry ids only: each client's name and RM come from its profile.
        for (const c of r.items) {
          api<Client>(`/clients/${encodeURIComponent(c.externalUserid)}`).then(
            (client) => live && setClients((prev) => ({ ...prev, [client.externalUserid]: client })),
            () => undefined,
          );
        }
      },
      (e: unknown) => live && setError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const select = (id: string | null) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (id) q.set('id', id);
      else q.delete('id');
      return q;
    });

  return (
    <section aria-labelledby="koc-heading">
      <h1 id="koc-heading">{t('koc.heading')}</h1>
      <p className="hint">{t('koc.intro')}</p>
      {selected ? <KocExplanation id={selected} me={me} onClose={() => select(null)} /> : null}
      <section aria-labelledby="koc-list">
        <h2 id="koc-list">{t('koc.list')}</h2>
        <Refusal error={error} />
        {items === null ? (
          error ? null : (
            <p aria-busy="true">{t('app.loading')}</p>
          )
        ) : items.length === 0 ? (
          <p>{t('koc.empty')}</p>
        ) : (
          <table aria-labelledby="koc-list">
            <thead>
              <tr>
                <th scope="col">{t('koc.colRank')}</th>
                <th scope="col">{t('koc.colClient')}</th>
                <th scope="col">{t('koc.colId')}</th>
                <th scope="col">{t('koc.colScore')}</th>
                <th scope="col">{t('koc.colOwner')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => {
                const client = clients[c.externalUserid];
                return (
                  <tr key={c.externalUserid}>
                    <td>{i + 1}</td>
                    <td>{client ? maskName(client.name) : t('clients.none')}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-label={t('koc.view', { id: c.externalUserid })}
                        aria-pressed={c.externalUserid === selected}
                        onClick={() => select(c.externalUserid)}
                      >
                        {c.externalUserid}
                      </button>
                    </td>
                    <td>{scoreText(c.score)}</td>
                    <td>{client?.ownerRm ?? t('clients.none')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <InfluenceList onSelect={select} />
    </section>
  );
}
