import { ApiError, api } from '../../api.ts';
import { t } from '../../messages.ts';

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

/** Posts a file's raw bytes to `/api/v1{path}` (the FAQ import), answering like `api()`. */
export function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  return api<T>(path, { method: 'POST', file: { data: file, contentType } });
}

/** A rate (0..1) as a percentage with at most one decimal. */
export const percent = (rate: number): string =>
  new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
