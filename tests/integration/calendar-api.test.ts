import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSchedulerRole } from '../../src/app/scheduler.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { type CampaignWorld, startCampaignWorld } from '../helpers/campaign-world.ts';
import { waitUntil } from '../helpers/infra.ts';

// The file's clock only moves forward: Monday 2026-09-21, 10:00 in Shanghai, for the plans around 国庆
// (an entry's occurrences start when it is created); the scheduler cases later move it to December.
const clock = fixedClock(new Date('2026-09-21T02:00:00Z'));
let w: CampaignWorld;

const rms = [
  { userid: 'rm_a', name: '王经理', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_b', name: '赵经理', branch: '福田支行', persona: 'zhixing-jiejie' },
];
// Basic-tier clients, so an occurrence for tiers ['basic'] has an audience and is fanned out ('done').
const clients = Array.from({ length: 4 }, (_, i) => ({
  id: `wm_calapi_${i}`,
  rm: i % 2 ? 'rm_b' : 'rm_a',
  tier: 'basic',
}));

beforeAll(async () => {
  // The world ends the library's seed entries, so the scheduler cases below see only this file's entries
  // (and the missed count on /metrics is theirs alone).
  w = await startCampaignWorld({ clock, rms, clients });
}, 60_000);
afterAll(async () => w?.stop());

/** A valid entry body; cases override what they test. A one-off far ahead never comes due in this file. */
const entry = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: '早间财经速递',
  componentId: 'morning-brief-daily',
  channel: 'single',
  audience: { tiers: ['basic'] },
  schedule: { kind: 'once', at: '2027-06-01T00:00:00Z' },
  owner: 'ops',
  ...overrides,
});

/** The entry body a PUT takes: the definition without the id, plus the version it was read at. */
const editBody = (version: number, overrides: Record<string, unknown> = {}) => {
  const { id: _id, ...body } = entry('unused', overrides);
  return { version, ...body };
};

async function create(body: Record<string, unknown>) {
  const res = await w.ops.post('/calendar/entries', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; status: string };
}

const recorded = (entryId: string) =>
  w.rows<{ at: string; status: string; reason: string | null }>(
    sql`SELECT to_char(scheduled_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS at, status, reason
          FROM calendar_occurrences WHERE entry_id = ${entryId} ORDER BY scheduled_at`,
  );

type Listed = { entryId: string; at: string; status: string; reason: string | null };

