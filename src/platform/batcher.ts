/**
 * Group commit: calls made while a flush is running are collected and flushed together as soon as it
 * finishes. Under light load every call flushes alone (no added latency); under heavy load one round trip
 * serves many callers. `flush` returns one result per item, in order.
 */
export function createBatcher<I, O>(flush: (items: I[]) => Promise<O[]>, maxBatch: number) {
  type Waiter = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let pending: Waiter[] = [];
  let running = false;

  const run = async (): Promise<void> => {
    running = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      try {
        const results = await flush(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = false;
  };

  return (item: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      // Let the current event-loop turn add its items before the first flush starts.
      if (!running) {
        running = true;
        setImmediate(() => void run());
      }
    });
}
