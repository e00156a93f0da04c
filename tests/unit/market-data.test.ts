import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFileMarketData,
  createHttpMarketData,
  freshnessProblem,
  valueAt,
} from '../../src/modules/content/market-data.ts';
import { fixedClock } from '../../src/platform/clock.ts';

const NOW = new Date('2026-05-14T00:30:00Z');
const DAY = 24 * 3600_000;
const fields = { csi300: 'data.indices.CSI300.close', usdCny: 'data.fx.0.mid' };
const feedBody = (asOf: string | number) => ({
  data: { asOf, indices: { CSI300: { close: 3921.45 } }, fx: [{ pair: 'USDCNY', mid: '7.1052' }] },
});

/** What the local feed answers next: a status and raw body text, or a stall past every timeout. */
let answer: { status: number; body: string } | 'stall' = { status: 200, body: '{}' };
let requests = 0;
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    if (answer === 'stall') return; // never answers: the client's deadline must end the wait
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/market`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const serve = (body: unknown, status = 200) => {
  answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
};
const feed = (over: { url?: string; clock?: ReturnType<typeof fixedClock>; timeoutMs?: number } = {}) =>
  createHttpMarketData({
    url: over.url ?? url,
    fields,
    asOfField: 'data.asOf',
    maxAgeMs: DAY,
    timeoutMs: over.timeoutMs ?? 1000,
    cacheTtlMs: 60_000,
    clock: over.clock ?? fixedClock(NOW),
  });

describe('HTTP market-data feed', () => {
  it('maps fields by dotted path (array indexes too) and is fresh within the max age', async () => {
    serve(feedBody('2026-05-13T07:00:00Z'));
    const p = feed();
    const r = await p.read();
    expect(r).toEqual({
      values: { csi300: 3921.45, usdCny: '7.1052' },
      asOf: new Date('2026-05-13T07:00:00Z'),
    });
    expect(await p.get('csi300')).toBe(3921.45);
    expect(p.source).toBe('live');
  });

  it('keeps stale figures but says they are stale, with their as-of time', async () => {
    serve(feedBody('2026-05-12T07:00:00Z'));
    const r = await feed().read();
    expect(r.values.csi300).toBe(3921.45);
    expect(r.problem).toBe('market data is stale: as of 2026-05-12T07:00:00.000Z, older than 1440 minutes');
  });

  it('turns stale as the clock passes the max age, without asking the feed again', async () => {
    serve(feedBody('2026-05-13T07:00:00Z'));
    const clock = fixedClock(NOW);
    const p = feed({ clock });
    expect((await p.read()).problem).toBeUndefined();
    const before = requests;
    clock.set(new Date(NOW.getTime() + 59_000));
    expect((await p.read()).problem).toBeUndefined();
    expect(requests).toBe(before);
    clock.set(new Date('2026-05-14T07:00:01Z'));
    expect((await p.read()).problem).toMatch(/^market data is stale: as of 2026-05-13T07:00:00.000Z/);
  });

  it('flags an as-of time in the future (a local time stamped as UTC)', async () => {
    serve(feedBody('2026-05-14T08:30:00Z'));
    expect((await feed().read()).problem).toBe(
      'market data is dated in the future: as of 2026-05-14T08:30:00.000Z',
    );
  });

  it('names every missing or bad field instead of rendering without it', async () => {
    serve({ data: { asOf: 'yesterday', indices: {}, fx: [{ mid: { nested: true } }] } });
    const r = await feed().read();
    expect(r.values).toEqual({});
    expect(r.problem).toBe(
      'market-data feed answered without usable data: data.indices.CSI300.close is missing; ' +
        'data.fx.0.mid is not a figure; data.asOf is not a date',
    );
  });

  it('reports malformed JSON with a reason', async () => {
    serve('{"data": {"asOf": ');
    expect((await feed().read()).problem).toMatch(/^market-data feed sent malformed JSON: /);
  });

  it('reports an error status as unavailable', async () => {
    serve({ error: 'maintenance' }, 503);
    expect(await feed().read()).toEqual({
      values: {},
      problem: 'market-data feed unavailable: HTTP 503',
    });
  });

  it('reports a feed that is down, without throwing', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const p = feed({ url: `http://127.0.0.1:${port}/market` });
    expect(await p.read()).toEqual({ values: {}, problem: 'market-data feed unreachable: ECONNREFUSED' });
    expect(await p.get('csi300')).toBeUndefined();
  });

  it('gives up on a feed that does not answer within the timeout', async () => {
    answer = 'stall';
    const started = Date.now();
    const r = await feed({ timeoutMs: 200 }).read();
    expect(r.problem).toBe('market-data feed unreachable: no answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caches a snapshot for its TTL, shares one request between concurrent reads, then asks again', async () => {
    serve(feedBody('2026-05-13T07:00:00Z'));
    const clock = fixedClock(NOW);
    const p = feed({ clock });
    const before = requests;
    await Promise.all([p.read(), p.read(), p.get('csi300')]);
    expect(requests).toBe(before + 1);
    // A failure is cached too, so a batch of briefs does not ask a broken feed once per client.
    serve('not json');
    clock.set(new Date(NOW.getTime() + 60_000));
    expect((await p.read()).problem).toMatch(/malformed JSON/);
    expect((await p.read()).problem).toMatch(/malformed JSON/);
    expect(requests).toBe(before + 2);
    serve(feedBody('2026-05-13T07:00:00Z'));
    clock.set(new Date(NOW.getTime() + 120_000));
    expect((await p.read()).problem).toBeUndefined();
  });
});

