import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Ok } from '../../api.ts';
import { asApiError } from '../../failures.tsx';
import { type MessageKey, t } from '../../messages.ts';

type Result = Ok<'/events/{id}/attendance/import', 'post'>;

/** The API's per-line problems (English) in the catalogue's words. */
const ISSUES: Record<string, MessageKey> = {
  'unknown client': 'events.issue.unknownClient',
  'not signed up (recorded)': 'events.issue.notSignedUp',
};

/**
 * Marks attendance from a pasted list of client ids, one a line (`POST /api/v1/events/:id/attendance/import`
 * as CSV text): how many attended, and each line the API refused or flagged, by its line number.
 */
export function AttendanceImport({ id, onImported }: { id: number; onImported: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api<Result>(`/events/${id}/attendance/import`, {
        method: 'POST',
        file: { data: new Blob([text], { type: 'text/csv' }), contentType: 'text/csv' },
      });
      setResult(r);
      onImported();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  // A refusal of the whole list (empty, say) shows next to it.
  const errorId = 'attendance-list-error';
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="attendance-heading">
      <h3 id="attendance-heading">{t('events.attendance')}</h3>
      <p className="hint" id="attendance-hint">
        {t('events.attendanceHint')}
      </p>
      <label>
        {t('events.attendanceList')}
        <textarea
          name="list"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} attendance-hint` : 'attendance-hint'}
        />
        {error ? (
          <span role="alert" className="field-error" id={errorId}>
            {t('error.generic')}
            {error.message || t('error.network')}
          </span>
        ) : null}
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('events.importing') : t('events.attendanceSubmit')}
      </button>
      <div role="status">
        {result ? (
          <>
            <p>{t('events.imported', { attended: result.attended, newly: result.newlyAttended })}</p>
            {result.issues.length > 0 ? (
              <>
                <p>{t('events.issues')}</p>
                <ul>
                  {result.issues.map((i) => (
                    <li key={`${i.line}-${i.externalUserid}`}>
                      {t('events.issue', {
                        line: i.line,
                        client: i.externalUserid,
                        problem: ISSUES[i.problem] ? t(ISSUES[i.problem]!) : i.problem,
                      })}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </div>
    </form>
  );
}
