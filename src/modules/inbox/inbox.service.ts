import { BatcherFullError, createBatcher } from '../../platform/batcher.ts';
import type { Db } from '../../platform/db/client.ts';
import type { InboxSource } from '../../platform/db/schema.ts';
import { storableText } from '../../platform/db/storable-text.ts';
import { AppError, isConnectionError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { Queues } from '../../platform/queue/queues.ts';
import { withTimeout } from '../../platform/timeout.ts';
import { type CallbackCodec, type CallbackQuery, JsonError } from '../../wecom/protocol/callback-codec.ts';
import { EnvelopeError } from '../../wecom/protocol/crypto.ts';
import { XmlError } from '../../wecom/protocol/xml.ts';
import { classifyPayload } from './inbox.classify.ts';
import { ProcessInbound, ProcessUrgentInbound } from './inbox.jobs.ts';
import type { InboxRepository, NewInboxRow } from './inbox.repository.ts';

/** Result of one accepted callback. */
export type IntakeResult = {
  outcome: 'stored' | 'duplicate';
  kind: string;
  inboxId: number | null;
  plaintext: string;
};

/** The callback intake: verify → decrypt → classify → store (group-committed) → enqueue → acknowledge. */
export type IntakeService = ReturnType<typeof createIntakeService>;

/** Turns protocol failures into the HTTP-facing error vocabulary. Nothing is stored for any of them. */
export function toIntakeError(err: unknown): unknown {
  if (err instanceof EnvelopeError && err.reason === 'invalid_query_encoding') {
    return new AppError('invalid_encoding', {
      message: `callback rejected: ${err.message}`,
      zh: '回调被拒绝：内容的编码无效。',
      details: { reason: err.reason },
      cause: err,
    });
  }
  if (err instanceof EnvelopeError) {
    const unauthenticated = err.reason === 'invalid_signature' || err.reason === 'stale_timestamp';
    return new AppError(unauthenticated ? 'invalid_signature' : 'bad_request', {
      message: `callback rejected: ${err.message}`,
      zh: unauthenticated ? '回调被拒绝：签名无效或时间戳已过期。' : '回调被拒绝：消息格式无效。',
      details: { reason: err.reason },
      cause: err,
    });
  }
  if (err instanceof XmlError || err instanceof JsonError) {
    return new AppError('bad_request', {
      message: `callback rejected: ${err.message}`,
      zh: '回调被拒绝：无法解析消息内容。',
      cause: err,
    });
  }
  if (isConnectionError(err)) {
    // 503 makes WeCom retry later; nothing was acknowledged, so nothing is lost.
    return new AppError('db_unavailable', {
      message: 'database unavailable',
      zh: '数据库暂时不可用，请稍后再试。',
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof StoreTimeoutError) {
    // The row may still commit later: WeCom's retry then meets it as a duplicate, so it is processed once.
    return new AppError('db_unavailable', {
      message: err.message,
      zh: '数据库响应超时，请稍后再试。',
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof BatcherFullError) {
    return new AppError('unavailable', {
      message: `intake is full (${err.maxPending} callbacks wait for the database)`,
      zh: '消息接收队列已满，请稍后再试。',
      retryable: true,
      cause: err,
    });
  }
  return err;
}

/** A callback was not stored within the intake's deadline. */
class StoreTimeoutError extends Error {}

/** Creates the intake service for the app and bot endpoints. */
export function createIntakeService(deps: {
  codecs: Record<InboxSource, CallbackCodec>;
  db: Db;
  repo: InboxRepository;
  queues: Pick<Queues, 'enqueue'>;
  log: Log;
  batchMax: number;
  batchConcurrency: number;
  enqueueTimeoutMs: number;
  /** Kinds whose rows are processed on the time-critical queue (a client's add event: 20 s welcome code). */
  urgentKinds?: ReadonlySet<string>;
  /** A callback not stored by then gets 503, so WeCom retries instead of waiting past its 5 s. */
  storeTimeoutMs: number;
  /** Callbacks that may wait for the database at once; more get 503 at once. */
  maxPending: number;
}) {
  const { db, repo, queues, log } = deps;

  // One INSERT and one job per batch. The enqueue is attempted before anyone is acknowledged but may
  // fail (Redis down): the committed rows are then picked up by the sweeper, so nothing is lost.
  const store = createBatcher<NewInboxRow, number | null>(
    async (rows) => {
      const ids = await repo.insertMany(db, rows);
      // Time-critical rows get a job of their own on the time-critical queue, so they never wait for the
      // bot questions of their batch; the rest go to the inbox queue as one job.
      const fresh: string[] = [];
      const urgent: string[] = [];
      ids.forEach((id, i) => {
        if (id === null) return;
        (deps.urgentKinds?.has(rows[i]?.kind ?? '') ? urgent : fresh).push(String(id));
      });
      if (fresh.length + urgent.length > 0) {
        try {
          await withTimeout(
            Promise.all([
              urgent.length > 0 ? queues.enqueue(ProcessUrgentInbound, { inboxIds: urgent }) : undefined,
              fresh.length > 0 ? queues.enqueue(ProcessInbound, { inboxIds: fresh }) : undefined,
            ]),
            deps.enqueueTimeoutMs,
          );
        } catch (err) {
          log.warn(
            { err, count: fresh.length + urgent.length },
            'enqueue failed after commit; the inbox sweeper will retry',
          );
        }
      }
      return ids;
    },
    { maxBatch: deps.batchMax, concurrency: deps.batchConcurrency, maxPending: deps.maxPending },
  );

  return {
    /**
     * Whether intake can store callbacks now. A flush older than the store deadline means the database
     * stopped answering on connections it still holds, which a fresh `SELECT 1` would not notice.
     */
    health(): { stalled: boolean; pending: number } {
      const { pending, oldestFlushMs } = store.stats();
      return { stalled: oldestFlushMs !== null && oldestFlushMs > deps.storeTimeoutMs, pending };
    },

    /** GET URL verification: the decrypted echostr. */
    verifyUrl(source: InboxSource, query: CallbackQuery): string {
      try {
        return deps.codecs[source].verifyUrl(query);
      } catch (err) {
        throw toIntakeError(err);
      }
    },

    /** Accepts one POSTed callback; resolves once it is durably stored (or recognised as a retry). */
    async receive(source: InboxSource, query: CallbackQuery, body: string): Promise<IntakeResult> {
      try {
        // The raw plaintext is stored as is, except for U+0000, which PostgreSQL text cannot hold (a literal
        // one would fail the whole intake batch's INSERT, not just this callback).
        const plaintext = storableText(deps.codecs[source].open(query, body));
        const c = classifyPayload(source, plaintext);
        const inboxId = await withTimeout(
          store({ source, dedupKey: c.dedupKey, kind: c.kind, msgId: c.msgId, plaintext }),
          deps.storeTimeoutMs,
          () => new StoreTimeoutError(`storing the callback timed out after ${deps.storeTimeoutMs} ms`),
        );
        return { outcome: inboxId === null ? 'duplicate' : 'stored', kind: c.kind, inboxId, plaintext };
      } catch (err) {
        throw toIntakeError(err);
      }
    },
  };
}
