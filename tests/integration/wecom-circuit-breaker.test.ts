import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createMetrics, type Metrics } from '../../src/platform/metrics.ts';
import { createWecomCircuits } from '../../src/wecom/client/circuit-breaker.ts';
import type { ClientPolicy } from '../../src/wecom/client/client-core.ts';
import { TRANSPORT, WecomApiError } from '../../src/wecom/client/errors.ts';
import { createWecomClient } from '../../src/wecom/client/wecom-client.ts';
import { startWecomEmulator } from '../../src/wecom/emulator/emulator.ts';

const CORP = 'wwCircuitCorp';
const SECRETS = { app: 'app-secret-1', contact: 'contact-secret-1' };
const FAILURES = 3;
const COOLDOWN_MS = 10_000;
const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A WeCom address we control. `blackhole`: accepts connections and never answers, as a WeCom behind a dead
 * route does (each call pays its timeout). `forward`: pipes to `upstream`, as when WeCom is back.
 */
async function startSwitchableWecom() {
  let mode: 'blackhole' | { upstreamPort: number } = 'blackhole';
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    // fetch may open a spare connection it never uses; a request is a connection that sent bytes. A hanging
    // connection is never reused, so in blackhole mode this counts every HTTP attempt.
    socket.once('data', () => requests++);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (mode === 'blackhole') return;
    const upstream = net.connect(mode.upstreamPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    forwardTo(upstreamUrl: string) {
      mode = { upstreamPort: Number(new URL(upstreamUrl).port) };
    },
    /** WeCom becomes unreachable: open connections die, new ones hang. */
    blackhole() {
      mode = 'blackhole';
      for (const s of sockets) s.destroy();
    },
  };
}

async function startEmulator(opts: Partial<Parameters<typeof startWecomEmulator>[0]> = {}) {
  const running = await startWecomEmulator({ corpId: CORP, secrets: SECRETS, ...opts });
  running.emulator.seed({
    members: [{ userid: 'rm_zhang', name: '张经理' }],
    contacts: [{ externalUserId: 'wm_1', name: '王先生', followUsers: [{ userid: 'rm_zhang' }] }],
  });
  cleanups.push(() => running.close());
  return running;
}

/** The app and the contact client of one process, sharing its breaker for `baseUrl`, as Helix wires them. */
function buildClients(baseUrl: string, policy: Partial<ClientPolicy> = {}) {
  const clock = fixedClock(new Date('2025-03-03T09:00:00Z'));
  const metrics = createMetrics();
  const lines: { msg: string; state?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const circuits = createWecomCircuits({
    settings: { failures: FAILURES, cooldownMs: COOLDOWN_MS },
    clock,
    log,
    metrics,
  });
  const common = {
    baseUrl,
    corpId: CORP,
    agentId: '1000002',
    redis,
    // A fresh prefix: a cold token cache and empty rate-limit buckets.
    prefix: `{cb${randomBytes(4).toString('hex')}}`,
    log,
    metrics,
    // Short timeouts; no per-member pacing, which would space the test's messages to one RM 2 s apart.
    policy: { timeoutMs: 150, busyBackoffMs: 1, memberMessagesPerMinute: 100_000, ...policy },
    circuit: circuits.for(baseUrl),
  };
  return {
    app: createWecomClient({ ...common, secret: SECRETS.app }),
    contact: createWecomClient({ ...common, secret: SECRETS.contact }),
    breaker: circuits.for(baseUrl),
    clock,
    metrics,
    stateLog: () => lines.filter((l) => l.state !== undefined).map((l) => l.state),
  };
}

const text = (content: string) => ({ msgtype: 'text' as const, touser: ['rm_zhang'], content: { content } });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as WecomApiError,
  );
const gauge = async (metrics: Metrics) =>
  (await metrics.wecomCircuitOpen.get()).values.map((v) => [v.labels.base_url, v.value]);

