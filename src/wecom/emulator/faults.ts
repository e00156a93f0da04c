import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { fail } from './api-kit.ts';

// How often a rule fires: by probability, or on every Nth call.
const firing = {
  /** Probability per call, drawn from a seeded generator so a test run is reproducible. */
  rate: z.number().min(0).max(1).default(1),
  /** When set, fires on every Nth call to the path since the rule was set, instead of by rate. */
  everyNth: z.number().int().min(1).optional(),
};

/** One injected fault on an API path ('message/send', no /cgi-bin prefix). */
export const faultRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      /**
       * busy answers `{errcode:-1}`; rateLimited answers 45009 (as WeCom does over its per-minute limit);
       * latency delays the call then lets it through; drop destroys the socket.
       */
      kind: z.enum(['busy', 'rateLimited', 'latency', 'drop']),
      ...firing,
      latencyMs: z.number().int().min(0).max(120_000).default(0),
    })
    .strict(),
  z
    .object({
      /**
       * error answers `{errcode, errmsg}` with HTTP 200, as WeCom does for a business error (48002 no
       * permission, say); the call does nothing else.
       */
      kind: z.literal('error'),
      ...firing,
      errcode: z
        .number()
        .int()
        .refine((c) => c !== 0, 'an error fault needs a non-zero errcode'),
      errmsg: z.string().max(256).default('emulated fault'),
    })
    .strict(),
]);

/** A fault rule as stored (defaults applied). */
export type FaultRule = z.output<typeof faultRuleSchema>;
/** A fault rule as given by a caller (defaults optional). */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** Normalises a path key: callers may write '/cgi-bin/message/send', 'message/send' or '/message/send'. */
export const apiKey = (path: string): string => path.replace(/^\/?(cgi-bin\/)?/, '').replace(/\/+$/, '');

// mulberry32: a tiny seeded PRNG; enough for fault sampling, not for anything secret.
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fault injection and the per-path rate limit, both keyed by API path. */
export type Faults = ReturnType<typeof createFaults>;

/** Creates the fault table and the per-API-per-minute limiter (45009 beyond `perMinute`, by `clock`). */
export function createFaults(deps: { clock: Clock; perMinute: number; seed?: number }) {
  // Each rule keeps its own call counter, so `everyNth` counts from when the rule was set.
  const rules = new Map<string, { rule: FaultRule; calls: number }[]>();
  const windows = new Map<string, { minute: number; count: number }>();
  const random = seededRandom(deps.seed ?? 0x5eed);

  const fires = (r: { rule: FaultRule; calls: number }): boolean => {
    r.calls++;
    return r.rule.everyNth !== undefined ? r.calls % r.rule.everyNth === 0 : random() < r.rule.rate;
  };

  return {
    /** Replaces the rules for one path (an empty list clears them). */
    set(path: string, input: FaultRuleInput[]): void {
      const parsed = input.map((r) => ({ rule: faultRuleSchema.parse(r), calls: 0 }));
      if (parsed.length === 0) rules.delete(apiKey(path));
      else rules.set(apiKey(path), parsed);
    },
    /** Removes every rule. */
    clear(): void {
      rules.clear();
    },
    /** The rules in force, for the inspector. */
    list: (): Record<string, FaultRule[]> =>
      Object.fromEntries([...rules].map(([path, rs]) => [path, rs.map((r) => r.rule)])),
    /** Express middleware for /cgi-bin: faults first (as a flaky network would), then the rate limit. */
    middleware() {
      return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
        const key = apiKey(req.path);
        for (const r of rules.get(key) ?? []) {
          if (!fires(r)) continue;
          const rule = r.rule;
          if (rule.kind === 'drop') {
            req.socket.destroy();
            return;
          }
          if (rule.kind === 'error') {
            res.status(200).json({ errcode: rule.errcode, errmsg: rule.errmsg });
            return;
          }
          if (rule.kind === 'busy') return fail(res, 'busy');
          if (rule.kind === 'rateLimited') return fail(res, 'rateLimited');
          await new Promise((r) => setTimeout(r, rule.latencyMs));
        }
        // Fixed one-minute windows on the injected clock; WeCom's own window alignment is undocumented.
        const minute = Math.floor(deps.clock.now().getTime() / 60_000);
        const w = windows.get(key);
        if (!w || w.minute !== minute) windows.set(key, { minute, count: 1 });
        else if (++w.count > deps.perMinute) return fail(res, 'rateLimited');
        next();
      };
    },
  };
}
