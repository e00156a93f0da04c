import { useEffect } from 'react';
import { api, type Ok } from '../../api.ts';
import { Refusal } from '../../failures.tsx';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { usePagedList } from '../../paged-list.ts';
import { dayOf, timeOf } from '../../time.ts';
import { componentName, periodParams, type Query, type TouchComponent } from './shared.ts';

type Touches = Ok<'/engagement/rms/{rm}/touches', 'get'>;
type Touch = Touches['items'][number];
type Filters = { rm: string; component: TouchComponent; query: Pick<Query, 'period' | 'date'> };

const LIMIT = 20;

/**
 * The touch-log rows behind an RM's coverage or emotional component in the period
 * (`GET /engagement/rms/:rm/touches`), newest first, a page at a time.
 */
export function TouchRows({ rm, component, query }: Filters) {
  const list = usePagedList<Touch, Filters>((f, cursor) => {
    const p = periodParams(f.query);
    p.set('component', f.component);
    p.set('limit', String(LIMIT));
    if (cursor) p.set('cursor', cursor);
    return api<Touches>(`/engagement/rms/${encodeURIComponent(f.rm)}/touches?${p}`);
  });
  const { load } = list;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the filters change, not `load`
  useEffect(() => {
    load({ rm, component, query }, null);
  }, [rm, component, query.period, query.date]);

  const headingId = `engagement-touches-${component}`;
  const name = componentName(component);
  return (
    <section aria-labelledby={headingId} className="panel" aria-busy={list.busy}>
      <h4 id={headingId}>{t('engagement.touches', { component: name, rm })}</h4>
      <Refusal error={list.error} />
      {!list.busy && !list.error && list.items.length === 0 ? <p>{t('engagement.touchesEmpty')}</p> : null}
      {list.items.length > 0 ? (
        <table aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('engagement.colDoneAt')}</th>
              <th scope="col">{t('engagement.colKind')}</th>
              <th scope="col">{t('engagement.colEmotional')}</th>
              <th scope="col">{t('engagement.colClient')}</th>
              <th scope="col">{t('engagement.colTitle')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((row) => (
              <tr key={row.id}>
                <td>
                  <time dateTime={row.doneAt}>{`${dayOf(row.doneAt)} ${timeOf(row.doneAt)}`}</time>
                </td>
                <td>{wordFor('engagement.kind', row.kind)}</td>
                <td>{row.emotional ? t('engagement.yes') : t('engagement.no')}</td>
                <td>{row.externalUserid ?? t('engagement.noneYet')}</td>
                <td>{row.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.next ? (
        <button type="button" disabled={list.busy} onClick={() => load({ rm, component, query }, list.next)}>
          {t('engagement.more')}
        </button>
      ) : null}
    </section>
  );
}
