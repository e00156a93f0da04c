import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp, type WebApp } from '../../src/app/web.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import { createTestContext } from '../helpers/infra.ts';
import { seedTwoBranches } from '../helpers/two-branches.ts';

// The attacks from the "Branch scope" issue, each as a branch-A token would try it.

let close: () => Promise<void>;
let web: WebApp;
let db: Db;
let seeded: Awaited<ReturnType<typeof seedTwoBranches>>;
let headOfficeOps: string;

beforeAll(async () => {
  const t = await createTestContext();
  close = t.close;
  db = t.ctx.database.db;
  web = buildWebApp(t.ctx);
  seeded = await seedTwoBranches(db);
  // A second RM in branch A, so RM scope is tested inside one branch too.
  await queryRows(db, sql`INSERT INTO rms (userid, name, branch) VALUES ('rm-a2', 'rm-a2', 'BR-A')`);
  await queryRows(
    db,
    sql`INSERT INTO clients (external_userid, owner_rm, aum_band) VALUES ('wm-a2', 'rm-a2', 'lt50k')`,
  );
  headOfficeOps = (
    await createTokenService({ db, audit: createAuditRepository() }).create({
      name: 'head office',
      role: 'ops',
      branchScope: null,
      actor: 'test',
    })
  ).secret;
});
afterAll(async () => {
  await web?.close();
  await close?.();
});

