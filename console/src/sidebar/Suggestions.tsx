import { useState } from 'react';
import { type ApiError, api, type Body } from '../api.ts';
import { asApiError, ErrorNote } from '../failures.tsx';
import { t } from '../messages.ts';
import { Findings } from './Findings.tsx';
import type { Suggestion, SuggestResult } from './model.ts';

/**
 * The client's question: the RM types or pastes what the client asked and gets the approved FAQ answers the client's tier
 * may see, each with its compliance verdict; "use" puts one into the send box.
 */
export function Suggestions({ tier, onUse }: { tier: string | null; onUse: (answer: string) => void }) {
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SuggestResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const ask = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!question.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api<SuggestResult>('/assist/suggest', {
          method: 'POST',
          body: { message: question, client: { tier } } satisfies Body<'/assist/suggest', 'post'>,
        }),
      );
    } catch (err) {
      setResult(null);
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sb-ask" className="card">
      <h2 id="sb-ask">{t('sidebar.ask')}</h2>
      <form onSubmit={ask} className="stack">
        {/* Named by the section's heading: a label of the same words would say it twice. */}
        <textarea
          aria-labelledby="sb-ask"
          rows={3}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          aria-describedby={error ? 'sb-ask-error' : 'sb-ask-hint'}
          aria-invalid={error ? true : undefined}
        />
        <span className="hint" id="sb-ask-hint">
          {t('sidebar.askHint')}
        </span>
        <ErrorNote error={error} id="sb-ask-error" field="message" />
        <button type="submit" disabled={busy || !question.trim()}>
          {busy ? t('sidebar.suggesting') : t('sidebar.suggest')}
        </button>
      </form>
      {result ? <Answers result={result} onUse={onUse} /> : null}
    </section>
  );
}

function Answers({ result, onUse }: { result: SuggestResult; onUse: (answer: string) => void }) {
  if (result.suggestions.length === 0)
    return (
      <p role="status" className="hint">
        {t('sidebar.noSuggestion')}
      </p>
    );
  return (
    <section aria-labelledby="sb-suggestions">
      <h3 id="sb-suggestions">{t('sidebar.suggestions')}</h3>
      {result.outcome === 'answer' ? null : <p className="hint">{t('sidebar.unclear')}</p>}
      <ol className="suggestions">
        {result.suggestions.map((s) => (
          <SuggestionItem key={`${s.entryId}-${s.version}`} suggestion={s} onUse={onUse} />
        ))}
      </ol>
    </section>
  );
}

function SuggestionItem({
  suggestion: s,
  onUse,
}: {
  suggestion: Suggestion;
  onUse: (answer: string) => void;
}) {
  const verdictId = `sb-verdict-${s.entryId}`;
  return (
    <li>
      <p className="question">{s.question}</p>
      <p className="pre">{s.answer}</p>
      <p id={verdictId} className={s.compliance.ok ? 'ok' : 'blocked'}>
        {s.compliance.ok ? t('sidebar.compliant') : t('sidebar.notCompliant')}
      </p>
      <Findings findings={s.compliance.findings} text={s.answer} />
      <button
        type="button"
        aria-label={t('sidebar.useFor', { question: s.question })}
        aria-describedby={verdictId}
        onClick={() => onUse(s.answer)}
      >
        {t('sidebar.use')}
      </button>
    </li>
  );
}
