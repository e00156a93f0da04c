import http from 'node:http';

/** One request of a paced run. */
export type PacedRequest = { path: string; body: string };

/** Latency percentiles (ms) and counts of a paced run. */
export type PacedResult = {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** p99 measured from when each request actually left, to tell client stalls from server ones. */
  p99FromSendMs: number;
  maxLagMs: number;
  achievedRps: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

/**
 * Open-loop load at a steady `rate` requests/s for `durationS` seconds. Unlike autocannon's per-second
 * budget (which fires each second's requests in a burst), requests leave evenly spaced, and latency is
 * measured from each request's scheduled time, so a stall is not hidden by the client waiting for it.
 */
export async function runPacedLoad(opts: {
  url: string;
  rate: number;
  durationS: number;
  next: () => PacedRequest;
  onOk?: (req: PacedRequest) => void;
  maxSockets?: number;
}): Promise<PacedResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 256 });
  const total = Math.round(opts.rate * opts.durationS);
  const latencies: number[] = [];
  const fromSend: number[] = [];
  let maxLag = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const inflight = new Set<Promise<void>>();
  const start = performance.now();

  const fire = (scheduledAt: number) => {
    const r = opts.next();
    const sentAt = performance.now();
    maxLag = Math.max(maxLag, sentAt - scheduledAt);
    const p = new Promise<void>((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: r.path,
          headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(r.body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            latencies.push(now - scheduledAt);
            fromSend.push(now - sentAt);
            if (res.statusCode === 200) {
              ok++;
              opts.onOk?.(r);
            } else non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  };

  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * opts.rate));
    while (sent < due) fire(start + (sent++ * 1000) / opts.rate);
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  return {
    sent,
    ok,
    non2xx,
    errors,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    p99FromSendMs: Number(percentile(fromSend, 99).toFixed(2)),
    maxLagMs: Number(maxLag.toFixed(2)),
    achievedRps: Math.round(sent / elapsedS),
  };
}
