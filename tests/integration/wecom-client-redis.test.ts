import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRateLimiter } from '../../src/wecom/client/rate-limiter.ts';
import { createTokenCache } from '../../src/wecom/client/token-cache.ts';

const redis = new Redis(inject('redisUrl'));
const prefix = `{t${randomBytes(4).toString('hex')}}`;
afterAll(() => redis.disconnect());

describe('token cache', () => {
  it('fetches once for 100 concurrent cold callers, across two "processes"', async () => {
    const a = createTokenCache({ redis, prefix });
    const b = createTokenCache({ redis, prefix });
    let fetches = 0;
    const fetchToken = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 50));
      return { token: `tok-${fetches}`, expiresInS: 7200 };
    };
    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).get('ww1', 'secret-1', fetchToken)),
    );
    expect(fetches).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    // Never stores the secret itself.
    expect((await redis.keys(`${prefix}:*`)).join(' ')).not.toContain('secret-1');
  });

  it('replaces a rejected token once, however many callers saw it rejected', async () => {
    const cache = createTokenCache({ redis, prefix });
    let n = 0;
    const fetchToken = async () => ({ token: `t${++n}`, expiresInS: 7200 });
    const first = await cache.get('ww2', 's', fetchToken);
    const replaced = await Promise.all(
      Array.from({ length: 20 }, () => cache.refresh('ww2', 's', first, fetchToken)),
    );
    expect(new Set(replaced)).toEqual(new Set(['t2']));
    expect(n).toBe(2);
  });
});

describe('rate limiter', () => {
  it('spaces calls so a minute never holds more than the limit, delaying rather than refusing', async () => {
    const limiter = createRateLimiter({ redis, prefix });
    // 600/min → one every 100 ms; 11 calls need at least 1 s.
    const started = Date.now();
    await Promise.all(Array.from({ length: 11 }, () => limiter.acquire('api:x', 600)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up with an error only past its maximum wait', async () => {
    const limiter = createRateLimiter({ redis, prefix });
    await limiter.acquire('api:slow', 1);
    await expect(limiter.acquire('api:slow', 1, 100)).rejects.toThrow(/longer than 100 ms/);
  });
});
