import type { components, paths } from './api-types.ts';

/** The API's error shape (`error-middleware.ts`), thrown for every non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: (string | { line: number; field: string; message: string })[] = [],
  ) {
    super(message);
  }

  /** The problem reported for `field` (`field: reason`), if any: shown next to that field. */
  problemFor(field: string): string | undefined {
    for (const p of this.problems) {
      // `field: reason`, or a part of the field (`rmUserids.0: reason`).
      const m = typeof p === 'string' ? /^([^:]+):\s*(.*)$/.exec(p) : null;
      if (m && (m[1] === field || m[1]!.startsWith(`${field}.`) || m[1]!.startsWith(`${field}[`)))
        return m[2];
    }
    return undefined;
  }
}

const csrf = () => document.cookie.match(/(?:^|;\s*)helix_csrf=([^;]+)/)?.[1] ?? '';

/** Sends the browser to WeCom sign-in, coming back to where it is now. */
export function signIn(): void {
  window.location.assign(`/auth/wecom/login?next=${encodeURIComponent(window.location.pathname)}`);
}

/**
 * Calls `/api/v1` with the session cookie (and the CSRF token on writes). A 401 means the session is gone:
 * the browser goes to sign in. Other errors reject with the API's own code, message and problems.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; file?: { data: Blob; contentType: string } } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        // The console is read in Chinese: the API answers its errors (message, problems) in Chinese too.
        'accept-language': 'zh-CN',
        ...(init.file ? { 'content-type': init.file.contentType } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrf() }),
      },
      // A file goes as its raw bytes (its encoding is detected on the server), anything else as JSON.
      ...(init.file ? { body: init.file.data } : {}),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (res.status === 401) {
    signIn();
    throw new ApiError(401, 'unauthenticated', '');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string; problems?: ApiError['problems'] };
  } | null;
  if (!res.ok) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? '', e?.problems ?? []);
  }
  return body as T;
}

/** Who is signed in (`GET /whoami`). */
export type Me = { name: string; role: 'admin' | 'ops' | 'compliance' | 'rm'; branchScope: string | null };

/**
 * A named shape of the API (`components.schemas` in the generated `api-types.ts`), e.g. `Schema<'Channel'>`.
 * Pages name the API's shapes through these helpers instead of writing their own, so a changed contract
 * fails the console's typecheck (run `npm run gen:api-types` after changing one).
 */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

/**
 * A path as `api()` takes it: the OpenAPI path without `/api/v1`, parameters as `{id}`, e.g.
 * `/channels/{id}/archive`.
 */
export type ApiPath = keyof paths extends infer K ? (K extends `/api/v1${infer P}` ? P : never) : never;

type Methods = 'get' | 'put' | 'post' | 'delete' | 'patch';
type OperationOf<P extends ApiPath, M extends Methods> = NonNullable<paths[`/api/v1${P}`][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The methods `P` answers, e.g. `'get' | 'post'` for `/channels`. */
export type MethodOf<P extends ApiPath> = {
  [M in Methods]: [NonNullable<paths[`/api/v1${P}`][M]>] extends [never] ? never : M;
}[Methods];

/** The JSON a call answers on success (its 200 or 201), e.g. `Ok<'/channels', 'get'>`. */
export type Ok<P extends ApiPath, M extends MethodOf<P>> =
  OperationOf<P, M> extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never;

/** The JSON body a call sends, e.g. `Body<'/channels', 'post'>`. */
export type Body<P extends ApiPath, M extends MethodOf<P>> =
  OperationOf<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
