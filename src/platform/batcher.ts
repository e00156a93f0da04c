/**
 * Group commit: calls that arrive while flushes are running are collected and flushed together. Up to
 * `concurrency` flushes run at once, so one slow round trip does not stall the batches behind it. Under
 * light load every call flushes alone (no added latency); under heavy load one round trip serves many
 * callers. `flush` returns one result per item, in order.
 */
/** Thrown when a bounded batcher already holds its maximum of waiting items. */
export class BatcherFullError extends Error {
  constructor(readonly maxPending: number) {
    super(`${maxPending} items already wait for a flush`);
    this.name = 'BatcherFullError';
  }
}

/** A batcher: `add(item)` resolves with the item's result; `stats()` says how full and how stuck it is. */
export type Batcher<I, O> = ((item: I) => Promise<O>) & {
  stats: () => { pending: number; inFlight: number; oldestFlushMs: number | null };
};

export function createBatcher<I, O>(
  flush: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number; concurrency: number; maxPending?: number; now?: () => number },
): Batcher<I, O> {
  const now = opts.now ?? Date.now;
  // Start times of the flushes under way, so a stalled dependency shows as an old flush.
  const flushStarts = new Set<{ at: number }>();
  type Waiter = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let pending: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;

  const runOne = async (batch: Waiter[]): Promise<void> => {
    const started = { at: now() };
    flushStarts.add(started);
    try {
      const results = await flush(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      flushStarts.delete(started);
    }
  };

  const pump = (): void => {
    scheduled = false;
    while (pending.length > 0 && inFlight < opts.concurrency) {
      const batch = pending.slice(0, opts.maxBatch);
      pending = pending.slice(batch.length);
      inFlight++;
      void runOne(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  const add = (item: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      // A stalled flush must not let waiting items (and memory) grow without bound.
      if (opts.maxPending !== undefined && pending.length >= opts.maxPending) {
        reject(new BatcherFullError(opts.maxPending));
        return;
      }
      pending.push({ item, resolve, reject });
      // Let the current event-loop turn add its items before a flush starts.
      if (!scheduled && inFlight < opts.concurrency) {
        scheduled = true;
        setImmediate(pump);
      }
    });
  return Object.assign(add, {
    stats() {
      let oldest: number | null = null;
      for (const f of flushStarts) oldest = oldest === null ? f.at : Math.min(oldest, f.at);
      return { pending: pending.length, inFlight, oldestFlushMs: oldest === null ? null : now() - oldest };
    },
  });
}
