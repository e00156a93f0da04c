import { type FormEvent, useState } from 'react';
import type { ApiError, Ok, Schema } from '../../api.ts';
import { asApiError, errorText } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { upload } from './shared.tsx';

/** A bad row of the file, as the API's error lists it. */
type RowProblem = Exclude<NonNullable<Schema<'Error'>['error']['problems']>[number], string>;

/** Uploads an FAQ file (TSV or CSV) as drafts; every bad row the API reports is listed. */
export function Import({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState(false);
  const [notice, setNotice] = useState('');

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('file');
    setError(null);
    setNotice('');
    if (!(file instanceof File) || file.size === 0) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const csv = file.type === 'text/csv' || /\.csv$/i.test(file.name);
      const r = await upload<Ok<'/faq/import', 'post'>>(
        '/faq/import',
        file,
        csv ? 'text/csv' : 'text/tab-separated-values',
      );
      setNotice(t('faq.import.done', { drafts: r.drafts }));
      onImported();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const rows = (error?.problems ?? []).filter((p): p is RowProblem => typeof p === 'object');
  const other = (error?.problems ?? []).filter((p): p is string => typeof p === 'string');
  const problemId = missing ? 'faq-import-missing' : error ? 'faq-import-error' : undefined;

  return (
    <section aria-labelledby="faq-import-heading" className="faq-section">
      <h2 id="faq-import-heading">{t('faq.import.heading')}</h2>
      <form className="stack" onSubmit={submit} aria-labelledby="faq-import-heading">
        <label htmlFor="faq-import-file">{t('faq.import.file')}</label>
        <input
          id="faq-import-file"
          type="file"
          name="file"
          accept=".tsv,.csv,.txt,text/tab-separated-values,text/csv"
          aria-invalid={problemId ? true : undefined}
          aria-describedby={problemId ? `faq-import-hint ${problemId}` : 'faq-import-hint'}
        />
        <span className="hint" id="faq-import-hint">
          {t('faq.import.hint')}
        </span>
        {missing ? (
          <span role="alert" className="field-error" id="faq-import-missing">
            {t('faq.import.noFile')}
          </span>
        ) : null}
        {error ? (
          <div role="alert" id="faq-import-error">
            <p>{errorText(error)}</p>
            {rows.length > 0 ? (
              <>
                <p>{t('faq.import.problems')}</p>
                <table className="faq-problems">
                  <thead>
                    <tr>
                      <th scope="col">{t('faq.import.line')}</th>
                      <th scope="col">{t('faq.import.field')}</th>
                      <th scope="col">{t('faq.import.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((p) => (
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
          {busy ? t('faq.import.submitting') : t('faq.import.submit')}
        </button>
        <p role="status">{notice}</p>
      </form>
    </section>
  );
}
