import { ApiError, signIn } from '../../api.ts';
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

const csrf = () => document.cookie.match(/(?:^|;\s*)helix_csrf=([^;]+)/)?.[1] ?? '';

/**
 * Posts a file's raw bytes to `/api/v1{path}` with the session cookie and CSRF token, answering like `api()`.
 * (`api()` only sends JSON; the FAQ import takes the file itself, so its encoding is detected on the server.)
 */
export async function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': contentType, 'x-csrf-token': csrf() },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (res.status === 401) {
    signIn();
    throw new ApiError(401, 'unauthenticated', '');
  }
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; problems?: ApiError['problems'] } })
    | null;
  if (!res.ok) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? '', e?.problems ?? []);
  }
  return body as T;
}

/** A rate (0..1) as a percentage with at most one decimal. */
export const percent = (rate: number): string =>
  new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