/** GET /calendar for one entry over a local (Shanghai) range. */
async function listed(entryId: string, from: string, to: string): Promise<Listed[]> {
  const res = await w.ops.get(
    `/calendar?entry=${entryId}&from=${encodeURIComponent(`${from}+08:00`)}&to=${encodeURIComponent(`${to}+08:00`)}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** Local HH:MM of an ISO instant, Shanghai being UTC+8 all year. */
const hhmm = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

/** Runs a scheduler role (its start-up catch-up tick), waits for `until`, and stops it. */
async function schedulerRun<T>(until?: () => Promise<T | undefined>, what = 'the occurrences') {
  const scheduler = await startSchedulerRole(w.h.ctx);
  try {
    return until ? await waitUntil(until, 20_000, what) : undefined;
  } finally {
    await scheduler.stop();
  }
}

describe('validation', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'an invalid cron',
      { schedule: { kind: 'cron', cron: '61 * * * *' } },
      /schedule\.cron: not a valid cron expression/,
    ],
    [
      'a time zone that does not exist',
      { schedule: { kind: 'cron', cron: '0 8 * * *', timezone: 'Mars/Olympus_Mons' } },
      /schedule\.timezone: not a time zone/,
    ],
    [
      'a component with no approved version',
      { componentId: 'no-such-component' },
      /componentId: no-such-component has no approved version/,
    ],
    ['an empty audience on the single channel', { audience: {} }, /audience: name an audience/],
    [
      'the robot channel without robotKeys',
      { channel: 'robot', audience: {} },
      /robotKeys: the robot channel needs robotKeys/,
    ],
    ['an unknown key', { sendTwice: true }, /sendTwice/],
  ];
  for (const [what, overrides, message] of cases)
    it(`refuses ${what} with a 400 naming the field`, async () => {
      const res = await w.ops.post('/calendar/entries', entry('refused', overrides));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toMatch(message);
      expect((await w.ops.get('/calendar/entries/refused')).status).toBe(404);
    });

  it('refuses the same fields on an edit', async () => {
    const e = await create(entry('edit-checked'));
    const res = await w.ops.put('/calendar/entries/edit-checked', editBody(e.version, { audience: {} }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/audience: name an audience/);
    expect((await w.ops.get('/calendar/entries/edit-checked')).body.version).toBe(e.version);
  });

  it('checks context values against the compliance rules, as the approved text was', async () => {
    const res = await w.ops.post(
      '/calendar/entries',
      entry('topic-banned', { componentId: 'evening-topic-daily', context: { topic: '这款理财保本稳赚' } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^context: .*保本/);
    const ok = await w.ops.post(
      '/calendar/entries',
      entry('topic-fine', { componentId: 'evening-topic-daily', context: { topic: '家庭应急金该留多少' } }),
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('answers a duplicate id with 409 and keeps the first entry', async () => {
    await create(entry('dup-entry'));
    const res = await w.ops.post('/calendar/entries', entry('dup-entry', { name: '第二个' }));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/dup-entry exists already/);
    expect((await w.ops.get('/calendar/entries/dup-entry')).body).toMatchObject({
      name: '早间财经速递',
      version: 1,
    });
  });
});

describe('optimistic locking', () => {
  it('lets exactly one of two concurrent edits of one version through, whole', async () => {
    const e = await create(entry('race'));
    const bodies = [editBody(e.version, { name: '版本甲' }), editBody(e.version, { name: '版本乙' })];
    const results = await Promise.all(bodies.map((b) => w.ops.put('/calendar/entries/race', b)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.message).toMatch(/reload and try again/);
    const now = (await w.ops.get('/calendar/entries/race')).body;
    expect(now.version).toBe(e.version + 1);
    expect(now.name).toBe(winner.body.name);
    expect(['版本甲', '版本乙']).toContain(now.name);
  });

  it('refuses pause, resume and end on a stale version, and any change once ended', async () => {
    const e = await create(entry('stale'));
    const edited = await w.ops.put('/calendar/entries/stale', editBody(e.version, { name: '改过' }));
    expect(edited.status).toBe(200);
    for (const verb of ['pause', 'resume', 'end'])
      expect((await w.ops.post(`/calendar/entries/stale/${verb}`, { version: e.version })).status).toBe(409);
    const ended = await w.ops.post('/calendar/entries/stale/end', { version: edited.body.version });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    const edit = await w.ops.put('/calendar/entries/stale', editBody(ended.body.version, { name: '复活' }));
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/has ended/);
    expect((await w.ops.post('/calendar/entries/stale/resume', { version: ended.body.version })).status).toBe(
      409,
    );
    expect((await w.ops.get('/calendar/entries/stale')).body).toMatchObject({
      name: '改过',
      status: 'ended',
      version: ended.body.version,
    });
  });
});

describe('audit', () => {
  it('records create, edit, pause, resume and end of an entry, by whom', async () => {
    let v = (await create(entry('audited'))).version;
    const steps: [string, () => request.Test][] = [
      ['edit', () => w.ops.put('/calendar/entries/audited', editBody(v, { name: '审计' }))],
      ['pause', () => w.ops.post('/calendar/entries/audited/pause', { version: v })],
      ['resume', () => w.ops.post('/calendar/entries/audited/resume', { version: v })],
      ['end', () => w.ops.post('/calendar/entries/audited/end', { version: v })],
    ];
    for (const [what, step] of steps) {
      const res = await step();
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(200);
      v = res.body.version;
    }
    // The audit log is read by admin and compliance, not by ops.
    expect((await w.ops.get('/audit-log')).status).toBe(403);
    const admin = await w.as('admin');
    const res = await admin.get('/audit-log?targetType=calendar_entry&limit=500');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = (res.body.items as { action: string; targetId: string; actor: string }[])
      .filter((a) => a.targetId === 'audited')
      .reverse();
    expect(mine.map((a) => a.action)).toEqual([
      'calendar.entry.create',
      'calendar.entry.edit',
      'calendar.entry.pause',
      'calendar.entry.resume',
      'calendar.entry.end',
    ]);
    expect(new Set(mine.map((a) => a.actor))).toEqual(new Set(['运营总部']));
  });
});

describe('listing', () => {
  it('expands future occurrences and shows the holidays a rule skips, by name', async () => {
    await create(
      entry('holiday-brief', {
        schedule: { kind: 'cron', cron: '0 8 * * *', timezone: 'Asia/Shanghai' },
        skip: 'holidays',
      }),
    );
    const items = await listed('holiday-brief', '2026-09-28T00:00:00', '2026-10-10T00:00:00');
    const byDay = items.map((o) => [
      new Date(new Date(o.at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
      hhmm(o.at),
      o.status,
      o.reason,
    ]);
    const oct = (d: number) => `2026-10-0${d}`;
    expect(byDay).toEqual([
      ...['2026-09-28', '2026-09-29', '2026-09-30'].map((d) => [d, '08:00', 'scheduled', null]),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => [oct(d), '08:00', 'will_skip', 'holiday: 国庆节']),
      ...[8, 9].map((d) => [oct(d), '08:00', 'scheduled', null]),
    ]);
    // Ended, so it is not still due when the scheduler cases move the clock on.
    const ended = await w.ops.post('/calendar/entries/holiday-brief/end', { version: 1 });
    expect(ended.status).toBe(200);
  });

  it('refuses a range over 92 days, an empty or inverted one, and a missing bound', async () => {
    const q = (from: string, to: string) =>
      w.ops.get(`/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const long = await q('2026-10-01T00:00:00+08:00', '2027-01-02T00:00:00+08:00');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/at most 92 days/);
    for (const [from, to] of [
      ['2026-10-02T00:00:00+08:00', '2026-10-01T00:00:00+08:00'],
      ['2026-10-01T00:00:00+08:00', '2026-10-01T00:00:00+08:00'],
    ]) {
      const res = await q(from!, to!);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/from must be before to/);
    }
    const missing = await w.ops.get('/calendar?from=2026-10-01T00:00:00%2B08:00');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/to:/);
    expect((await q('2026-10-01T00:00:00+08:00', '2026-12-31T00:00:00+08:00')).status).toBe(200);
  });
});

