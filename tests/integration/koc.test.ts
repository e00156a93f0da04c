import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKocWiring, kocWeightsPath } from '../../src/app/koc-wiring.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createClientsRepository } from '../../src/modules/contacts/clients.repository.ts';
import { createKocRepository } from '../../src/modules/koc/koc.repository.ts';
import { createKocService, type KocContribution } from '../../src/modules/koc/koc.service.ts';
import { KocWeightsError, loadKocWeights } from '../../src/modules/koc/koc-weights.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

// KOC candidate scores (rise at once, halve every half-life, explainable, weights from the library) and
// invitations to the invitation-only circles, which routing honours.
const DAY = 24 * 3600 * 1000;
const clock = fixedClock(new Date('2026-03-01T02:00:00Z'));
let h: HelixWithEmulator;
const tokens = { ops: '', zhang: '', li: '' };
const db = () => h.ctx.database.db;
// The service Helix's API serves, on the shipped weights (half-life 90 days; event 3, helpful 5, click 1).
const koc = () => createKocWiring({ config: h.ctx.config, db: db(), clock });
const record = (cs: KocContribution[]) => db().transaction((tx) => koc().record(tx, cs));
const as = (token: string) => ({
  get: (p: string) => request(h.web.app).get(p).set('authorization', `Bearer ${token}`),
  post: (p: string, body: object) =>
    request(h.web.app).post(p).set('authorization', `Bearer ${token}`).send(body),
  delete: (p: string) => request(h.web.app).delete(p).set('authorization', `Bearer ${token}`),
});

beforeAll(async () => {
  h = await startHelixWithEmulator({ clock });
  h.emu.emulator.seed({ members: [{ userid: 'rm_zhang', name: '张经理' }] });
  // Test factories: real rows for two RMs and their clients.
  await queryRows(
    db(),
    sql`INSERT INTO rms (userid, name) VALUES ('rm_zhang', '张经理'), ('rm_li', '李经理')`,
  );
  await queryRows(
    db(),
    sql`INSERT INTO clients (external_userid, owner_rm) VALUES
          ('wm_a', 'rm_zhang'), ('wm_b', 'rm_zhang'), ('wm_c', 'rm_li'), ('wm_d', 'rm_li'), ('wm_e', 'rm_li')`,
  );
  const ts = createTokenService({ db: db(), audit: createAuditRepository() });
  const make = async (name: string, role: 'ops' | 'rm') =>
    (await ts.create({ name, role, branchScope: null, actor: 'test' })).secret;
  tokens.ops = await make('运营小王', 'ops');
  tokens.zhang = await make('rm_zhang', 'rm');
  tokens.li = await make('rm_li', 'rm');
}, 60_000);
afterAll(async () => h?.stop());

