import { type FormEvent, useState } from 'react';
import { type ApiError, api, type Me } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';
import { statusLabel, type Version } from './model.tsx';

const stepPath = (v: Version, step: string) =>
  `/content/components/${encodeURIComponent(v.componentId)}/versions/${v.version}/${step}`;

/** The author hands a draft to compliance (`…/submit`). */
function SubmitButton({ version, onDone }: { version: Version; onDone: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(stepPath(version, 'submit'), { method: 'POST' });
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" onClick={submit} disabled={busy}>
        {busy ? t('content.submitting') : t('content.submit')}
      </button>
      <Refusal error={error} />
    </div>
  );
}

/** A compliance checker approves or rejects a submitted version with a note (`…/approve`, `…/reject`). */
function ReviewForm({ version, onDone }: { version: Version; onDone: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const noteId = `note-${version.componentId}-${version.version}`;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const step =
      (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'reject' ? 'reject' : 'approve';
    const note = String(new FormData(e.currentTarget).get('note') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await api(stepPath(version, step), {
        method: 'POST',
        // An approval's note is optional; a rejection's is required (the API says so when it is missing).
        body: step === 'approve' && !note ? {} : { note },
      });
      onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const problem = error?.problemFor('note');
  return (
    <form className="review" aria-label={t('content.review', { v: version.version })} onSubmit={submit}>
      <label>
        {t('content.note')}
        <input
          name="note"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${noteId}-error` : undefined}
        />
        <span className="hint">{t('content.noteHint')}</span>
        {problem ? (
          <span className="field-error" id={`${noteId}-error`}>
            {problem}
          </span>
        ) : null}
      </label>
      <button type="submit" name="step" value="approve" disabled={busy}>
        {t('content.approve')}
      </button>{' '}
      <button type="submit" name="step" value="reject" disabled={busy}>
        {t('content.reject')}
      </button>
      <Refusal error={error} />
    </form>
  );
}

/**
 * A component's versions, newest first, with their status, maker, checker and findings. Makers (ops,
 * admin) submit drafts; compliance reviews submitted versions. The API decides who may (never the author
 * approving their own work) and the page shows its answer.
 */
export function VersionsTable(props: {
  me: Me;
  title: string;
  versions: Version[];
  shown: number | null;
  onShow: (v: number) => void;
  onChanged: () => void;
}) {
  const { me, versions, shown } = props;
  const maker = me.role === 'ops' || me.role === 'admin';
  const checker = me.role === 'compliance';
  if (versions.length === 0) return <p>{t('content.noVersions')}</p>;
  return (
    <table>
      <caption>{t('content.versionsOf', { title: props.title })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('content.version')}</th>
          <th scope="col">{t('content.status')}</th>
          <th scope="col">{t('content.author')}</th>
          <th scope="col">{t('content.reviewer')}</th>
          <th scope="col">{t('content.reviewNote')}</th>
          <th scope="col">{t('content.findings')}</th>
          <th scope="col">{t('content.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} aria-current={v.version === shown ? 'true' : undefined}>
            <th scope="row">{t('content.versionN', { v: v.version })}</th>
            <td>{t(statusLabel(v.status))}</td>
            <td>{v.author}</td>
            <td>{v.reviewer ?? t('content.none')}</td>
            <td>{v.reviewNote ?? ''}</td>
            <td>
              {v.findings.length === 0 ? (
                t('content.noFindings')
              ) : (
                <details>
                  <summary>{t('content.findingCount', { n: v.findings.length })}</summary>
                  <ul>
                    {v.findings.map((f) => (
                      <li key={`${f.field} ${f.message}`}>
                        {t(`content.severity.${f.severity}`)}
                        {' · '}
                        {f.field}: {f.message}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </td>
            <td>
              <button
                type="button"
                aria-pressed={v.version === shown}
                aria-label={`${t('content.showText')} ${t('content.versionN', { v: v.version })}`}
                onClick={() => props.onShow(v.version)}
              >
                {t('content.showText')}
              </button>
              {maker && v.status === 'draft' ? <SubmitButton version={v} onDone={props.onChanged} /> : null}
              {checker && v.status === 'submitted' ? (
                <ReviewForm version={v} onDone={props.onChanged} />
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
