import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiError, api, type Body, type Ok, type Schema } from '../../api.ts';
import { asApiError, ErrorNote } from '../../failures.tsx';
import { t } from '../../messages.ts';

type Cluster = Schema<'FaqQuestionCluster'>;
type Queue = Ok<'/faq/review-queue', 'get'>;
type Action = 'attach' | 'dismiss' | 'draft';

/**
 * Clustered questions nobody answered: ops attach a cluster to an entry, draft a new entry from it, or
 * dismiss it. `onDraft` is told whenever a draft was written (so the pending list reloads).
 */
export function ReviewQueue({ onDraft }: { onDraft: () => void }) {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const load = useCallback(() => {
    api<Queue>('/faq/review-queue').then(
      (q) => {
        setQueue(q);
        setError(null);
      },
      (e: unknown) => setError(asApiError(e)),
    );
  }, []);
  useEffect(load, [load]);

  const done = (message: string, drafted: boolean) => {
    setNotice(message);
    load();
    if (drafted) onDraft();
  };

  return (
    <section aria-labelledby="faq-queue-heading" className="faq-section">
      <h2 id="faq-queue-heading">{t('faq.queue.heading')}</h2>
      <p role="status">{notice}</p>
      <ErrorNote error={error} id="faq-queue-error" />
      {queue ? (
        queue.clusters.length === 0 ? (
          <p>{t('faq.queue.empty')}</p>
        ) : (
          <>
            <p>{t('faq.queue.summary', { questions: queue.questions, clusters: queue.clusters.length })}</p>
            <ul className="faq-clusters">
              {queue.clusters.map((c) => (
                <li key={c.questionIds.join('-')}>
                  <ClusterCard cluster={c} onDone={done} />
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </section>
  );
}

function ClusterCard({
  cluster,
  onDone,
}: {
  cluster: Cluster;
  onDone: (message: string, drafted: boolean) => void;
}) {
  const id = `faq-cluster-${cluster.questionIds[0] ?? 0}`;
  const [busy, setBusy] = useState<Action | null>(null);
  const [failed, setFailed] = useState<{ action: Action; error: ApiError } | null>(null);
  const [entryId, setEntryId] = useState(cluster.likelyEntries[0]?.entryId ?? '');
  const errorOf = (action: Action) => (failed?.action === action ? failed.error : null);

  const run = async (action: Action, call: () => Promise<string>) => {
    setBusy(action);
    setFailed(null);
    try {
      onDone(await call(), action !== 'dismiss');
    } catch (e) {
      setFailed({ action, error: asApiError(e) });
    } finally {
      setBusy(null);
    }
  };

  const attach = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void run('attach', async () => {
      const body: Body<'/faq/review-queue/attach', 'post'> = {
        questionIds: cluster.questionIds,
        entryId: entryId.trim(),
      };
      const r = await api<Ok<'/faq/review-queue/attach', 'post'>>('/faq/review-queue/attach', {
        method: 'POST',
        body,
      });
      return t('faq.queue.attached', { entryId: r.entryId, version: r.version });
    });
  };
  const dismiss = () =>
    run('dismiss', async () => {
      const r = await api<Ok<'/faq/review-queue/dismiss', 'post'>>('/faq/review-queue/dismiss', {
        method: 'POST',
        body: { questionIds: cluster.questionIds } satisfies Body<'/faq/review-queue/dismiss', 'post'>,
      });
      return t('faq.queue.dismissed', { count: r.dismissed });
    });
  const draft = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    void run('draft', async () => {
      const r = await api<Ok<'/faq/review-queue/draft', 'post'>>('/faq/review-queue/draft', {
        method: 'POST',
        body: {
          questionIds: cluster.questionIds,
          entry: {
            id: text('id'),
            category: text('category'),
            question: text('question'),
            answer: text('answer'),
          },
        } satisfies Body<'/faq/review-queue/draft', 'post'>,
      });
      return t('faq.queue.drafted', { entryId: r.entryId });
    });
  };

  const attachError = errorOf('attach');
  const draftError = errorOf('draft');
  const entryField = (name: string, label: string, opts: { multiline?: boolean; hint?: string } = {}) => {
    const problem = draftError?.problemFor(`entry.${name}`);
    const props = {
      id: `${id}-${name}`,
      name,
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? `${id}-${name}-error` : undefined,
      ...(name === 'question' ? { defaultValue: cluster.representative } : {}),
    };
    return (
      <label htmlFor={`${id}-${name}`}>
        {label}
        {opts.multiline ? <textarea rows={3} {...props} /> : <input {...props} />}
        {opts.hint ? <span className="hint">{opts.hint}</span> : null}
        {problem ? (
          <span className="field-error" role="alert" id={`${id}-${name}-error`}>
            {problem}
          </span>
        ) : null}
      </label>
    );
  };
  const draftFieldProblem = ['id', 'category', 'question', 'answer'].some((n) =>
    draftError?.problemFor(`entry.${n}`),
  );

  return (
    <section aria-labelledby={`${id}-title`} className="card faq-cluster">
      <h3 id={`${id}-title`}>{cluster.representative}</h3>
      <p className="hint">{t('faq.queue.count', { count: cluster.questionIds.length })}</p>
      <ul aria-label={t('faq.queue.texts')}>
        {cluster.texts.map((text, i) => (
          <li key={cluster.questionIds[i] ?? i}>{text}</li>
        ))}
      </ul>
      <p>
        {cluster.likelyEntries.length === 0
          ? t('faq.queue.noLikely')
          : `${t('faq.queue.likely')}${cluster.likelyEntries
              .map((l) => t('faq.queue.likelyItem', { entryId: l.entryId, count: l.count }))
              .join(' ')}`}
      </p>
      <form onSubmit={attach} aria-label={t('faq.queue.attach')} className="faq-inline">
        <label>
          {t('faq.queue.entryId')}
          <input
            name="entryId"
            list={`${id}-likely`}
            value={entryId}
            onChange={(e) => setEntryId(e.target.value)}
            aria-invalid={attachError ? true : undefined}
            aria-describedby={attachError ? `${id}-attach-error` : undefined}
          />
        </label>
        <datalist id={`${id}-likely`}>
          {cluster.likelyEntries.map((l) => (
            <option key={l.entryId} value={l.entryId} />
          ))}
        </datalist>
        <button type="submit" disabled={busy !== null}>
          {busy === 'attach' ? t('faq.queue.attaching') : t('faq.queue.attach')}
        </button>
        <ErrorNote error={attachError} id={`${id}-attach-error`} field="entryId" />
      </form>
      <p className="faq-inline">
        <button
          type="button"
          onClick={dismiss}
          disabled={busy !== null}
          aria-describedby={errorOf('dismiss') ? `${id}-dismiss-error` : undefined}
        >
          {t('faq.queue.dismiss')}
        </button>
        <ErrorNote error={errorOf('dismiss')} id={`${id}-dismiss-error`} />
      </p>
      <details>
        <summary>{t('faq.queue.draft')}</summary>
        <form onSubmit={draft} aria-label={t('faq.queue.draft')} className="stack">
          {entryField('id', t('faq.entry.id'), { hint: t('faq.entry.idHint') })}
          {entryField('category', t('faq.entry.category'))}
          {entryField('question', t('faq.entry.question'))}
          {entryField('answer', t('faq.entry.answer'), { multiline: true })}
          {draftError && !draftFieldProblem ? (
            <ErrorNote error={draftError} id={`${id}-draft-error`} />
          ) : null}
          <button type="submit" disabled={busy !== null}>
            {t('faq.entry.submit')}
          </button>
        </form>
      </details>
    </section>
  );
}
