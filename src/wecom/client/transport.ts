import { TRANSPORT, WecomApiError } from './errors.ts';

/** One HTTP exchange with WeCom (or the emulator), JSON in and out. */
export type Transport = (req: {
  api: string;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  timeoutMs: number;
}) => Promise<unknown>;

/** The fetch-based transport. Network failures, timeouts and non-JSON answers become typed errors. */
export const fetchTransport: Transport = async ({ api, method, url, body, timeoutMs }) => {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new WecomApiError(
      api,
      timedOut ? TRANSPORT.timeout : TRANSPORT.network,
      timedOut ? 'timeout' : 'network error',
      {
        retryable: true,
        cause: err,
      },
    );
  }
  const text = await res.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WecomApiError(api, TRANSPORT.unexpectedResponse, `HTTP ${res.status}, not JSON`, {
      retryable: res.status >= 500,
    });
  }
};
