import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What the atomic claim decided in Redis; `rebuild`: the sale's keys are missing (Redis lost them). */
export type LuaOutcome = 'won' | 'sold_out' | 'already_claimed' | 'not_open' | 'closed' | 'rebuild';

/** A sale's state as Redis should hold it, from PostgreSQL. */
export type SaleState = { stockLeft: number; opensAt: Date; closesAt: Date; claimants: readonly string[] };

// KEYS: state hash, claimant set, attempt counters. ARGV: client, now (ms).
// Window, one-per-client and stock are checked and taken in one step: two claims can never both see the last
// unit, and a client already in the set never takes a second. A missing state hash means Redis lost the
// sale (a restart, a flush): the caller rebuilds it from PostgreSQL and retries.
const CLAIM = `
local s = redis.call('HMGET', KEYS[1], 'stock', 'opens', 'closes', 'gen')
if not s[1] then return {'rebuild', ''} end
local now = tonumber(ARGV[2])
local outcome
if now < tonumber(s[2]) then outcome = 'not_open'
elseif now >= tonumber(s[3]) then outcome = 'closed'
elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then outcome = 'already_claimed'
elseif tonumber(s[1]) <= 0 then outcome = 'sold_out'
else
  redis.call('HINCRBY', KEYS[1], 'stock', -1)
  redis.call('SADD', KEYS[2], ARGV[1])
  outcome = 'won'
end
redis.call('HINCRBY', KEYS[3], outcome, 1)
return {outcome, s[4]}
`;

// KEYS: state, claimants, attempt counters. ARGV: client, mode, the outcome the attempt ended as. Undoes a
// Redis win PostgreSQL did not record: release (the insert failed: the unit and the client's place go back),
// keep (PostgreSQL has the client's claim already: only the unit goes back), sold_out (PostgreSQL holds
// every unit: none is left). The attempt moves from "won" to what it ended as, so live results add up.
const UNDO = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[3], 'won', -1)
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
if ARGV[2] == 'keep' then redis.call('HINCRBY', KEYS[1], 'stock', 1) return 1 end
local removed = redis.call('SREM', KEYS[2], ARGV[1])
if ARGV[2] == 'sold_out' then redis.call('HSET', KEYS[1], 'stock', 0)
elseif removed == 1 then redis.call('HINCRBY', KEYS[1], 'stock', 1) end
return 1
`;

// KEYS: state, claimants. ARGV: client, the generation the win happened in. A win recorded in PostgreSQL
// after a rebuild that could not see it yet: the rebuilt set lacks the client and the stock counts the
// unit as free, so both are corrected (never below zero).
const CONFIRM = `
local gen = redis.call('HGET', KEYS[1], 'gen')
if not gen or gen == ARGV[2] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  local left = tonumber(redis.call('HGET', KEYS[1], 'stock'))
  if left > 0 then redis.call('HINCRBY', KEYS[1], 'stock', -1) end
end
return 1
`;

// KEYS: state, claimants. ARGV: stock left, opens (ms), closes (ms), generation, keep for (ms), claimants….
const REBUILD = `
redis.call('DEL', KEYS[1], KEYS[2])
for i = 6, #ARGV, 5000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 4999, #ARGV)))
end
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'opens', ARGV[2], 'closes', ARGV[3], 'gen', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if #ARGV >= 6 then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1
`;

// KEYS: state. ARGV: units returned by expired claims.
const RETURN_UNITS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'stock', ARGV[1])
`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const sha = (s: string) => createHash('sha1').update(s).digest('hex');

/** A flash sale's Redis side: the atomic claim and its repairs. Keys share the sale's hash tag. */
export type FlashSaleStore = ReturnType<typeof createFlashSaleStore>;

/**
 * Creates the store on an existing connection. `namespace` keeps deployments (and test files) sharing one
 * Redis apart; keys are `{fs:<namespace>:<sale>}:<part>`, so one sale's keys sit in one cluster slot and
 * its scripts may touch them together.
 */