describe('file market data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'helix-market-'));
  const write = (name: string, text: string, mtime: Date) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    // Set explicitly: two writes within one timestamp tick must still count as a change.
    utimesSync(file, mtime, mtime);
    return file;
  };

  it('reads JSON and re-reads it when the file changes', async () => {
    const file = write(
      'market.json',
      JSON.stringify({ asOf: '2026-05-13T07:00:00Z', values: { csi300: 3921.45 } }),
      new Date('2026-05-13T08:00:00Z'),
    );
    const p = createFileMarketData({ path: file, maxAgeMs: DAY, clock: fixedClock(NOW) });
    expect(await p.read()).toEqual({ values: { csi300: 3921.45 }, asOf: new Date('2026-05-13T07:00:00Z') });
    write(
      'market.json',
      JSON.stringify({ asOf: '2026-05-14T00:00:00Z', values: { csi300: 3950.1 } }),
      new Date('2026-05-14T00:05:00Z'),
    );
    expect(await p.get('csi300')).toBe(3950.1);
  });

  it('reads YAML and says when its figures are stale', async () => {
    const file = write(
      'market.yaml',
      'asOf: "2026-05-10T07:00:00Z"\nvalues:\n  csi300: 3921.45\n  csi300Change: -0.37\n',
      new Date('2026-05-10T08:00:00Z'),
    );
    const r = await createFileMarketData({ path: file, maxAgeMs: DAY, clock: fixedClock(NOW) }).read();
    expect(r.values).toEqual({ csi300: 3921.45, csi300Change: -0.37 });
    expect(r.problem).toBe('market data is stale: as of 2026-05-10T07:00:00.000Z, older than 1440 minutes');
  });

  it('reports malformed JSON, a bad shape and a missing file with a reason', async () => {
    const clock = fixedClock(NOW);
    const bad = write('bad.json', '{"asOf": "2026-05-13T07:00:00Z", ', new Date());
    expect((await createFileMarketData({ path: bad, maxAgeMs: DAY, clock }).read()).problem).toMatch(
      /^market-data file is not valid JSON: /,
    );
    const shape = write('shape.json', JSON.stringify({ values: { 'csi 300': 1 } }), new Date());
    expect((await createFileMarketData({ path: shape, maxAgeMs: DAY, clock }).read()).problem).toMatch(
      /^market-data file has no usable data: asOf .*; values\.csi 300 /,
    );
    const missing = createFileMarketData({ path: path.join(dir, 'nope.json'), maxAgeMs: DAY, clock });
    expect(await missing.read()).toEqual({ values: {}, problem: 'market-data file unreadable: ENOENT' });
  });
});

describe('freshness and paths', () => {
  it('judges age against the max age and reads only own keys', () => {
    expect(freshnessProblem(new Date(NOW.getTime() - DAY), NOW, DAY)).toBeUndefined();
    expect(freshnessProblem(new Date(NOW.getTime() - DAY - 1), NOW, DAY)).toMatch(/stale/);
    expect(valueAt({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
    expect(valueAt({}, 'constructor.name')).toBeUndefined();
  });
});
