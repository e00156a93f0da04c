import type { Clock } from '../../platform/clock.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { TRANSPORT, WecomApiError } from './errors.ts';

/**
 * Why our own breaker and not opossum: opossum opens on a failure percentage over a rolling window with a
 * minimum volume, so at a few calls a minute it may never open, and a burst of queued jobs can still pay
 * many timeouts before the window fills. "WeCom is unreachable" is a property of the network path, which N
 * consecutive transport failures detect at any traffic level. We also need to count only transport failures
 * (an errcode means WeCom answered), to read time from the injected clock, and to let exactly one probe
 * through after the cool-down. That is a few dozen lines, less than adapting opossum's model to it.
 */

/** closed: calls go out; open: calls fail at once; half-open: one probe is out, the rest fail at once. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** When the circuit opens, and for how long. Both come from configuration (WECOM_CIRCUIT_*). */
export type CircuitSettings = {
  /** Consecutive transport failures (network errors, timeouts) that open the circuit. */
  failures: number;
  /** How long an open circuit rejects calls before it lets one probe through. */
  cooldownMs: number;
};

/** A permit to make one HTTP attempt; `probe` marks the single attempt a half-open circuit lets out. */
type Permit = { probe: boolean };

/** Guards the HTTP attempts to one WeCom base URL. */
export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

/** True for the failures that say WeCom could not be reached, as opposed to WeCom answering with an error. */
export const isUnreachable = (err: unknown): boolean =>
  err instanceof WecomApiError && (err.errcode === TRANSPORT.network || err.errcode === TRANSPORT.timeout);

/** Creates the breaker for `baseUrl`. `onChange` hears each state change once. */
export function createCircuitBreaker(deps: {
  baseUrl: string;
  settings: CircuitSettings;
  clock: Clock;
  onChange: (state: CircuitState, info: { consecutiveFailures: number; retryAt?: Date }) => void;
}) {
  const { settings, clock } = deps;
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let openedAt = 0;

  const now = () => clock.now().getTime();
  const retryAt = () => new Date(openedAt + settings.cooldownMs);
  const moveTo = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    deps.onChange(next, {
      consecutiveFailures: consecutive,
      ...(next === 'open' ? { retryAt: retryAt() } : {}),
    });
  };
  const open = () => {
    openedAt = now();
    moveTo('open');
  };
  const rejection = (api: string) =>
    new WecomApiError(
      api,
      TRANSPORT.circuitOpen,
      `circuit_open: ${deps.baseUrl} unreachable, failing fast until ${retryAt().toISOString()}`,
      { retryable: true },
    );

  /** Would a call be rejected right now? Reads state only; never takes the probe. */
  const rejecting = () =>
    state === 'half-open' || (state === 'open' && now() - openedAt < settings.cooldownMs);

  /** Takes a permit for one attempt, or throws circuit_open without touching the network. */
  const admit = (api: string): Permit => {
    if (state === 'closed') return { probe: false };
    if (rejecting()) throw rejection(api);
    moveTo('half-open');
    return { probe: true };
  };

  /** Records how an attempt ended. Any answer from WeCom, even an errcode, shows the path works. */
  const settle = (permit: Permit, err?: unknown) => {
    if (err === undefined || !isUnreachable(err)) {
      consecutive = 0;
      moveTo('closed');
      return;
    }
    if (permit.probe) {
      consecutive++;
      open();
    } else if (state === 'closed' && ++consecutive >= settings.failures) {
      open();
    }
    // A failure of an attempt that started before the circuit opened changes nothing: it is already open.
  };

  return {
    baseUrl: deps.baseUrl,
    /** The current state (for metrics and tests). */
    state: (): CircuitState => state,
    /** Fails fast with circuit_open when calls are being rejected; lets a call past the limiter otherwise. */
    checkOpen(api: string): void {
      if (rejecting()) throw rejection(api);
    },
    /** Runs one HTTP attempt under the breaker. */
    async attempt<T>(api: string, fn: () => Promise<T>): Promise<T> {
      const permit = admit(api);
      try {
        const result = await fn();
        settle(permit);
        return result;
      } catch (err) {
        settle(permit, err);
        throw err;
      }
    },
  };
}

/** The breakers of one process, one per WeCom base URL, shared by every client that calls that URL. */
export type WecomCircuits = ReturnType<typeof createWecomCircuits>;

/** Creates the per-process registry; each state change is logged once and shown on `helix_wecom_circuit_open`. */
export function createWecomCircuits(deps: {
  settings: CircuitSettings;
  clock: Clock;
  log: Log;
  metrics: Pick<Metrics, 'wecomCircuitOpen'>;
}) {
  const byBase = new Map<string, CircuitBreaker>();
  return {
    /** The breaker for `baseUrl`, created closed on first use. */
    for(baseUrl: string): CircuitBreaker {
      const key = baseUrl.replace(/\/+$/, '');
      let breaker = byBase.get(key);
      if (!breaker) {
        deps.metrics.wecomCircuitOpen.set({ base_url: key }, 0);
        breaker = createCircuitBreaker({
          baseUrl: key,
          settings: deps.settings,
          clock: deps.clock,
          onChange(state, info) {
            // Half-open still rejects every call but the probe, so it counts as open on the gauge.
            deps.metrics.wecomCircuitOpen.set({ base_url: key }, state === 'closed' ? 0 : 1);
            const fields = { baseUrl: key, state, ...info };
            if (state === 'open') deps.log.warn(fields, 'WeCom unreachable: circuit open, calls fail fast');
            else if (state === 'half-open') deps.log.info(fields, 'WeCom circuit half-open: one probe call');
            else deps.log.info(fields, 'WeCom reachable again: circuit closed');
          },
        });
        byBase.set(key, breaker);
      }
      return breaker;
    },
  };
}
