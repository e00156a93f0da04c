import { createHash } from 'node:crypto';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { TRANSPORT, WECOM_ERRCODES, WecomApiError } from './errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { fetchTransport, type Transport } from './transport.ts';

/** A group robot (webhook/send?key=): posts to one internal group, at most 20 messages a minute. */
export type GroupRobot = ReturnType<typeof createGroupRobot>;

/** A short, stable id for a robot's webhook key: the key is a secret, so only this is logged or stored. */
export const robotKeyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** Creates a robot client. The key is a secret: only its hash appears in Redis keys and logs. */
export function createGroupRobot(deps: {
  baseUrl: string;
  key: string;
  limiter: RateLimiter;
  log: Log;
  metrics: Metrics;
  perMinute?: number;
  transport?: Transport;
}) {
  const transport = deps.transport ?? fetchTransport;
  const keyId = robotKeyId(deps.key);
  return {
    /** Sends a text or markdown message; waits for the robot's shared per-minute budget first. */
    async send(msg: {
      msgtype: 'text' | 'markdown';
      content: string;
      mentionedList?: string[];
    }): Promise<void> {
      await deps.limiter.acquire(`robot:${keyId}`, deps.perMinute ?? 20);
      const api = 'webhook/send';
      const raw = (await transport({
        api,
        method: 'POST',
        url: `${deps.baseUrl.replace(/\/+$/, '')}/cgi-bin/webhook/send?key=${encodeURIComponent(deps.key)}`,
        body: {
          msgtype: msg.msgtype,
          [msg.msgtype]: { content: msg.content, mentioned_list: msg.mentionedList },
        },
        timeoutMs: 10_000,
      })) as { errcode?: unknown; errmsg?: unknown } | null;
      const errcode = typeof raw?.errcode === 'number' ? raw.errcode : TRANSPORT.unexpectedResponse;
      deps.metrics.wecomCalls.inc({ api, errcode: String(errcode) });
      if (errcode !== 0) {
        deps.log.warn({ api, errcode, robot: keyId }, 'group robot send failed');
        throw new WecomApiError(api, errcode, String(raw?.errmsg ?? ''), {
          retryable: errcode === WECOM_ERRCODES.systemBusy || errcode === WECOM_ERRCODES.rateLimited,
        });
      }
    },
  };
}