const as = (token: string) => ({
  get: (path: string) => request(web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
  put: (path: string, body: object) =>
    request(web.app).put(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
  post: (path: string, body: object | string, type = 'application/json') =>
    request(web.app)
      .post(`/api/v1${path}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', type)
      .send(body),
});
const opsA = () => as(seeded.tokens.A.ops);
const rmRow = async (userid: string) =>
  (await queryRows<{ branch: string | null }>(db, sql`SELECT branch FROM rms WHERE userid = ${userid}`))[0];
const clientRow = async (id: string) =>
  (
    await queryRows<{ aum_band: string | null; owner_rm: string | null }>(
      db,
      sql`SELECT aum_band, owner_rm FROM clients WHERE external_userid = ${id}`,
    )
  )[0];

describe('RMs', () => {
  it("cannot pull branch B's RM into branch A to read its clients", async () => {
    const move = await opsA().put('/rms/rm-b', { name: '借来的经理', branch: 'BR-A' });
    expect(move.status).toBe(404);
    expect(await rmRow('rm-b')).toEqual({ branch: 'BR-B' });
    const clients = await opsA().get('/clients');
    expect(clients.body.items.map((c: { externalUserid: string }) => c.externalUserid)).toEqual([
      'wm-a',
      'wm-a2',
    ]);
    expect((await opsA().get('/clients/wm-b')).status).toBe(404);
  });

  it("branch ops list their branch's RMs only", async () => {
    const res = await opsA().get('/rms');
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { userid: string }) => r.userid)).toEqual(['rm-a', 'rm-a2']);
    const all = await as(seeded.tokens.A.admin).get('/rms');
    expect(all.body.items.map((r: { userid: string }) => r.userid)).toEqual(['rm-a', 'rm-a2', 'rm-b']);
  });

  it('moving an RM to another branch needs admin; branch ops create and edit RMs of their branch', async () => {
    const out = await opsA().put('/rms/rm-a', { name: 'rm-a', branch: 'BR-B' });
    expect(out.status).toBe(403);
    expect(out.body.error.message).toContain('needs admin');
    expect((await opsA().put('/rms/rm-a', { name: 'rm-a', branch: null })).status).toBe(403);
    expect((await as(headOfficeOps).put('/rms/rm-a', { name: 'rm-a', branch: 'BR-B' })).status).toBe(403);
    expect(await rmRow('rm-a')).toEqual({ branch: 'BR-A' });

    expect((await opsA().put('/rms/rm-new', { name: '新经理', branch: 'BR-B' })).status).toBe(403);
    expect(await rmRow('rm-new')).toBeUndefined();
    const created = await opsA().put('/rms/rm-new', { name: '新经理', branch: 'BR-A' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ userid: 'rm-new', branch: 'BR-A' });
    const edited = await opsA().put('/rms/rm-a', { name: '王经理', branch: 'BR-A', capacity: 300 });
    expect(edited.body).toEqual({
      userid: 'rm-a',
      name: '王经理',
      branch: 'BR-A',
      persona: null,
      capacity: 300,
    });

    const moved = await as(seeded.tokens.A.admin).put('/rms/rm-new', { name: '新经理', branch: 'BR-B' });
    expect(moved.status).toBe(200);
    expect(await rmRow('rm-new')).toEqual({ branch: 'BR-B' });
  });
});

describe('profile import', () => {
  it("rejects, line by line, rows that name another branch's client or RM, and applies nothing", async () => {
    const file = [
      'external_userid,aum_band,owner_rm',
      'wm-a,500k-6m,', // fine on its own
      'wm-b,ge6m,rm-a', // re-own and re-band branch B's client
      'wm-fresh,lt50k,rm-b', // a new client for branch B's RM
      'wm-orphan,lt50k,rm-unknown', // an RM no branch has: it would leave branch A's scope
    ].join('\n');
    const res = await opsA().post('/clients/import', file, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      { line: 3, field: 'external_userid', message: '"wm-b" is not a client in your scope' },
      { line: 4, field: 'owner_rm', message: '"rm-b" is not an RM in your scope' },
      { line: 5, field: 'owner_rm', message: '"rm-unknown" is not an RM in your scope' },
    ]);
    expect(await clientRow('wm-b')).toEqual({ aum_band: 'lt50k', owner_rm: 'rm-b' });
    expect(await clientRow('wm-a')).toEqual({ aum_band: 'lt50k', owner_rm: 'rm-a' });
    expect(await clientRow('wm-fresh')).toBeUndefined();
    expect(await rmRow('rm-unknown')).toBeUndefined();

    const own = await opsA().post('/clients/import', 'external_userid,aum_band\nwm-a,500k-6m\n', 'text/csv');
    expect(own.status).toBe(201);
    expect(await clientRow('wm-a')).toEqual({ aum_band: '500k-6m', owner_rm: 'rm-a' });
  });
});

describe('conversations', () => {
  it("branch ops neither list nor resolve branch B's hand-offs", async () => {
    const { A, B } = seeded.branches;
    const list = await opsA().get('/conversations');
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual([A.conversation]);
    const resolve = await opsA().post(`/conversations/${B.conversation}/resolve`, {});
    expect(resolve.status).toBe(404);
    const [row] = await queryRows<{ owner_state: string }>(
      db,
      sql`SELECT owner_state FROM conversations WHERE id = ${B.conversation}`,
    );
    expect(row?.owner_state).toBe('pending-human');
    expect((await as(seeded.tokens.B.rm).post(`/conversations/${B.conversation}/resolve`, {})).status).toBe(
      200,
    );
  });
});

describe('content outcomes', () => {
  it('an RM records outcomes for their own clients only, even inside their branch', async () => {
    const outcome = (client: string) => ({
      componentId: 'scope-test',
      version: 1,
      variantId: 'v1',
      externalUserid: client,
      channel: 'text',
      outcome: 'clicked',
    });
    const rmA = as(seeded.tokens.A.rm);
    expect((await rmA.post('/content/outcomes', outcome('wm-a2'))).status).toBe(404);
    expect((await rmA.post('/content/outcomes', outcome('wm-b'))).status).toBe(404);
    expect((await rmA.post('/content/outcomes', outcome('wm-a'))).status).toBe(201);
    expect((await opsA().post('/content/outcomes', outcome('wm-a2'))).status).toBe(201);
    expect((await opsA().post('/content/outcomes', outcome('wm-b'))).status).toBe(404);
    const recorded = await queryRows<{ c: string }>(
      db,
      sql`SELECT external_userid AS c FROM content_outcomes WHERE component_id = 'scope-test' ORDER BY id`,
    );
    expect(recorded.map((r) => r.c)).toEqual(['wm-a', 'wm-a2']);
  });
});

describe('channels', () => {
  it("branch ops see their branch's channels and cannot create one for branch B's RM", async () => {
    const list = await opsA().get('/channels');
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(['ch-a']);
    const create = await opsA().post('/channels', {
      id: 'ch-steal',
      name: '借用渠道',
      state: 'steal',
      rmUserids: ['rm-a', 'rm-b'],
    });
    expect(create.status).toBe(404);
    expect(create.body.error.message).toContain('rm-b');
  });
});

describe('paging within scope', () => {
  it("pages branch A's clients and RMs by cursor without a page ever holding branch B's", async () => {
    const walk = async (path: string, key: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await opsA().get(`${path}?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.items.map((i: Record<string, string>) => i[key]));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('/clients', 'externalUserid')).toEqual(['wm-a', 'wm-a2']);
    expect(await walk('/rms', 'userid')).toEqual(['rm-a', 'rm-a2']);
    expect((await opsA().get('/clients?offset=1')).status).toBe(400);
  });
});