describe('authorization', () => {
  it('lets only head-office ops change the calendar; branch ops and RMs read it', async () => {
    const branchOps = await w.as('ops', '南山支行');
    const denied = await branchOps.post('/calendar/entries', entry('from-branch'));
    expect(denied.status).toBe(403);
    const rm = w.rm('rm_a');
    expect((await rm.post('/calendar/entries', entry('from-rm'))).status).toBe(403);
    const read = await rm.get(
      `/calendar?from=${encodeURIComponent('2026-10-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-10-02T00:00:00+08:00')}`,
    );
    expect(read.status).toBe(200);
    expect(Array.isArray(read.body.items)).toBe(true);
    for (const id of ['from-branch', 'from-rm'])
      expect((await w.ops.get(`/calendar/entries/${id}`)).status).toBe(404);
  });
});

describe('the scheduler after downtime', () => {
  it('fires what is within the catch-up window, records older occurrences as missed, and counts them', async () => {
    // Monday 2026-12-07, 10:05 in Shanghai: the entry fires at :00 and :30.
    clock.set(new Date('2026-12-07T02:05:00Z'));
    w.writeMarket(clock.now());
    await create(
      entry('downtime', { schedule: { kind: 'cron', cron: '*/30 * * * *', timezone: 'Asia/Shanghai' } }),
    );
    // No scheduler ran for 2 h 10 min: 10:30 and 11:00 are older than the 60-minute window, 11:30 and 12:00 not.
    clock.set(new Date('2026-12-07T04:15:00Z'));
    w.writeMarket(clock.now());
    const settled = await schedulerRun(async () => {
      const o = await recorded('downtime');
      return o.length === 4 && o.every((x) => x.status !== 'running') ? o : undefined;
    });
    expect(settled?.map((o) => [o.at, o.status])).toEqual([
      ['10:30', 'missed'],
      ['11:00', 'missed'],
      ['11:30', 'done'],
      ['12:00', 'done'],
    ]);
    expect(settled?.[0]?.reason).toMatch(/catch-up window/);

    const items = await listed('downtime', '2026-12-07T10:00:00', '2026-12-07T13:31:00');
    expect(items.map((o) => [hhmm(o.at), o.status])).toEqual([
      ['10:30', 'missed'],
      ['11:00', 'missed'],
      ['11:30', 'done'],
      ['12:00', 'done'],
      ['12:30', 'scheduled'],
      ['13:00', 'scheduled'],
      ['13:30', 'scheduled'],
    ]);

    const metrics = await request(w.h.web.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^helix_calendar_occurrences\{status="missed"\} 2$/m);
    expect(metrics.text).toMatch(/^helix_calendar_occurrences\{status="done"\} 2$/m);

    // Ended, so the pause case below is the only entry the next schedulers see.
    expect((await w.ops.post('/calendar/entries/downtime/end', { version: 1 })).status).toBe(200);
  });
});

