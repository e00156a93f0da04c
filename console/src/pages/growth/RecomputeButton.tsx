import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { asApiError, Refusal } from '../../failures.tsx';
import { t } from '../../messages.ts';

/**
 * Head office's manual recompute of one of the page's nightly aggregates: `run` calls the API and returns
 * the notice to show; `onDone` reloads what the aggregate feeds.
 */
export function RecomputeButton({ run, onDone }: { run: () => Promise<string>; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const click = async () => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      setNotice(await run());
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" onClick={click} disabled={busy}>
        {busy ? t('growth.recomputing') : t('growth.recompute')}
      </button>
      <Refusal error={error} />
      <p role="status">{notice}</p>
    </div>
  );
}
