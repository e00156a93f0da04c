import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Clock } from '../platform/clock.ts';
import type { Log } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { createWecomCircuits, type WecomCircuits } from '../wecom/client/circuit-breaker.ts';
import { createWecomClient, type WecomClient } from '../wecom/client/wecom-client.ts';
import { startWecomEmulator } from '../wecom/emulator/emulator.ts';

/** A WeCom emulator listening on a port, as `startWecomEmulator` returns it. */
export type RunningEmulator = Awaited<ReturnType<typeof startWecomEmulator>>;

/**
 * Starts the emulator with Helix's own corp id, secrets and callback credentials (the same env variables),
 * keeping its state in `<HELIX_DATA_DIR>/wecom-emulator.json` unless the data dir is in memory.
 */
export async function startConfiguredEmulator(
  config: Config,
  log: Log,
  opts: { port?: number; helixUrl?: string; clock?: Clock } = {},
): Promise<RunningEmulator> {
  const { wecom } = config;
  const options = {
    corpId: wecom.corpId,
    secrets: { app: wecom.api.appSecret, contact: wecom.api.contactSecret },
    host: config.http.host,
    ...(wecom.emulator.stateFile
      ? {
          stateFile: wecom.emulator.stateFile,
          onStateFileError: (err: unknown) =>
            log.warn({ err, file: wecom.emulator.stateFile }, 'the WeCom emulator could not save its state'),
        }
      : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  };
  const wanted = opts.port ?? wecom.emulator.port;
  let running: RunningEmulator;
  try {
    running = await startWecomEmulator({ ...options, port: wanted });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EADDRINUSE' || wanted === 0) throw err;
    // Another Helix (or anything else) holds the port: a free one serves the same purpose in development.
    log.warn({ port: wanted }, 'WECOM_EMULATOR_PORT is taken; the emulator uses a free port instead');
    running = await startWecomEmulator({ ...options, port: 0 });
  }
  if (opts.helixUrl) connectEmulatorCallbacks(running, config, opts.helixUrl);
  return running;
}

/** Points the emulator's callback driver at Helix, signing with Helix's callback token and keys. */
export function connectEmulatorCallbacks(running: RunningEmulator, config: Config, helixUrl: string): void {
  const { wecom } = config;
  running.emulator.connectCallbacks({
    helixUrl,
    corpId: wecom.corpId,
    agentId: wecom.agentId,
    app: wecom.app,
    bot: wecom.bot,
    responseBaseUrl: running.url,
  });
}

/** The two WeCom API clients Helix uses: the app's (messages to staff) and customer contact's. */
export type WecomClients = { app: WecomClient; contact: WecomClient };

/**
 * Builds both clients against `baseUrl` (WeCom, or the emulator), sharing tokens and limits through Redis and
 * the process's circuit breaker for that URL.
 */
export function createWecomClients(deps: {
  config: Config;
  baseUrl: string;
  redis: Redis;
  log: Log;
  metrics: Metrics;
  circuits: WecomCircuits;
}): WecomClients {
  const { config } = deps;
  const common = {
    circuit: deps.circuits.for(deps.baseUrl),
    baseUrl: deps.baseUrl,
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    redis: deps.redis,
    prefix: `${config.queue.prefix}:wecom`,
    log: deps.log,
    metrics: deps.metrics,
  };
  return {
    app: createWecomClient({ ...common, secret: config.wecom.api.appSecret }),
    contact: createWecomClient({ ...common, secret: config.wecom.api.contactSecret }),
  };
}

/** The process's WeCom circuit breakers, configured by WECOM_CIRCUIT_FAILURES and WECOM_CIRCUIT_COOLDOWN_MS. */
export function createConfiguredWecomCircuits(deps: {
  config: Config;
  clock: Clock;
  log: Log;
  metrics: Metrics;
}): WecomCircuits {
  return createWecomCircuits({
    settings: deps.config.wecom.api.circuit,
    clock: deps.clock,
    log: deps.log,
    metrics: deps.metrics,
  });
}
