import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireScopedRole, scopeOf } from '../../platform/auth/auth.middleware.ts';
import { dateInZone } from '../../platform/calendar/dates.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { contract } from '../../platform/http/api-contract.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { CampaignStatsRepository } from './campaign-stats.repository.ts';

const dailyQuery = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(92)
      .default(14)
      .meta({ description: 'how many local days, today included (1–92, default 14)' }),
  })
  .strict();

const count = z.number().int().min(0);

const dailyView = z.strictObject({
  timeZone: z.string().meta({ description: "the service's time zone, which decides each delivery's date" }),
  days: z
    .array(
      z.strictObject({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        sent: count,
        pending: count,
        failed: count,
        skipped: count,
      }),
    )
    .meta({
      description:
        'every local date of the window, oldest first, zeros included: deliveries (one per occurrence and ' +
        'recipient) by status, on the local date they were decided (`created_at`)',
    }),
  funnel: z
    .strictObject({
      targeted: count.meta({
        description: 'deliveries decided in the window: every recipient, skips included',
      }),
      tasked: count.meta({ description: 'of those, deliveries put in a send task' }),
      confirmed: count.meta({
        description:
          'of those, deliveries whose send task the RM confirmed in WeCom (task status `confirmed`)',
      }),
      delivered: count.meta({ description: 'deliveries with status `sent`' }),
    })
    .meta({ description: "the send funnel over the same window's deliveries" }),
});

/** The local date `n` days after `date` (YYYY-MM-DD); negative `n` goes back. */
function shiftDate(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * `/api/v1/deliveries`: what the campaigns sent, for the console's overview charts. Deliveries per local day
 * by status and the send funnel, within the caller's scope: an RM's own, a branch's RMs', or everyone's.
 */
export function createDeliveriesRouter(deps: {
  db: Db;
  stats: Pick<CampaignStatsRepository, 'deliveriesByDay' | 'deliveriesFunnel'>;
  timeZone: string;
  clock: Clock;
}): Router {
  const router = Router();

  router.get(
    '/deliveries/daily',
    contract({
      tag: 'deliveries',
      summary: 'Deliveries per day by status, and the send funnel, over the last `days` local days',
      description:
        "Days are dates in the service's time zone (`timeZone`), today included. An RM sees the deliveries " +
        'reached through them, branch ops their branch, admin and head-office ops everyone.',
      query: dailyQuery,
      responses: { 200: dailyView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const { days } = parseOrThrow(dailyQuery, req.query, 'query');
      const scope = scopeOf(res);
      const to = dateInZone(deps.clock.now(), deps.timeZone);
      const window = { from: shiftDate(to, -(days - 1)), to, timeZone: deps.timeZone };
      const [daily, funnel] = await Promise.all([
        deps.stats.deliveriesByDay(deps.db, window, scope),
        deps.stats.deliveriesFunnel(deps.db, window, scope),
      ]);
      res.json({ timeZone: deps.timeZone, days: daily, funnel });
    },
  );

  return router;
}