describe('KOC scores', () => {
  it('rise at once, count a ref once, and halve every half-life', async () => {
    const t0 = clock.now();
    expect(
      await record([{ externalUserid: 'wm_a', kind: 'event_attended', ref: 'event:1:wm_a', at: t0 }]),
    ).toBe(1);
    const score = async () => (await as(tokens.ops).get('/api/v1/koc/candidates/wm_a')).body.score;
    expect(await score()).toBe(3);
    // The same attendance reported again changes nothing.
    expect(
      await record([{ externalUserid: 'wm_a', kind: 'event_attended', ref: 'event:1:wm_a', at: t0 }]),
    ).toBe(0);
    expect(await score()).toBe(3);
    clock.set(new Date(t0.getTime() + 90 * DAY));
    expect(await score()).toBeCloseTo(1.5, 10);
    // A helpful answer an RM marks now adds its full weight on top of the decayed score.
    const marked = await as(tokens.zhang).post('/api/v1/koc/helpful', {
      externalUserid: 'wm_a',
      messageId: 42,
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ recorded: true, ref: 'helpful:msg:42' });
    const again = await as(tokens.zhang).post('/api/v1/koc/helpful', {
      externalUserid: 'wm_a',
      messageId: 42,
    });
    expect(again.body.recorded).toBe(false);
    expect(await score()).toBeCloseTo(6.5, 10);
    const [audit] = await queryRows<{ actor: string; target_id: string }>(
      db(),
      sql`SELECT actor, target_id FROM audit_log WHERE action = 'koc.helpful'`,
    );
    expect(audit).toEqual({ actor: 'rm_zhang', target_id: 'wm_a' });
  });

  it('explains a score contribution by contribution, summing to it', async () => {
    clock.set(new Date(clock.now().getTime() + 30 * DAY));
    const res = await as(tokens.zhang).get('/api/v1/koc/candidates/wm_a');
    expect(res.status).toBe(200);
    expect(res.body.halfLifeDays).toBe(90);
    expect(
      res.body.contributions.map((c: { kind: string; weight: number; ageDays: number }) => [
        c.kind,
        c.weight,
        c.ageDays,
      ]),
    ).toEqual([
      ['helpful_answer', 5, 30],
      ['event_attended', 3, 120],
    ]);
    const sum = res.body.contributions.reduce((s: number, c: { decayed: number }) => s + c.decayed, 0);
    expect(sum).toBeCloseTo(res.body.score, 10);
    expect(res.body.score).toBeCloseTo(5 * 2 ** (-30 / 90) + 3 * 2 ** (-120 / 90), 10);
  });

  it('counts a shared link once per clicker, never a self-click, and only for a known client', async () => {
    const click = (body: object) => as(tokens.ops).post('/api/v1/koc/share-clicks', body);
    expect((await click({ sharer: 'wm_c', clicker: 'wm_c', linkId: 'lnk-1' })).body).toEqual({
      counted: false,
      reason: 'self_click',
    });
    expect((await click({ sharer: 'wm_c', clicker: 'wm_x1', linkId: 'lnk-1' })).body).toEqual({
      counted: true,
    });
    expect((await click({ sharer: 'wm_c', clicker: 'wm_x1', linkId: 'lnk-1' })).body).toEqual({
      counted: false,
      reason: 'repeat_click',
    });
    for (const clicker of ['wm_x2', 'wm_x3', 'wm_x4', 'wm_x5', 'wm_x6', 'wm_x7'])
      await click({ sharer: 'wm_c', clicker, linkId: 'lnk-1' });
    expect((await click({ sharer: 'wm_nobody', clicker: 'wm_x1', linkId: 'lnk-2' })).status).toBe(404);
    expect((await as(tokens.ops).get('/api/v1/koc/candidates/wm_c')).body.score).toBe(7);
    // The link service reports with an ops token; an RM cannot.
    expect(
      (await as(tokens.li).post('/api/v1/koc/share-clicks', { sharer: 'wm_c', clicker: 'y', linkId: 'l' }))
        .status,
    ).toBe(403);
  });

  it('shows an RM only their own clients', async () => {
    const mine = await as(tokens.li).get('/api/v1/koc/candidates?limit=50');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { externalUserid: string }) => c.externalUserid)).toEqual(['wm_c']);
    const all = await as(tokens.ops).get('/api/v1/koc/candidates?limit=50');
    expect(all.body.items.map((c: { externalUserid: string }) => c.externalUserid)).toEqual(['wm_c', 'wm_a']);
    expect((await as(tokens.li).get('/api/v1/koc/candidates/wm_a')).status).toBe(404);
    expect(
      (await as(tokens.li).post('/api/v1/koc/helpful', { externalUserid: 'wm_a', ref: 'chat-1' })).status,
    ).toBe(404);
    // A client of theirs with no contributions yet has an empty explanation.
    expect((await as(tokens.li).get('/api/v1/koc/candidates/wm_d')).body).toMatchObject({
      score: 0,
      contributions: [],
    });
  });

  it('ranks by the weights in the library file, and refuses a bad file with the field at fault', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'koc-weights-'));
    const file = path.join(dir, 'weights.yaml');
    const shipped = readFileSync(kocWeightsPath(h.ctx.config), 'utf8');
    // Helpful answers worth far more: wm_a (one helpful answer) overtakes wm_c (seven clicks).
    writeFileSync(file, shipped.replace(/helpful_answer: \d+/, 'helpful_answer: 50'));
    const reweighed = createKocService({
      db: db(),
      repo: createKocRepository(),
      weights: () => loadKocWeights(file),
      clients: createClientsRepository(),
      audit: createAuditRepository(),
      clock,
    });
    const top = async (s: { candidates: typeof reweighed.candidates }) =>
      (await s.candidates({ kind: 'all' }, 10)).map((c) => c.externalUserid);
    expect(await top(koc())).toEqual(['wm_c', 'wm_a']);
    expect(await top(reweighed)).toEqual(['wm_a', 'wm_c']);
    const explained = await reweighed.explain({ kind: 'all' }, 'wm_a');
    expect(explained.contributions.find((c) => c.kind === 'helpful_answer')?.weight).toBe(50);
    expect(explained.contributions.reduce((s, c) => s + c.decayed, 0)).toBeCloseTo(explained.score, 10);
    // Back on the shipped weights, the ranking (and the explanation) follow the file again.
    expect(await top(koc())).toEqual(['wm_c', 'wm_a']);

    writeFileSync(file, shipped.replace(/halfLifeDays: \d+/, 'halfLifeDays: -1'));
    expect(() => loadKocWeights(file)).toThrow(KocWeightsError);
    expect(() => loadKocWeights(file)).toThrow(/weights\.yaml: halfLifeDays: /);
    writeFileSync(file, shipped.replace(/ {2}shared_click: \d+\n/, ''));
    expect(() => loadKocWeights(file)).toThrow(/weights\.shared_click/);
  });

  it("invites the tea party's top candidates", async () => {
    const res = await as(tokens.ops).get('/api/v1/koc/tea-party-invitees?n=1');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { externalUserid: string }) => c.externalUserid)).toEqual(['wm_c']);
    expect((await koc().selectTeaPartyInvitees(5)).map((c) => c.externalUserid)).toEqual(['wm_c', 'wm_a']);
    expect((await as(tokens.li).get('/api/v1/koc/tea-party-invitees?n=1')).status).toBe(403);
  });
});

