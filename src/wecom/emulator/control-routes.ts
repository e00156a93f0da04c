import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { type CallbackDriver, SCENARIO_SCHEMAS, type ScenarioName } from './callback-driver.ts';
import type { EmulatorState } from './emulator-state.ts';
import { type Faults, faultRuleSchema } from './faults.ts';
import type { MassMessages } from './group-messages.ts';
import type { JoinWayOutcome, JoinWaysAndTags } from './join-ways-and-tags.ts';
import type { KfModel } from './kf.ts';
import type { Moments } from './moments.ts';
import { rmSimulationSchema, simulateRms } from './rm-simulation.ts';

const id = z.string().min(1).max(256);

/** Members, clients and groups to add before a test or demo; re-seeding an id updates it. */
export const seedSchema = z
  .object({
    members: z
      .array(z.object({ userid: id, name: z.string().max(64).optional() }))
      .max(10_000)
      .default([]),
    contacts: z
      .array(
        z.object({
          externalUserId: id,
          name: z.string().max(64).optional(),
          followUsers: z
            .array(z.object({ userid: id, state: z.string().max(30).default('') }))
            .max(100)
            .default([]),
        }),
      )
      .max(100_000)
      .default([]),
    groups: z
      .array(
        z.object({
          chatId: id,
          owner: id,
          name: z.string().max(64).optional(),
          members: z.array(id).max(2000).default([]),
        }),
      )
      .max(10_000)
      .default([]),
    corpTags: z
      .array(
        z.object({
          groupId: id.optional(),
          groupName: z.string().min(1).max(64),
          tags: z
            .array(z.object({ id: id.optional(), name: z.string().min(1).max(64) }))
            .max(1000)
            .default([]),
        }),
      )
      .max(1000)
      .default([]),
  })
  .strict();

/** Seed input, defaults optional. */
export type SeedInput = z.input<typeof seedSchema>;

/** Applies a seed to the state. */
export function applySeed(
  state: EmulatorState,
  input: SeedInput,
  seedTags: JoinWaysAndTags['seedTags'],
): void {
  const seed = seedSchema.parse(input);
  seedTags(seed.corpTags);
  for (const m of seed.members) state.upsertMember(m.userid, m.name);
  for (const c of seed.contacts) {
    state.upsertContact(c.externalUserId, c.name);
    for (const f of c.followUsers) state.addFollow(c.externalUserId, f.userid, f.state);
  }
  const now = Math.floor(state.clock.now().getTime() / 1000);
  for (const g of seed.groups) {
    const group = state.upsertGroup(g.chatId, g.owner, g.name);
    for (const m of g.members) {
      if (group.members.some((x) => x.userid === m)) continue;
      // type 1 is an internal member, 2 an external contact (groupchat/get).
      group.members.push({ userid: m, type: state.members.has(m) ? 1 : 2, joinTime: now, joinScene: 0 });
    }
  }
}

/** What every member, client and group received, plus tasks, contact ways, faults and call counts. */
export function inspectState(state: EmulatorState, faults: Faults, kf: KfModel) {
  return {
    members: [...state.members.values()],
    clients: [...state.contacts.values()],
    groups: [...state.groups.values()],
    contactWays: [...state.contactWays.values()],
    joinWays: [...state.joinWays.values()],
    corpTags: [...state.tagGroups.values()],
    tasks: [...state.tasks.values()].map((t) => ({
      msgid: t.msgid,
      chatType: t.chatType,
      creator: t.creator,
      createTime: t.createTime,
      text: t.text,
      senders: [...t.senders].map(([userid, p]) => ({ userid, ...p })),
      cancelledAt: t.cancelledAt ?? null,
      reminders: t.reminders,
    })),
    pendingTasks: [...state.tasks.values()]
      .filter((t) => t.cancelledAt === undefined && [...t.senders.values()].some((p) => p.status === 0))
      .map((t) => t.msgid),
    moments: [...state.moments.values()].map((m) => ({
      momentId: m.momentId,
      createTime: m.createTime,
      text: m.text,
      tagList: m.tagList,
      senders: [...m.senders].map(([userid, p]) => ({ userid, ...p })),
    })),
    webhookMessages: Object.fromEntries(state.webhookMessages),
    botReplies: Object.fromEntries(state.botReplies),
    /** WeChat customer service: accounts, what Helix sent through them, and every session's state. */
    kf: kf.inspect(),
    faults: faults.list(),
    callCounts: Object.fromEntries(state.callCounts),
  };
}

/** The inspector's answer. */
export type EmulatorSnapshot = ReturnType<typeof inspectState>;

const faultsBody = z.union([
  z.object({ clear: z.literal(true) }).strict(),
  z.object({ path: z.string().min(1).max(256), rules: z.array(faultRuleSchema).max(10) }).strict(),
]);