export function createFlashSaleStore(redis: Redis, namespace: string) {
  const ns = namespace.replace(/[{}]/g, '');
  const keys = (saleId: string) => {
    const tag = `{fs:${ns}:${saleId}}`;
    return {
      state: `${tag}:state`,
      claimants: `${tag}:claimants`,
      attempts: `${tag}:attempts`,
      lock: `${tag}:lock`,
    };
  };
  // EVALSHA first; a restarted Redis has forgotten the scripts, so NOSCRIPT falls back to EVAL once.
  const run = async (script: string, hash: string, ks: string[], args: (string | number)[]) => {
    try {
      return await redis.evalsha(hash, ks.length, ...ks, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT'))
        return redis.eval(script, ks.length, ...ks, ...args);
      throw err;
    }
  };
  const script = (text: string) => {
    const hash = sha(text);
    return (ks: string[], args: (string | number)[]) => run(text, hash, ks, args);
  };
  const claim = script(CLAIM);
  const undo = script(UNDO);
  const confirm = script(CONFIRM);
  const rebuild = script(REBUILD);
  const returnUnits = script(RETURN_UNITS);
  const unlock = script(UNLOCK);

  return {
    keys,
    /** The atomic claim; `gen` names the rebuild the state came from. */
    async claim(saleId: string, client: string, now: Date): Promise<{ outcome: LuaOutcome; gen: string }> {
      const k = keys(saleId);
      const [outcome, gen] = (await claim([k.state, k.claimants, k.attempts], [client, now.getTime()])) as [
        LuaOutcome,
        string,
      ];
      return { outcome, gen };
    },
    /** Undoes a Redis win that PostgreSQL did not record (see UNDO for the modes). */
    async undo(
      saleId: string,
      client: string,
      mode: 'release' | 'keep' | 'sold_out',
      endedAs: 'sold_out' | 'already_claimed' | 'not_eligible' | 'failed',
    ): Promise<void> {
      const k = keys(saleId);
      await undo([k.state, k.claimants, k.attempts], [client, mode, endedAs]);
    },
    /** After PostgreSQL recorded a win: repairs Redis if a rebuild since the win could not see it. */
    async confirm(saleId: string, client: string, gen: string): Promise<void> {
      const k = keys(saleId);
      await confirm([k.state, k.claimants], [client, gen]);
    },
    /**
     * Replaces the sale's Redis state with `s` (from PostgreSQL), atomically, kept for `keepForMs`. The
     * lifetime is relative: Redis's own clock need not agree with Helix's (a shifted demo or test clock).
     */
    async rebuild(saleId: string, s: SaleState, keepForMs: number): Promise<void> {
      const k = keys(saleId);
      const gen = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      await rebuild(
        [k.state, k.claimants],
        [
          s.stockLeft,
          s.opensAt.getTime(),
          s.closesAt.getTime(),
          gen,
          Math.max(60_000, Math.round(keepForMs)),
          ...s.claimants,
        ],
      );
    },
    /** Puts `n` units back (expired claims of a sale that returns them); a missing state is rebuilt later. */
    async returnUnits(saleId: string, n: number): Promise<void> {
      await returnUnits([keys(saleId).state], [n]);
    },
    /** Counts an attempt decided before Redis was asked (not eligible, outside the window). */
    async countAttempt(saleId: string, outcome: string): Promise<void> {
      await redis.hincrby(keys(saleId).attempts, outcome, 1);
    },
    /** The live figures: units left (null when Redis lost the sale), claimants, attempts by outcome. */
    async live(
      saleId: string,
    ): Promise<{ stockLeft: number | null; claimants: number; attempts: Record<string, number> }> {
      const k = keys(saleId);
      const [stock, claimants, attempts] = await Promise.all([
        redis.hget(k.state, 'stock'),
        redis.scard(k.claimants),
        redis.hgetall(k.attempts),
      ]);
      return {
        stockLeft: stock === null ? null : Number(stock),
        claimants,
        attempts: Object.fromEntries(Object.entries(attempts).map(([o, n]) => [o, Number(n)])),
      };
    },
    /** Whether the sale's state is present. */
    async present(saleId: string): Promise<boolean> {
      return (await redis.exists(keys(saleId).state)) === 1;
    },
    /** Takes the sale's rebuild lock for `ttlMs`; returns the release, or null when another holds it. */
    async lock(saleId: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
      const k = keys(saleId);
      const token = Math.random().toString(36).slice(2);
      const ok = await redis.set(k.lock, token, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return null;
      return async () => {
        await unlock([k.lock], [token]);
      };
    },
  };
}
