import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withLogContext } from '../../src/platform/logger.ts';

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
});