describe('circle invitations', () => {
  const pendingJoins = async (id: string) =>
    (
      await queryRows<{ group_key: string }>(
        db(),
        sql`SELECT group_key FROM group_invitations
            WHERE external_userid = ${id} AND kind = 'join' AND status = 'pending' ORDER BY group_key`,
      )
    ).map((r) => r.group_key);

  it('refuses an unknown circle, and a circle no group serves yet', async () => {
    const unknown = await as(tokens.ops).post('/api/v1/circles/vip-lounge/invites', {
      externalUserid: 'wm_a',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown circle "vip-lounge"');
    const noGroup = await as(tokens.ops).post('/api/v1/circles/koc-circle/invites', {
      externalUserid: 'wm_a',
    });
    expect(noGroup.status).toBe(409);
    expect(noGroup.body.error.message).toContain('no group for this circle');
    expect(await pendingJoins('wm_a')).toEqual([]);
  });

  it('makes routing target the circle, returns the join link, and revokes', async () => {
    h.emu.emulator.seed({
      groups: [{ chatId: 'wr_koc_1', owner: 'rm_zhang', name: 'KOC核心圈1群', members: [] }],
    });
    const group = await as(tokens.ops).post('/api/v1/groups', {
      chatId: 'wr_koc_1',
      name: 'KOC核心圈1群',
      groupKey: 'koc-circle',
      capacity: 100,
    });
    expect(group.status).toBe(201);
    // Another RM's client is out of reach; the client's own RM may invite.
    expect(
      (await as(tokens.li).post('/api/v1/circles/koc-circle/invites', { externalUserid: 'wm_a' })).status,
    ).toBe(404);
    const res = await as(tokens.zhang).post('/api/v1/circles/koc-circle/invites', { externalUserid: 'wm_a' });
    expect(res.status).toBe(201);
    expect(res.body.invite).toMatchObject({
      circleId: 'koc-circle',
      externalUserid: 'wm_a',
      invitedBy: 'rm_zhang',
      status: 'invited',
    });
    expect(res.body.joinLink).toBe(group.body.joinWayQr);
    expect(res.body.joinLink).toMatch(/^https?:\/\/.+\.png$/);
    // Routing now targets the circle (and, routed for the first time, the client's tier group).
    expect(await pendingJoins('wm_a')).toEqual(['basic', 'koc-circle']);
    const [why] = await queryRows<{ explanation: { code: string }[] }>(
      db(),
      sql`SELECT explanation FROM group_invitations WHERE external_userid = 'wm_a' AND group_key = 'koc-circle'`,
    );
    expect(why?.explanation.map((e) => e.code)).toContain('circle.invited');
    const listed = await as(tokens.ops).get('/api/v1/circles/koc-circle/invites');
    expect(listed.body.items.map((i: { externalUserid: string }) => i.externalUserid)).toEqual(['wm_a']);
    expect(listed.body.items[0].status).toBe('invited');
    expect((await as(tokens.li).get('/api/v1/circles/koc-circle/invites')).body.items).toEqual([]);

    // Another invited client scans the join link and joins: the invitation shows it.
    await as(tokens.zhang).post('/api/v1/circles/koc-circle/invites', { externalUserid: 'wm_b' });
    const way = h.emu.emulator.inspect().joinWays.find((w) => w.chatIds.includes('wr_koc_1'));
    expect(await h.emu.emulator.joinViaJoinWay(way!.configId, 'wm_b')).toMatchObject({ chatId: 'wr_koc_1' });
    await waitUntil(
      async () =>
        (await as(tokens.zhang).get('/api/v1/circles/koc-circle/invites')).body.items.find(
          (i: { externalUserid: string; status: string }) =>
            i.externalUserid === 'wm_b' && i.status === 'joined',
        ),
      10_000,
      'wm_b joined the circle',
    );
    expect(await pendingJoins('wm_b')).toEqual(['basic']);

    const revoked = await as(tokens.ops).delete('/api/v1/circles/koc-circle/invites/wm_a');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    expect(await pendingJoins('wm_a')).toEqual(['basic']);
    expect((await as(tokens.ops).delete('/api/v1/circles/koc-circle/invites/wm_a')).status).toBe(404);
    const audit = await queryRows<{ action: string }>(
      db(),
      sql`SELECT action FROM audit_log WHERE action LIKE 'circle.%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['circle.invite', 'circle.invite', 'circle.revoke']);
  });
});
