/**
 * Group commit: calls that arrive while flushes are running are collected and flushed together. Up to
 * `concurrency` flushes run at once, so one slow round trip does not stall the batches behind it. Under
 * light load every call flushes alone (no added latency); under heavy load one round trip serves many
 * callers. `flush` returns one result per item, in order.
 */
export function createBatcher<I, O>(
  flush: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number; concurrency: number },
) {
  type Waiter = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let pending: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;

  const runOne = async (batch: Waiter[]): Promise<void> => {
    try {
      const results = await flush(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
    } catch (err) {
      for (const w of batch) w.reject(err);
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

  return (item: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      // Let the current event-loop turn add its items before a flush starts.
      if (!scheduled && inFlight < opts.concurrency) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
