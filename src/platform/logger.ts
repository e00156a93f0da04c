import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrubText, scrubValue } from './pii/log-scrubber.ts';

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
 * Creates the process logger: JSON lines to stdout (or `destination`), secrets redacted, request/job ids mixed
 * in from async context. Client PII is kept out of every line, whatever a caller passes: errors lose their
 * query parameters (Drizzle copies them into messages and stacks), and every string, the message included,
 * goes through the PII masker. Masking at this one place, rather than at each call, is what makes a new log
 * call safe by default.
 */
export function createLogger(opts: { level: string; name?: string; destination?: DestinationStream }): Log {
  const options: LoggerOptions = {
    name: opts.name ?? 'helix',
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...context.getStore() }),
    // Runs before the serializers, on the whole object: errors under any key come out already safe.
    formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    serializers: {
      // `formatters.log` has serialized errors; pino's default would serialize the safe copy again.
      err: (err: unknown) => err,
      // The message: a string logged on its own, or an error's message when only an error is logged.
      msg: (msg: unknown) => (typeof msg === 'string' ? scrubText(msg) : msg),
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