describe('WeCom circuit breaker: WeCom unreachable', () => {
  it('after N timeouts fails every further call at once with circuit_open, without a request', async () => {
    const wecom = await startSwitchableWecom();
    const { app, contact, metrics, stateLog } = buildClients(wecom.url);
    for (let i = 0; i < FAILURES; i++) {
      const err = await failure(app.sendAppMessage(text(`第${i}条`)));
      expect(err.errcode).toBe(TRANSPORT.timeout);
    }
    expect(wecom.requests()).toBe(FAILURES);

    const started = performance.now();
    // The contact client shares the app client's breaker: one per base URL in the process.
    const errors = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => failure(app.sendAppMessage(text(`快速失败${i}`)))),
      ...Array.from({ length: 20 }, () => failure(contact.getExternalContact('wm_1'))),
    ]);
    const elapsedMs = performance.now() - started;

    expect(errors.every((e) => e instanceof WecomApiError && e.errcode === TRANSPORT.circuitOpen)).toBe(true);
    expect(errors.every((e) => e.retryable)).toBe(true);
    expect(errors[0]?.errmsg).toMatch(/^circuit_open/);
    // 40 calls that would each have waited out the 150 ms timeout took less than one timeout together.
    expect(elapsedMs).toBeLessThan(150);
    expect(wecom.requests()).toBe(FAILURES);
    expect(await gauge(metrics)).toEqual([[wecom.url, 1]]);
    // One warning when it opened, not one per rejected call.
    expect(stateLog()).toEqual(['open']);
  });

  it('opens on refused connections to a dead address too', async () => {
    const { app, breaker } = buildClients('http://127.0.0.1:9');
    for (let i = 0; i < FAILURES; i++) {
      expect((await failure(app.sendAppMessage(text('x')))).errcode).toBe(TRANSPORT.network);
    }
    expect(breaker.state()).toBe('open');
    expect((await failure(app.sendAppMessage(text('x')))).errcode).toBe(TRANSPORT.circuitOpen);
  });

  it('after the cool-down lets one probe through; WeCom answering closes the circuit', async () => {
    const wecom = await startSwitchableWecom();
    const emulator = await startEmulator();
    const { app, clock, metrics, stateLog } = buildClients(wecom.url);
    // A token is cached while WeCom is reachable, so later calls go straight to message/send.
    wecom.forwardTo(emulator.url);
    await app.sendAppMessage(text('开盘'));
    wecom.blackhole();
    const before = wecom.requests();
    for (let i = 0; i < FAILURES; i++) await failure(app.sendAppMessage(text('x')));
    expect(wecom.requests()).toBe(before + FAILURES);

    // Still cooling down: rejected without a request.
    clock.set(new Date(clock.now().getTime() + COOLDOWN_MS - 1));
    expect((await failure(app.sendAppMessage(text('x')))).errcode).toBe(TRANSPORT.circuitOpen);
    expect(wecom.requests()).toBe(before + FAILURES);

    // WeCom is back and the cool-down is over. WeCom answers slowly, so the probe is still out while the
    // other four calls arrive: exactly one goes out, the four fail fast.
    wecom.forwardTo(emulator.url);
    emulator.emulator.setFaults('message/send', [{ kind: 'latency', latencyMs: 100 }]);
    clock.set(new Date(clock.now().getTime() + 1));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => app.sendAppMessage(text(`恢复${i}`))),
    );
    const delivered = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as WecomApiError] : []));
    expect(delivered).toHaveLength(1);
    expect(rejected.map((e) => e.errcode)).toEqual(Array(4).fill(TRANSPORT.circuitOpen));

    // Closed again: every call goes through.
    emulator.emulator.setFaults('message/send', []);
    await Promise.all(Array.from({ length: 3 }, (_, i) => app.sendAppMessage(text(`正常${i}`))));
    const received = emulator.emulator.inspect().members.find((m) => m.userid === 'rm_zhang')?.appMessages;
    expect(received).toHaveLength(1 + 1 + 3);
    expect(await gauge(metrics)).toEqual([[wecom.url, 0]]);
    expect(stateLog()).toEqual(['open', 'half-open', 'closed']);
  });

  it('a probe that fails opens the circuit for another cool-down', async () => {
    const wecom = await startSwitchableWecom();
    const { app, clock, breaker } = buildClients(wecom.url);
    for (let i = 0; i < FAILURES; i++) await failure(app.sendAppMessage(text('x')));
    clock.set(new Date(clock.now().getTime() + COOLDOWN_MS));
    expect((await failure(app.sendAppMessage(text('probe')))).errcode).toBe(TRANSPORT.timeout);
    expect(wecom.requests()).toBe(FAILURES + 1);
    expect(breaker.state()).toBe('open');
    clock.set(new Date(clock.now().getTime() + COOLDOWN_MS - 1));
    expect((await failure(app.sendAppMessage(text('x')))).errcode).toBe(TRANSPORT.circuitOpen);
    expect(wecom.requests()).toBe(FAILURES + 1);
  });
});

describe('WeCom circuit breaker: WeCom answering with errors', () => {
  it('never opens on errcodes: busy (-1) and rate limited (45009) are answers, not an outage', async () => {
    const emulator = await startEmulator({ rateLimitPerMinute: 2 });
    // A short limit on how long a 45009 may delay a call, so refused calls end within the test.
    const { app, contact, breaker, metrics, stateLog } = buildClients(emulator.url, {
      rateLimitedPauseMs: 20,
      maxDelayMs: 200,
    });
    emulator.emulator.setFaults('message/send', [{ kind: 'busy', rate: 1 }]);
    for (let i = 0; i < FAILURES * 2; i++) {
      expect((await failure(app.sendAppMessage(text('x')))).errcode).toBe(-1);
    }
    // The emulator allows 2 calls a minute per API: everything after is refused with 45009.
    const outcomes = await Promise.allSettled(
      Array.from({ length: FAILURES * 2 }, () => contact.getExternalContact('wm_1')),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThanOrEqual(FAILURES);
    const refused = (await metrics.wecomCalls.get()).values.find((v) => v.labels.errcode === '45009');
    expect(refused?.value).toBeGreaterThanOrEqual(FAILURES);
    expect(breaker.state()).toBe('closed');
    expect(await gauge(metrics)).toEqual([[emulator.url, 0]]);
    expect(stateLog()).toEqual([]);
    emulator.emulator.setFaults('message/send', []);
    await app.sendAppMessage(text('照常发送'));
  });
});
