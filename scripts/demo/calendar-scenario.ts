import { sql } from 'drizzle-orm';
import type { CampaignStats } from '../../src/modules/campaigns/campaign-stats.repository.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { type DemoKit, waitFor } from './demo-kit.ts';

type Listed = {
  entryId: string;
  name: string;
  at: string;
  status: string;
  reason: string | null;
  occurrenceId: number | null;
};
type Stats = CampaignStats;

const DAY = 86_400_000;
const local = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    weekday: 'short',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

/**
 * The content spiral over a simulated week (Mon 2026-09-28 to Sun 10-04, with 国庆 from Thursday) on the
 * demo's accelerated clock: each jump lands on the next occurrence, the scheduler fires it, some RMs confirm
 * their tasks and the others are reminded; a birthday greeting reaches an RM's task list and is marked done.
 */
export async function playCalendarWeek(
  k: DemoKit,
  clock: { advanceTo(d: Date): void; now(): Date },
  weekStart: Date,
) {
  const { say } = k;
  say(
    '7. The content spiral, a simulated week (Mon 9/28 – Sun 10/4; 国庆 from Thursday) on an accelerated clock.',
  );
  // 刘阿姨's birthday is on Tuesday: the bank's feed says so.
  await k.api(
    'POST',
    '/clients/import?fileName=birthdays.csv',
    'external_userid,name,aum_band,tags,birthday\nwm_demo_liu,刘阿姨,lt50k,基金|定投,1962-09-29',
    'text/csv',
  );
  const range = `from=${weekStart.toISOString()}&to=${new Date(weekStart.getTime() + 7 * DAY).toISOString()}`;
  const plan = (await k.api<{ items: Listed[] }>('GET', `/calendar?${range}`)).items.filter(
    (o) => new Date(o.at) > clock.now(),
  );
  const instants = [...new Set(plan.map((o) => o.at))].sort();
  say(
    `   ${plan.length} occurrences planned this week, ${plan.filter((o) => o.status === 'will_skip').length} of them on holidays`,
  );
  const rmToken = await k.token('rm_lihang', 'rm');
  for (const at of instants) {
    clock.advanceTo(new Date(new Date(at).getTime() + 5_000));
    const window = `from=${at}&to=${new Date(new Date(at).getTime() + 1000).toISOString()}`;
    const done = await waitFor(`the occurrences at ${at}`, async () => {
      const items = (await k.api<{ items: Listed[] }>('GET', `/calendar?${window}`)).items;
      return items.every((o) => ['done', 'skipped', 'missed', 'failed'].includes(o.status))
        ? items
        : undefined;
    });
    for (const o of done) {
      let line = `   ${local(o.at)} ${o.name}: ${o.status}`;
      if (o.status === 'done' && o.occurrenceId) {
        const s = (await k.api<{ stats: Stats }>('GET', `/calendar/occurrences/${o.occurrenceId}`)).stats;
        const skipped = Object.entries(s.skipped)
          .map(([r, n]) => `${r} ${n}`)
          .join(', ');
        line += ` — ${s.targeted} targeted, ${s.tasksCreated} RM tasks${skipped ? `, skipped: ${skipped}` : ''}`;
      } else if (o.reason) line += ` (${o.reason})`;
      say(line);
    }
    // The simulated RMs act on what is waiting: about half confirm, the rest are reminded by Helix.
    const sim = k.emulator.simulateRms({ confirmRate: 0.5, seed: at });
    const confirmed = sim.massMessages.reduce((n, m) => n + m.confirmed.length, 0);
    if (confirmed > 0) say(`     RMs confirmed ${confirmed} task(s) in WeCom`);
    if (done.some((o) => o.entryId === 'birthday-greetings' && o.status === 'done')) {
      const list = await k.api<{ touchesDue: { id: number; title: string; kind: string }[] }>(
        'GET',
        '/tasks',
        undefined,
        undefined,
        { as: rmToken },
      );
      const greeting = list.touchesDue.find((t) => t.kind === 'birthday');
      k.expect(Boolean(greeting), 'a birthday greeting on the RM task list');
      if (greeting) {
        say(`     李航's task list: “${greeting.title}” — he sends it and marks it done`);
        await k.api('POST', `/tasks/touches/${greeting.id}/done`, {}, undefined, { as: rmToken });
      }
    }
  }
  // Follow-up rounds poll WeCom each second of real time: wait until the week's confirmations are recorded.
  await waitFor('confirmations recorded', async () => {
    const [r] = await queryRows<{ n: number }>(
      k.db,
      sql`SELECT count(*)::int AS n FROM send_tasks WHERE status = 'confirmed'`,
    );
    return (r?.n ?? 0) > 0 ? true : undefined;
  });
  const reminders = k.emulator
    .inspect()
    .members.flatMap((m) => m.appMessages.map((a) => (a.payload as { content?: string }).content ?? ''))
    .filter((t) => t.includes('群发提醒')).length;
  say(`   reminders sent to RMs who had not confirmed: ${reminders}`);
  say('   The week in figures (per entry):');
  for (const id of ['morning-brief', 'birthday-greetings', 'lunch-flash-sale', 'late-night-topic']) {
    const { stats: s } = await k.api<{ stats: Stats }>('GET', `/calendar/entries/${id}/stats`);
    const skipped =
      Object.entries(s.skipped)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none';
    const why = Object.entries(s.failedReasons)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    say(
      `     ${id}: targeted ${s.targeted}, RM tasks ${s.tasksCreated}, confirmed ${s.tasksConfirmed}, delivered ${s.delivered}, pending ${s.pending}, failed ${s.failed}${why ? ` (${why})` : ''}; skipped: ${skipped}`,
    );
  }
  const statuses = await queryRows<{ status: string; reason: string | null }>(
    k.db,
    sql`SELECT status, reason FROM calendar_occurrences WHERE entry_id = 'morning-brief'`,
  );
  k.expect(
    statuses.some((s) => s.status === 'done'),
    'a morning brief fanned out',
  );
  k.expect(
    statuses.some((s) => s.status === 'skipped' && (s.reason ?? '').includes('国庆')),
    'a holiday skipped',
  );
  k.expect(reminders > 0, 'reminders to RMs who did not confirm');
  const [touch] = await queryRows<{ n: number }>(
    k.db,
    sql`SELECT count(*)::int AS n FROM touches WHERE kind = 'birthday' AND status = 'done'`,
  );
  k.expect((touch?.n ?? 0) > 0, 'the birthday greeting marked done');
}
