import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

/** The logger type every module receives. */
export type Log = Logger;

/** Request or job ids carried through async calls so every log line can name them. */
export type LogContext = { requestId?: string; jobId?: string };

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` attached to every log line written inside it. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

// Secrets and client PII never reach the log. Paths cover the shapes Helix logs: HTTP headers,
// WeCom payload fields (PascalCase XML and snake_case JSON) and our own objects.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.token',
  '*.secret',
  '*.corpsecret',
  '*.access_token',
  '*.encodingAesKey',
  '*.password',
  '*.Content',
  '*.content',
  '*.mobile',
  '*.phone',
  '*.email',
  '*.idNumber',
  '*.cardNumber',
  '*.plaintext',
  '*.payload',
];

/**
 * Creates the process logger: JSON lines to stdout (or `destination`), PII redacted, request/job ids mixed
 * in from async context.
 */
export function createLogger(opts: { level: string; name?: string; destination?: DestinationStream }): Log {
  const options = {
    name: opts.name ?? 'helix',
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...context.getStore() }),
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
