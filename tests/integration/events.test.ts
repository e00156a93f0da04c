import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/app/services.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createAudienceRepository } from '../../src/modules/contacts/audience.repository.ts';
import { createAttendance } from '../../src/modules/events/attendance.service.ts';
import { createEventReminders } from '../../src/modules/events/events.jobs.ts';
import { createEventsRepository } from '../../src/modules/events/events.repository.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Tx } from '../../src/platform/db/client.ts';
import { botChat } from '../helpers/bot-chat.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

// Monday 2026-09-21, 10:00 in Shanghai; the night school is on Friday evening.
const clock = fixedClock(new Date('2026-09-21T02:00:00Z'));
const FRIDAY_20H = '2026-09-25T12:00:00Z';
let w: CampaignWorld;
let services: Services;

const rms = [
  { userid: 'rm_a', name: '王经理', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_b', name: '赵经理', branch: '福田支行', persona: 'zhixing-jiejie' },
];
const id = (i: number) => `wm_ev_${String(i).padStart(2, '0')}`;
const clients = Array.from({ length: 30 }, (_, i) => ({
  id: id(i),
  rm: i % 2 ? 'rm_b' : 'rm_a',
  tier: 'basic',
}));

beforeAll(async () => {
  w = await startCampaignWorld({ clock, rms, clients });
  services = createServices(w.h.ctx);
  await waitUntil(() => services.general().status === 'ready', 10_000, 'redis');
}, 60_000);
afterAll(async () => {
  await services?.close();
  await w?.stop();
});

const nightSchool = (overrides: Record<string, unknown> = {}) => ({
  kind: 'night_school',
  title: '周五夜校：养老规划',
  startsAt: FRIDAY_20H,
  endsAt: '2026-09-25T13:00:00Z',
  capacity: 2,
  audience: { tiers: ['basic'] },
  invitationComponentId: 'event-night-school',
  context: { topic: '养老规划三步走', speaker: '李老师' },
  pointsForAttendance: 50,
  ...overrides,
});

async function createEvent(body: Record<string, unknown>) {
  const res = await w.ops.post('/events', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; calendarEntryId: string | null };
}
const signUp = (eventId: number, externalUserid: string) =>
  w.ops.post(`/events/${eventId}/signups`, { externalUserid });
const cancel = (eventId: number, externalUserid: string) =>
  request(w.h.web.app)
    .delete(`/api/v1/events/${eventId}/signups/${externalUserid}`)
    .set('authorization', `Bearer ${w.opsToken}`);

let night: { id: number; calendarEntryId: string | null };

describe('the night school', () => {
  it('is created with a one-off calendar invitation, whose deliveries are the invited', async () => {
    night = await createEvent(nightSchool());
    expect(night.calendarEntryId).toBe(`event-${night.id}`);
    const entry = await w.ops.get(`/calendar/entries/${night.calendarEntryId}`);
    expect(entry.body).toMatchObject({
      componentId: 'event-night-school',
      channel: 'single',
      audience: { tiers: ['basic'] },
      schedule: { kind: 'once' },
    });
    const occurrence = await w.fire(services.queues(), night.calendarEntryId!);
    expect(occurrence.status).toBe('done');
    const shown = await w.ops.get(`/events/${night.id}`);
    expect(shown.body.stats).toMatchObject({ invited: 30, signedUp: 0 });
  });

  it('refuses an invitation that is not approved content', async () => {
    const res = await w.ops.post('/events', nightSchool({ invitationComponentId: 'no-such-component' }));
    expect(res.status).toBe(400);
  });

  it('fills up, waitlists the next sign-up, and promotes it when a place frees', async () => {
    expect((await signUp(night.id, id(0))).body).toEqual({ outcome: 'signed_up' });
    expect((await signUp(night.id, id(1))).body).toEqual({ outcome: 'signed_up' });
    expect((await signUp(night.id, id(2))).body).toEqual({ outcome: 'waitlisted', position: 1 });
    expect((await signUp(night.id, id(3))).body).toEqual({ outcome: 'waitlisted', position: 2 });
    // A sign-up repeated is answered with where the client already stands, not a second place.
    expect((await signUp(night.id, id(2))).body).toEqual({ outcome: 'already_waitlisted', position: 1 });
    const freed = await cancel(night.id, id(0));
    expect(freed.status, JSON.stringify(freed.body)).toBe(200);
    expect(freed.body).toEqual({ outcome: 'cancelled', promoted: id(2) });
    // The promoted client is told through their RM, with the approved text to forward.
    const notice = await waitUntil(
      () =>
        w.h.emu.emulator
          .inspect()
          .members.find((m) => m.userid === 'rm_a')
          ?.appMessages.find((m) => JSON.stringify(m.payload).includes('候补转正')),
      10_000,
      'promotion notice',
    );
    expect(JSON.stringify(notice?.payload)).toContain('有名额空出，您已从候补转为正式报名');
    const signups = (await w.ops.get(`/events/${night.id}/signups`)).body.items as {
      externalUserid: string;
      status: string;
      promotedAt: string | null;
    }[];
    const by = new Map(signups.map((s) => [s.externalUserid, s]));
    expect(by.get(id(0))?.status).toBe('cancelled');
    expect(by.get(id(2))).toMatchObject({ status: 'signed_up', promotedAt: expect.any(String) });
    expect(by.get(id(3))?.status).toBe('waitlisted');
  });

  it('answers a second cancel with "already cancelled", not an error 500', async () => {
    const again = await cancel(night.id, id(0));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already cancelled/);
  });

  it("shows an RM only their own clients' sign-ups", async () => {
    const items = (await w.rm('rm_a').get(`/events/${night.id}/signups`)).body.items as {
      externalUserid: string;
    }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s) => Number(s.externalUserid.slice(-2)) % 2 === 0)).toBe(true);
    expect((await w.rm('rm_a').post('/events', nightSchool())).status).toBe(403);
  });
});