describe('pausing', () => {
  it('stops only the occurrences after the pause, and resuming fires the next instant', async () => {
    // 13:05 in Shanghai: an hourly entry.
    clock.set(new Date('2026-12-07T05:05:00Z'));
    w.writeMarket(clock.now());
    await create(
      entry('pausable', { schedule: { kind: 'cron', cron: '0 * * * *', timezone: 'Asia/Shanghai' } }),
    );

    clock.set(new Date('2026-12-07T06:00:30Z'));
    w.writeMarket(clock.now());
    await schedulerRun(
      async () => (await recorded('pausable'))[0]?.status === 'done',
      'the 14:00 occurrence',
    );

    clock.set(new Date('2026-12-07T06:10:00Z'));
    const paused = await w.ops.post('/calendar/entries/pausable/pause', { version: 1 });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    // 15:00:30 with the entry paused: a scheduler tick finds nothing due.
    clock.set(new Date('2026-12-07T07:00:30Z'));
    w.writeMarket(clock.now());
    await schedulerRun();
    expect(await recorded('pausable')).toEqual([{ at: '14:00', status: 'done', reason: null }]);
    expect(
      (await listed('pausable', '2026-12-07T13:00:00', '2026-12-07T18:00:00')).map((o) => [
        hhmm(o.at),
        o.status,
      ]),
    ).toEqual([['14:00', 'done']]);

    clock.set(new Date('2026-12-07T07:10:00Z'));
    const resumed = await w.ops.post('/calendar/entries/pausable/resume', { version: paused.body.version });
    expect(resumed.status).toBe(200);
    expect(
      (await listed('pausable', '2026-12-07T13:00:00', '2026-12-07T18:00:00')).map((o) => [
        hhmm(o.at),
        o.status,
      ]),
    ).toEqual([
      ['14:00', 'done'],
      ['16:00', 'scheduled'],
      ['17:00', 'scheduled'],
    ]);

    clock.set(new Date('2026-12-07T08:00:30Z'));
    w.writeMarket(clock.now());
    const after = await schedulerRun(async () => {
      const o = await recorded('pausable');
      return o.length === 2 && o[1]?.status === 'done' ? o : undefined;
    }, 'the 16:00 occurrence');
    // 15:00 came while the entry was paused: it is not recorded, not even as missed.
    expect(after?.map((o) => [o.at, o.status])).toEqual([
      ['14:00', 'done'],
      ['16:00', 'done'],
    ]);
  });
});
