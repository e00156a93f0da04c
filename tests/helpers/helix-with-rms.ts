import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { HelixPorts } from '../../src/app/services.ts';
import type { WebApp } from '../../src/app/web.ts';
import { createWecomClients } from '../../src/app/wecom-runtime.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { postAppCallback } from './callbacks.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from './helix-with-emulator.ts';
import { waitUntil } from './infra.ts';

/** Helix with its emulator, two RMs set up by ops, and that ops person's token; see `useHelixWithRms`. */
export type HelixWithRms = {
  h: HelixWithEmulator;
  emu: HelixWithEmulator['emu'];
  ctx: AppContext;
  web: WebApp;
  /** API token of 运营小王 (ops, every branch). */
  opsToken: string;
};

/**
 * Registers hooks that start Helix with its emulator (groups of 4, so a join way overflows after a few
 * joins), with the RMs 张经理 (rm_zhang, 南山支行, persona zhixing-jiejie) and 李经理 (rm_li, 福田支行)
 * known to WeCom and set up by ops (`env` and `ports` go to `startHelixWithEmulator`). The returned object's fields are set once `beforeAll` ran; its
 * probes read them when called.
 */
export function useHelixWithRms(opts: { env?: Record<string, string>; ports?: HelixPorts } = {}) {
  const env = {} as HelixWithRms;
  beforeAll(async () => {
    env.h = await startHelixWithEmulator({
      groupCapacity: 4,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.ports ? { ports: opts.ports } : {}),
    });
    ({ emu: env.emu, ctx: env.ctx, web: env.web } = env.h);
    env.emu.emulator.seed({
      members: [
        { userid: 'rm_zhang', name: '张经理' },
        { userid: 'rm_li', name: '李经理' },
      ],
    });
    const tokens = createTokenService({ db: env.ctx.database.db, audit: createAuditRepository() });
    env.opsToken = (
      await tokens.create({ name: '运营小王', role: 'ops', branchScope: null, actor: 'test' })
    ).secret;
    // RMs as ops set them up (name, branch, persona); WeCom events only carry their userid.
    for (const [userid, body] of [
      ['rm_zhang', { name: '张经理', branch: '南山支行', persona: 'zhixing-jiejie' }],
      ['rm_li', { name: '李经理', branch: '福田支行' }],
    ] as const) {
      const put = await request(env.web.app)
        .put(`/api/v1/rms/${userid}`)
        .set('authorization', `Bearer ${env.opsToken}`)
        .send(body);
      if (put.status !== 200)
        throw new Error(`PUT /rms/${userid}: ${put.status} ${JSON.stringify(put.body)}`);
    }
  });
  afterAll(async () => env.h?.stop());

  const db = () => env.ctx.database.db;
  const probes = {
    /** The emulator's callback driver (WeCom users acting). */
    driver() {
      const d = env.emu.emulator.driver;
      if (!d) throw new Error('no driver');
      return d;
    },
    db,
    async clientRow(id: string) {
      return (
        await queryRows<{
          channel_id: string;
          owner_rm: string;
          status: string;
          channel_state: string | null;
        }>(
          db(),
          sql`SELECT channel_id, owner_rm, status, channel_state FROM clients WHERE external_userid = ${id}`,
        )
      )[0];
    },
    /** The latest decided (not pending) welcome of a client, once there is one. */
    async welcomeOf(id: string) {
      return (await waitUntil(
        async () =>
          (
            await queryRows<{ status: string; reason: string | null; text: string | null }>(
              db(),
              sql`SELECT status, reason, text FROM welcomes WHERE external_userid = ${id} AND status <> 'pending'
              ORDER BY id DESC LIMIT 1`,
            )
          )[0],
        10_000,
        `welcome decided for ${id}`,
      ))!;
    },
    /** Runs `fn` with Helix's WeCom clients (pointed at the emulator) on a Redis connection of its own. */
    async withWecom(fn: (wecom: ReturnType<typeof createWecomClients>) => Promise<void>) {
      const { ctx } = env;
      const redis = new Redis(ctx.redisUrl);
      try {
        await fn(
          createWecomClients({
            config: ctx.config,
            baseUrl: ctx.wecomBaseUrl,
            redis,
            log: ctx.log,
            metrics: ctx.metrics,
            circuits: ctx.wecomCircuits,
          }),
        );
      } finally {
        redis.disconnect();
      }
    },
    /** Posts a plaintext app callback to Helix, signed as WeCom would. */
    postCallback: (plaintext: string) => postAppCallback(env.web.app, plaintext),
    /** Waits until every inbox row is processed. */
    allProcessed: () =>
      waitUntil(
        async () => {
          const [r] = await queryRows<{ open: number }>(
            db(),
            sql`SELECT count(*)::int AS open FROM inbox WHERE status <> 'processed'`,
          );
          return r?.open === 0;
        },
        10_000,
        'inbox drained',
      ),
  };
  return Object.assign(env, probes);
}