describe('concurrent sign-ups', () => {
  it('never exceed the capacity', async () => {
    const crowd = Array.from({ length: 20 }, (_, i) => id(i + 10));
    const event = await createEvent(
      nightSchool({ title: '福利日抢位', kind: 'welfare_day', capacity: 5, audience: { clientIds: crowd } }),
    );
    // Explicit clients are the invitation's audience too.
    const entry = await w.ops.get(`/calendar/entries/${event.calendarEntryId}`);
    expect(entry.body.audience).toEqual({ clients: crowd });
    const events = services.events().service;
    const results = await Promise.all(
      crowd.map((c) => events.signUp({ eventId: event.id, externalUserid: c, via: 'link', actor: 'test' })),
    );
    expect(results.filter((r) => r.outcome === 'signed_up')).toHaveLength(5);
    const positions = results
      .flatMap((r) => (r.outcome === 'waitlisted' ? [r.position] : []))
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const [row] = await w.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM event_signups WHERE event_id = ${event.id} AND status = 'signed_up'`,
    );
    expect(row?.n).toBe(5);
  });
});

describe('the sign-up link', () => {
  it('signs up its own client with a valid token, and no one else', async () => {
    const event = await createEvent(nightSchool({ title: '链接报名', capacity: 10 }));
    const token = (await w.ops.get(`/events/${event.id}/link/${id(5)}`)).body.token as string;
    const link = (externalUserid: string, t: string) =>
      request(w.h.web.app).post(`/signup/events/${event.id}`).send({ externalUserid, token: t });
    const ok = await link(id(5), token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toEqual({ outcome: 'signed_up' });
    expect((await link(id(7), token)).status).toBe(403);
    // The API route of the same name is for ops, and needs a sign-in.
    expect(
      (
        await request(w.h.web.app)
          .post(`/api/v1/events/${event.id}/signups`)
          .send({ externalUserid: id(7) })
      ).status,
    ).toBe(401);
  });
});

describe('the bot', () => {
  const chat = () => botChat(() => w.h.emu.emulator, 'wr_events_chat');

  it('signs a client up on 报名 and waitlists them when the event is full', async () => {
    // wm_ev_04 is invited to the night school and the link event (tiers basic): 报名 alone lists both.
    const c = chat();
    const before = await c.ask(id(4), '@Helix助手 报名');
    const pick = await c.nextReply(before);
    expect(pick).toContain(`${night.id}. 周五夜校：养老规划`);

    // The number offered, after 参加 or 报名, answers the list.
    const linkEvent = Number(/(\d+)\. 链接报名/.exec(pick)?.[1]);
    const byNumber = await c.ask(id(4), `@Helix助手 参加${linkEvent}`);
    expect(await c.nextReply(byNumber)).toContain(`报名成功：链接报名（活动编号 ${linkEvent}）`);

    const second = await c.ask(id(4), `@Helix助手 报名 ${night.id}`);
    const waitlisted = await c.nextReply(second);
    expect(waitlisted).toContain('候补');
    expect(waitlisted).toContain('第 2 位');

    const third = await c.ask(id(4), `@Helix助手 取消报名${night.id}`);
    expect(await c.nextReply(third)).toContain('已为您取消');
    const fourth = await c.ask(id(4), `@Helix助手 取消报名 ${night.id}`);
    expect(await c.nextReply(fourth)).toContain('此前已经取消');
  });

  it('tells the RM when a bot cancel promotes a waitlisted client', async () => {
    const c = chat();
    // wm_ev_01 holds a place; wm_ev_03 waits first.
    const before = await c.ask(id(1), `@Helix助手 取消报名 ${night.id}`);
    expect(await c.nextReply(before)).toContain('已为您取消');
    const notice = await waitUntil(
      () =>
        w.h.emu.emulator
          .inspect()
          .members.find((m) => m.userid === 'rm_b')
          ?.appMessages.find((m) => JSON.stringify(m.payload).includes('候补转正')),
      10_000,
      'promotion notice',
    );
    expect(JSON.stringify(notice?.payload)).toContain('wm_ev_03'.slice(0, 8));
  });
});

describe('reminders', () => {
  it('tell each owner RM of their signed-up clients once per offset', async () => {
    const reminders = createEventReminders({
      db: w.db,
      repo: createEventsRepository(),
      clients: createAudienceRepository(),
      app: services.wecom().app,
      timeZone: 'Asia/Shanghai',
      clock,
      log: w.h.ctx.log,
    });
    clock.set(new Date(new Date(FRIDAY_20H).getTime() - 60 * 60_000));
    const first = await reminders.sweep();
    const mine = first.filter((n) => n.eventId === night.id);
    // The day-before reminder is superseded by the hour-before one: one notice per RM, not two.
    expect(mine.map((n) => n.minutesBefore)).toEqual(mine.map(() => 60));
    expect(mine.flatMap((n) => n.clients).sort()).toEqual([id(2), id(3)]);
    expect((await reminders.sweep()).filter((n) => n.eventId === night.id)).toEqual([]);
    const told = (rm: string) =>
      w.h.emu.emulator
        .inspect()
        .members.find((m) => m.userid === rm)
        ?.appMessages.filter((m) => JSON.stringify(m.payload).includes(`活动编号 ${night.id}）将于`)) ?? [];
    expect([told('rm_a').length, told('rm_b').length]).toEqual([1, 1]);
  });
});

describe('after the event', () => {
  it('refuses a sign-up once the event has started', async () => {
    clock.set(new Date(new Date(FRIDAY_20H).getTime() + 5 * 60_000));
    const late = await signUp(night.id, id(6));
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/sign-ups are closed/);
  });

  it('imports attendance with per-line problems, and stats add up', async () => {
    const res = await request(w.h.web.app)
      .post(`/api/v1/events/${night.id}/attendance/import`)
      .set('authorization', `Bearer ${w.opsToken}`)
      .set('content-type', 'text/csv')
      .send(['external_userid', id(2), 'wm_nobody', id(8), id(2)].join('\n'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      attended: 2,
      newlyAttended: 2,
      issues: [
        { line: 3, externalUserid: 'wm_nobody', problem: 'unknown client' },
        { line: 4, externalUserid: id(8), problem: 'not signed up (recorded)' },
      ],
    });
    // The bank's feed activates one attendee after the event.
    await w.db.execute(
      sql`UPDATE clients SET activated_at = now() + interval '1 day' WHERE external_userid = ${id(2)}`,
    );
    const stats = (await w.ops.get(`/events/${night.id}`)).body.stats;
    const [counted] = await w.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM event_signups WHERE event_id = ${night.id}`,
    );
    expect(stats.signedUp + stats.waitlisted + stats.cancelled).toBe(counted?.n);
    expect(stats).toMatchObject({ invited: 30, attended: 2, converted: 1 });
  });

  it('calls onAttended once per newly attended client', async () => {
    const heard: { eventId: number; points: number; externalUserids: string[] }[] = [];
    const attendance = createAttendance({
      db: w.db,
      repo: createEventsRepository(),
      audit: createAuditRepository(),
      clients: createAudienceRepository(),
      onAttended: async (_tx: Tx, a) => {
        heard.push({ eventId: a.eventId, points: a.points, externalUserids: a.externalUserids });
      },
      clock,
    });
    const actor = { name: 'ops', requestId: null };
    await attendance.markAttendance(night.id, [{ line: 1, externalUserid: id(3) }], actor);
    await attendance.markAttendance(
      night.id,
      [
        { line: 1, externalUserid: id(3) },
        { line: 2, externalUserid: id(9) },
      ],
      actor,
    );
    expect(heard).toEqual([
      { eventId: night.id, points: 50, externalUserids: [id(3)] },
      { eventId: night.id, points: 50, externalUserids: [id(9)] },
    ]);
  });
});
