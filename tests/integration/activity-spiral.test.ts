import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app/services.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { shiftableClock } from '../../src/platform/clock.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

/**
 * The activity spiral's modules as Helix wires them together (src/app/activity-wiring.ts), not each on its
 * own: attendance earns points and a KOC contribution, the tea party invites the top KOC candidates through
 * the calendar, and a flash sale that costs points spends them with the claim, or refuses the client who has
 * too few without taking a unit.
 */
// Monday 2026-09-21, 10:00 in Shanghai; the tests run in order and move the clock to Friday's night school.
const clock = shiftableClock(new Date('2026-09-21T02:00:00Z'));
let w: CampaignWorld;
let services: Services;

const rms = [{ userid: 'rm_a', name: '王经理', branch: '南山支行', persona: 'zhixing-jiejie' }];
const id = (i: number) => `wm_as_${i}`;
const clients = Array.from({ length: 6 }, (_, i) => ({ id: id(i), rm: 'rm_a', tier: 'basic' }));

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients });
  services = createServices(w.h.ctx);
  await waitUntil(() => services.general().status === 'ready', 10_000, 'redis');
}, 60_000);
afterAll(async () => {
  await services?.close();
  await w?.stop();
});

async function created(res: { status: number; body: unknown }) {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; calendarEntryId: string | null };
}

describe('the activity spiral, wired', () => {
  it('spends the points a flash sale costs with the claim, and refuses a client without enough', async () => {
    const sale = await w.ops.post('/flash-sales', {
      id: 'points-sale',
      name: '午间积分秒杀',
      itemName: '10元话费券',
      stock: 5,
      opensAt: '2026-09-21T01:00:00Z',
      closesAt: '2026-09-21T05:00:00Z',
      pointsCost: 30,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const sales = services.flashSales();
    const grant = await w.ops.post(`/clients/${id(5)}/points/grants`, { amount: 50, reason: '测试发放' });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    expect((await sales.claim('points-sale', id(5), { via: 'link' })).outcome).toBe('won');
    expect((await w.ops.get(`/clients/${id(5)}/points`)).body.balance).toBe(20);
    const poor = await sales.claim('points-sale', id(1), { via: 'link' });
    expect(poor).toMatchObject({ outcome: 'not_eligible', reason: 'points' });
    const results = await w.ops.get('/flash-sales/points-sale');
    expect(results.body).toMatchObject({
      sale: { taken: 1 },
      stockLeft: 4,
      attempts: { won: 1, not_eligible: 1 },
    });
    // The refused client may claim once they have the points: their refusal held no place.
    await w.ops.post(`/clients/${id(1)}/points/grants`, { amount: 30, reason: '测试补发' });
    expect((await sales.claim('points-sale', id(1), { via: 'link' })).outcome).toBe('won');
  });
  it('pays attendance in points and counts it toward the KOC score, once', async () => {
    const night = await created(
      await w.ops.post('/events', {
        kind: 'night_school',
        title: '周五夜校：养老规划',
        startsAt: '2026-09-25T12:00:00Z',
        endsAt: '2026-09-25T13:00:00Z',
        capacity: 10,
        audience: { tiers: ['basic'] },
        invitationComponentId: 'event-night-school',
        context: { topic: '养老规划三步走', speaker: '李老师' },
        pointsForAttendance: 50,
      }),
    );
    for (const c of [id(0), id(1)])
      expect((await w.ops.post(`/events/${night.id}/signups`, { externalUserid: c })).status).toBe(201);
    // Friday 21:00: the night school has started.
    clock.advanceTo(new Date('2026-09-25T13:00:00Z'));
    for (let i = 0; i < 2; i++) {
      const marked = await w.ops.post(`/events/${night.id}/attendance`, { externalUserids: [id(0)] });
      expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    }

    const points = await w.ops.get(`/clients/${id(0)}/points`);
    expect(points.status, JSON.stringify(points.body)).toBe(200);
    expect(points.body.balance).toBe(50);
    expect(points.body.ledger.items).toEqual([
      expect.objectContaining({ kind: 'grant', amount: 50, source: { type: 'event', id: String(night.id) } }),
    ]);
    expect((await w.ops.get(`/clients/${id(1)}/points`)).body.balance).toBe(0);

    const koc = await w.ops.get(`/koc/candidates/${id(0)}`);
    expect(koc.status, JSON.stringify(koc.body)).toBe(200);
    expect(koc.body.contributions).toEqual([expect.objectContaining({ kind: 'event_attended' })]);
  });

  it('invites the top KOC candidates to the tea party through the calendar', async () => {
    const tea = await created(
      await w.ops.post('/events', {
        kind: 'tea_party',
        title: '周日KOC茶话会',
        startsAt: '2026-09-27T07:00:00Z',
        endsAt: '2026-09-27T09:00:00Z',
        capacity: 10,
        audience: { kocTop: 3 },
        invitationComponentId: 'event-koc-tea-party',
        context: { place: '南山支行三楼' },
      }),
    );
    // Only wm_as_0 has contributed anything: the top 3 are that one candidate.
    const event = await w.ops.get(`/events/${tea.id}`);
    expect(event.body.audience).toEqual({ clientIds: [id(0)] });
    const entry = await w.ops.get(`/calendar/entries/${tea.calendarEntryId}`);
    expect(entry.body.audience).toEqual({ clients: [id(0)] });
    const occurrence = await w.fire(services.queues(), tea.calendarEntryId as string);
    expect(occurrence.status).toBe('done');
    expect((await w.ops.get(`/events/${tea.id}`)).body.stats).toMatchObject({ invited: 1 });
  });

  it('leaves events and flash sales to head office: branch ops are refused, in their language', async () => {
    const tokens = createTokenService({ db: w.h.ctx.database.db, audit: createAuditRepository() });
    const branch = (
      await tokens.create({ name: '南山运营', role: 'ops', branchScope: '南山支行', actor: 'test' })
    ).secret;
    const asBranch = (r: request.Test) => r.set('authorization', `Bearer ${branch}`);
    const created = await asBranch(request(w.h.web.app).post('/api/v1/events')).send({});
    expect(created.status).toBe(403);
    expect(created.body.error.message).toBe('events are run by head office only');
    const sales = await asBranch(request(w.h.web.app).get('/api/v1/flash-sales')).set(
      'accept-language',
      'zh-CN',
    );
    expect(sales.status).toBe(403);
    expect(sales.body.error.message).toBe('秒杀活动只能由总行管理。');
    // Reading events stays open to them (sign-ups are cut to their branch).
    expect((await asBranch(request(w.h.web.app).get('/api/v1/events'))).status).toBe(200);
  });
});
