import type { ApiError } from '../../api.ts';
import { Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { type Sale, windowText } from './shared.tsx';

/** The sales, newest first (`GET /api/v1/flash-sales`): stock, taken, keyword and window; open one's results. */
export function SaleList({
  sales,
  error,
  onOpen,
}: {
  sales: Sale[] | null;
  error: ApiError | null;
  onOpen: (id: string) => void;
}) {
  return (
    <section aria-labelledby="flash-list-heading">
      <h2 id="flash-list-heading">{t('flash.list')}</h2>
      <Refusal error={error} />
      {sales === null ? (
        error ? null : (
          <p aria-busy="true">{t('app.loading')}</p>
        )
      ) : sales.length === 0 ? (
        <p>{t('flash.empty')}</p>
      ) : (
        <table aria-labelledby="flash-list-heading">
          <thead>
            <tr>
              <th scope="col">{t('flash.col.id')}</th>
              <th scope="col">{t('flash.col.name')}</th>
              <th scope="col">{t('flash.col.item')}</th>
              <th scope="col">{t('flash.col.stock')}</th>
              <th scope="col">{t('flash.col.taken')}</th>
              <th scope="col">{t('flash.col.keyword')}</th>
              <th scope="col">{t('flash.col.window')}</th>
              <th scope="col">{t('flash.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sales.map((s) => (
              <tr key={s.id}>
                <td>{s.id}</td>
                <td>{s.name}</td>
                <td>{s.itemName}</td>
                <td>{s.stock}</td>
                <td>{s.taken}</td>
                <td>{s.keyword}</td>
                <td>{windowText(s)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={t('flash.openFor', { name: s.name })}
                    onClick={() => onOpen(s.id)}
                  >
                    {t('flash.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
