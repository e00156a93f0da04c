import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Ok, type Schema } from '../../api.ts';
import { asApiError, errorText } from '../../failures.tsx';
import { t } from '../../messages.ts';

/** A bad line of the file, as the API's error lists it. */
type LineProblem = Exclude<NonNullable<Schema<'Error'>['error']['problems']>[number], string>;
type Imported = Ok<'/revenue/imports', 'post'>;

/**
 * Head office imports the bank's revenue lines (pasted CSV or a file, sent as `text/csv`). The API takes all
 * lines or none: a refusal lists every bad line by number; a success shows the accepted and skipped counts.
 */
export function RevenueImport() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<Imported | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const file = f.get('file');
    const text = String(f.get('text') ?? '');
    // A chosen file wins over the text box; its bytes go as they are (the server detects the encoding).
    const data = file instanceof File && file.size > 0 ? file : text.trim() ? new Blob([text]) : null;
    const fileName = file instanceof File && file.size > 0 ? file.name : undefined;
    setError(null);
    setDone(null);
    setMissing(!data);
    if (!data) return;
    setBusy(true);
    try {
      const query = fileName ? `?fileName=${encodeURIComponent(fileName.slice(0, 200))}` : '';
      setDone(
        await api<Imported>(`/revenue/imports${query}`, {
          method: 'POST',
          file: { data, contentType: 'text/csv' },
        }),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const lines = (error?.problems ?? []).filter((p): p is LineProblem => typeof p === 'object');
  const other = (error?.problems ?? []).filter((p): p is string => typeof p === 'string');
  const problemId = missing ? 'growth-revenue-missing' : error ? 'growth-revenue-error' : undefined;
  const described = problemId ? `growth-revenue-hint ${problemId}` : 'growth-revenue-hint';

  return (
    <section aria-labelledby="growth-revenue-heading">
      <h3 id="growth-revenue-heading">{t('growth.revenue.heading')}</h3>
      <form className="stack" onSubmit={submit} aria-labelledby="growth-revenue-heading">
        <label htmlFor="growth-revenue-text">{t('growth.revenue.text')}</label>
        <textarea
          id="growth-revenue-text"
          name="text"
          rows={6}
          aria-invalid={problemId ? true : undefined}
          aria-describedby={described}
        />
        <span className="hint" id="growth-revenue-hint">
          {t('growth.revenue.hint')}
        </span>
        <label htmlFor="growth-revenue-file">{t('growth.revenue.file')}</label>
        <input id="growth-revenue-file" type="file" name="file" accept=".csv,text/csv" />
        {missing ? (
          <span role="alert" className="field-error" id="growth-revenue-missing">
            {t('growth.revenue.empty')}
          </span>
        ) : null}
        {error ? (
          <div role="alert" id="growth-revenue-error">
            <p>{errorText(error)}</p>
            {lines.length > 0 ? (
              <>
                <p>{t('growth.revenue.problems')}</p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('growth.revenue.line')}</th>
                      <th scope="col">{t('growth.revenue.field')}</th>
                      <th scope="col">{t('growth.revenue.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {lines.map((p) => (
                      <tr key={`${p.line}-${p.field}-${p.message}`}>
                        <td>{p.line}</td>
                        <td>{p.field}</td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
            {other.length > 0 ? (
              <ul>
                {other.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t('growth.revenue.submitting') : t('growth.revenue.submit')}
        </button>
        <div role="status">
          {done ? (
            <>
              <p>
                {t('growth.revenue.done', {
                  rows: done.rows,
                  accepted: done.accepted,
                  skipped: done.skipped.length,
                })}
              </p>
              {done.skipped.length > 0 ? (
                <ul>
                  {done.skipped.map((s) => (
                    <li key={s.line}>{t('growth.revenue.skippedLine', { line: s.line, ref: s.ref })}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </div>
      </form>
    </section>
  );
}