/**
 * The emulator's own control API under /emulator (not WeCom's): seed, inspect, faults, confirm and publish,
 * simulated RMs, callbacks.
 */
export function createControlRouter(deps: {
  state: EmulatorState;
  faults: Faults;
  mass: MassMessages;
  moments: Moments;
  expireAllTokens: () => void;
  driver: () => CallbackDriver | undefined;
  joinViaJoinWay: (configId: string, externalUserId: string) => Promise<JoinWayOutcome>;
  seedTags: JoinWaysAndTags['seedTags'];
  kf: KfModel;
  kfClient: (
    action: { says: string } | { enters: true },
    openKfid: string,
    externalUserid: string,
  ) => Promise<{ msgid: string; token: string; delivered: boolean }>;
}): Router {
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));
  const parse = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
    const r = schema.safeParse(input);
    if (!r.success)
      throw new AppError('bad_request', { message: r.error.issues[0]?.message ?? 'invalid body' });
    return r.data;
  };

  router.get('/state', (_req: Request, res: Response) => {
    res.json(inspectState(deps.state, deps.faults, deps.kf));
  });
  router.post('/seed', (req: Request, res: Response) => {
    applySeed(deps.state, parse(seedSchema, req.body), deps.seedTags);
    res.json({ ok: true });
  });
  router.post('/faults', (req: Request, res: Response) => {
    const body = parse(faultsBody, req.body);
    if ('clear' in body) deps.faults.clear();
    else deps.faults.set(body.path, body.rules);
    res.json({ ok: true, faults: deps.faults.list() });
  });
  router.post('/tokens/expire', (_req: Request, res: Response) => {
    deps.expireAllTokens();
    res.json({ ok: true });
  });
  router.post('/tasks/:msgid/confirm', (req: Request, res: Response) => {
    const body = parse(z.object({ userid: id.optional() }).default({}), req.body ?? {});
    res.json(deps.mass.confirm(String(req.params.msgid), body.userid));
  });
  router.post('/moments/:momentId/publish', (req: Request, res: Response) => {
    const body = parse(z.object({ userid: id.optional() }).default({}), req.body ?? {});
    res.json(deps.moments.publish(String(req.params.momentId), body.userid));
  });
  // The simulated RMs work through their pending mass messages and moments (rm-simulation.ts).
  router.post('/rm/simulate', (req: Request, res: Response) => {
    res.json(simulateRms(deps, parse(rmSimulationSchema, req.body)));
  });
  router.post('/join-ways/:configId/join', async (req: Request, res: Response) => {
    const body = parse(z.object({ externalUserId: id }).strict(), req.body);
    const outcome = await deps.joinViaJoinWay(String(req.params.configId), body.externalUserId);
    if ('error' in outcome) {
      throw new AppError(outcome.error === 'full' ? 'conflict' : 'not_found', {
        message: outcome.error === 'full' ? 'every group of this join way is full' : 'no such join way',
      });
    }
    res.json(outcome);
  });
  // WeChat customer service: create an account; a client writes to it or opens its chat (kf.ts).
  router.post('/kf/accounts', (req: Request, res: Response) => {
    const body = parse(z.object({ openKfid: id, name: z.string().max(64).optional() }).strict(), req.body);
    deps.kf.addAccount(body.openKfid, body.name);
    res.json({ ok: true });
  });
  router.post('/kf/:openKfid/messages', async (req: Request, res: Response) => {
    const body = parse(
      z.object({ externalUserId: id, content: z.string().min(1).max(4096) }).strict(),
      req.body,
    );
    res.json(await deps.kfClient({ says: body.content }, String(req.params.openKfid), body.externalUserId));
  });
  router.post('/kf/:openKfid/enter-session', async (req: Request, res: Response) => {
    const body = parse(z.object({ externalUserId: id }).strict(), req.body);
    res.json(await deps.kfClient({ enters: true }, String(req.params.openKfid), body.externalUserId));
  });
  router.post('/callbacks/:scenario', async (req: Request, res: Response) => {
    const driver = deps.driver();
    if (!driver) throw new AppError('conflict', { message: 'this emulator has no callback driver' });
    const name = String(req.params.scenario);
    if (!Object.hasOwn(SCENARIO_SCHEMAS, name))
      throw new AppError('not_found', { message: `no scenario ${name}` });
    const args = parse(SCENARIO_SCHEMAS[name as ScenarioName], req.body ?? {});
    res.json(await driver.run(name as ScenarioName, args));
  });

  // The control API is for tests and demos: answer errors plainly, with the status AppError maps to.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      err instanceof AppError ? err.status : (err as { status?: number }).status === 400 ? 400 : 500;
    res.status(status).json({ error: { message: err instanceof Error ? err.message : 'error' } });
  });
  return router;
}
