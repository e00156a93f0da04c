import { t } from '../../messages.ts';
import { COMPONENTS, componentName, pointsText, type Ranked } from './shared.ts';

/** The ranked RMs grouped by branch, in the API's order (branch, then rank). */
function byBranch(items: Ranked[]): { branch: string; rows: Ranked[] }[] {
  const groups = new Map<string, Ranked[]>();
  for (const r of items) {
    const branch = r.branch ?? t('engagement.noBranch');
    groups.set(branch, [...(groups.get(branch) ?? []), r]);
  }
  return [...groups].map(([branch, rows]) => ({ branch, rows }));
}

/**
 * The ranking, one table per branch: rank, RM, score and each component's points. An RM's id opens their
 * explanation (`selected` is the one shown).
 */
export function RankingTables({
  items,
  selected,
  onSelect,
}: {
  items: Ranked[];
  selected: string | null;
  onSelect: (rm: string) => void;
}) {
  return (
    <>
      {byBranch(items).map(({ branch, rows }, i) => {
        const id = `engagement-branch-${i}`;
        return (
          <section key={branch} aria-labelledby={id}>
            <h3 id={id}>{t('engagement.branchTable', { branch })}</h3>
            <table aria-labelledby={id}>
              <thead>
                <tr>
                  <th scope="col">{t('engagement.colBranch')}</th>
                  <th scope="col">{t('engagement.colRank')}</th>
                  <th scope="col">{t('engagement.colRm')}</th>
                  <th scope="col">{t('engagement.colScore')}</th>
                  {COMPONENTS.map((c) => (
                    <th scope="col" key={c}>
                      {componentName(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.rm}>
                    <td>{branch}</td>
                    <td>{r.rank}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-label={t('engagement.view', { rm: r.rm })}
                        aria-pressed={r.rm === selected}
                        onClick={() => onSelect(r.rm)}
                      >
                        {r.rm}
                      </button>
                    </td>
                    <td>{pointsText(r.score)}</td>
                    {COMPONENTS.map((c) => (
                      <td key={c}>{pointsText(r.points[c] ?? 0)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
