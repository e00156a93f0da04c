import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.ts';
import { createLogger, withLogContext } from '../../src/platform/logger.ts';
import { describeError } from '../../src/platform/pii/log-scrubber.ts';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('createLogger', () => {
  it('redacts secrets and client content, and carries the request id', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    withLogContext({ requestId: 'req-1' }, () => {
      log.info(
        {
          req: { headers: { authorization: 'Bearer hx_secret' } },
          event: { Content: '我的手机号是13800138000', FromUserName: 'rm01' },
          wecom: { token: 'tok', secret: 's3cret' },
        },
        'inbound',
      );
    });
    const [line] = out.lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('hx_secret');
    expect(text).not.toContain('s3cret');
    expect(line).toMatchObject({
      requestId: 'req-1',
      event: { FromUserName: 'rm01', Content: '[redacted]' },
    });
  });

  it('keeps a failed query’s parameters and any PII out of errors logged under any key, and out of the message', () => {
    // What PostgreSQL and Drizzle produce for a bad value: PostgreSQL quotes it, Drizzle lists every parameter.
    const pg = Object.assign(new Error('invalid input syntax for type integer: "11010519491231002X"'), {
      code: '22P02',
    });
    const failed = new DrizzleQueryError(
      'select $1::int, $2, $3',
      ['11010519491231002X', '138 1234 5678', 'multi\nline 6222020200112345679'],
      pg,
    );
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.warn(
      { err: failed, other: { wrapped: new AppError('internal', { message: 'lookup', cause: failed }) } },
      'x',
    );
    log.error(failed);
    log.info('client 13812345678 asked');
    const text = out
      .lines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    for (const v of ['11010519491231002', '13812345678', '138 1234 5678', '6222020200112345679'])
      expect(text).not.toContain(v);
    const [first, second, third] = out.lines() as { err: Record<string, string>; msg: string }[];
    // What an operator needs stays: the query, the reason, and the failure's stack.
    expect(first?.err).toMatchObject({ type: 'DrizzleQueryError', query: 'select $1::int, $2, $3' });
    expect(first?.err.message).toContain('params: [redacted]: invalid input syntax for type integer');
    expect(first?.err.stack).toContain('caused by: Error: invalid input syntax');
    expect(first?.err).not.toHaveProperty('params');
    expect(second?.msg).toContain('Failed query: select');
    expect(third?.msg).toBe('client 138****5678 asked');
    expect(describeError(failed)).toBe(
      'Failed query: select $1::int, $2, $3\nparams: [redacted]: invalid input syntax for type integer: "110105********002X"',
    );
  });
});
