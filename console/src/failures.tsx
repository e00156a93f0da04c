import { ApiError } from './api.ts';
import { t } from './messages.ts';

// How every page shows a failure: the API's own message (or problem for a field), or the network's.

/** Any failure as an `ApiError` (a thrown non-API error means the network failed). */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'network', '');
}

/** What to show for a failure: the API's problem for `field` when it named one, else its message. */
export function errorText(e: ApiError, field?: string): string {
  const problem = field ? e.problemFor(field) : undefined;
  if (problem) return problem;
  return e.message ? `${t('error.generic')}${e.message}` : t('error.network');
}

/** An API failure shown next to the control it concerns; `id` lets that control point at it. */
export function ErrorNote({
  error,
  id,
  field,
}: {
  error: ApiError | null | undefined;
  id: string;
  field?: string;
}) {
  if (!error) return null;
  return (
    <span role="alert" className="field-error" id={id}>
      {errorText(error, field)}
    </span>
  );
}

/** A refused action, shown as a whole-form alert: the API's message after the generic prefix. */
export function Refusal({ error }: { error: ApiError | null }) {
  return error ? (
    <p role="alert">
      {t('error.generic')}
      {error.message || t('error.network')}
    </p>
  ) : null;
}
