import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { isIsoDate } from '../../platform/calendar/dates.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { sendCsv } from '../../platform/http/csv-export.ts';
import { locals } from '../../platform/http/request-context.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import type { FunnelService } from './funnel.service.ts';

const isoDate = z
  .string()
  .refine(isIsoDate, 'must be a date YYYY-MM-DD')
  .meta({ description: 'a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD' });
const format = z.enum(['json', 'csv']).default('json');
const funnelQuery = z
  .object({ from: isoDate, to: isoDate, by: z.enum(['channel', 'rm', 'week']).default('channel'), format })
  .strict();
const cohortsQuery = z
  .object({ from: isoDate, to: isoDate, channel: z.string().min(1).max(64).optional(), format })
  .strict();
const churnQuery = z.object({ week: isoDate, format }).strict();
const recomputeBody = z.object({ runDate: isoDate.optional() }).strict();

const count = z.number().int().min(0);
const rate = z.number().nullable().meta({ description: 'null when the denominator is 0' });
const funnelView = z.strictObject({
  by: z.enum(['channel', 'rm', 'week']),
  items: z.array(
    z.strictObject({
      key: z
        .string()
        .meta({ description: "the channel id, the RM's userid ('' = no RM) or the week's Monday" }),
      aware: count,
      acquired: count,
      activated: count,
      churnedByClient: count,
      removedByRm: count,
      acquisitionRate: rate.meta({ description: 'acquired ÷ aware' }),
      activationRate: rate.meta({ description: 'activated ÷ acquired' }),
    }),
  ),
});
const share = z.number().nullable();
const cohortsView = z.strictObject({
  cohorts: z.array(
    z.strictObject({
      cohortWeek: z.string(),
      size: count,
      weeks: z.array(
        z.strictObject({
          weeksAfter: count,
          stillContact: count,
          inGroup: count,
          touched: count,
          active: count,
          shares: z.strictObject({ stillContact: share, inGroup: share, touched: share, active: share }),
        }),
      ),
    }),
  ),
});
const churnView = z.strictObject({
  week: z.string(),
  items: z.array(
    z.strictObject({ rm: z.string(), channelId: z.string(), churnedByClient: count, removedByRm: count }),
  ),
  alerts: z.array(
    z.strictObject({
      rm: z.string(),
      churned: count,
      base: count,
      rate: z.number(),
      threshold: z.number(),
      raisedAt: isoTime,
    }),
  ),
});
const recomputeView = z.strictObject({
  runDate: z.string(),
  weeks: z.strictObject({ first: z.string(), last: z.string() }),
  cohorts: z.strictObject({ first: z.string(), last: z.string() }),
  funnelRows: count,
  cohortRows: count,
  alertsRaised: count,
});

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
const CSV = 'Add `format=csv` for a CSV download (Chinese headers, UTF-8 with BOM).';

/**
 * `/api/v1/funnel`: the acquisition funnel, retention cohorts and churn (DESIGN §6), read from the nightly
 * aggregates only, within the caller's scope (branch ops: their RMs' rows and their channels' link opens;
 * an RM: their own); and a manual recompute for head office.
 */
export function createFunnelRouter(deps: { funnel: FunnelService }): Router {
  const router = Router();
  router.get(
    '/funnel',
    contract({
      tag: 'funnel',
      summary: 'Funnel totals (aware, acquired, activated, churn) by channel, RM or week',
      description:
        'Weeks (Monday, SCHEDULER_TIMEZONE) that start between the week of `from` and `to`. Awareness is ' +
        "tracked-link opens (on the channel's row with rm '') plus acquisitions. " +
        CSV,
      query: funnelQuery,
      responses: { 200: funnelView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(funnelQuery, req.query, 'query');
      const rows = await deps.funnel.totals(scopeOf(res), q);
      const items = rows.map((r) => ({
        ...r,
        acquisitionRate: ratio(r.acquired, r.aware),
        activationRate: ratio(r.activated, r.acquired),
      }));
      if (q.format === 'csv') {
        const keyHeader = { channel: '渠道', rm: '客户经理', week: '周（周一）' }[q.by];
        return sendCsv(
          res,
          `funnel-${q.by}-${q.from}-${q.to}.csv`,
          [keyHeader, '曝光', '获客', '激活', '客户删除', '客户经理删除', '获客转化率', '激活转化率'],
          items.map((i) => [
            i.key,
            i.aware,
            i.acquired,
            i.activated,
            i.churnedByClient,
            i.removedByRm,
            i.acquisitionRate,
            i.activationRate,
          ]),
        );
      }
      res.json({ by: q.by, items });
    },
  );
  router.get(
    '/funnel/cohorts',
    contract({
      tag: 'funnel',
      summary: 'Retention cohorts: each acquisition week × weeks after, with shares of the cohort',
      description:
        'Still a contact and in a group: at the end of that week. Touched: an RM completed a touch in it. ' +
        `Active: touched, or an activation event in that week. ${CSV}`,
      query: cohortsQuery,
      responses: { 200: cohortsView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(cohortsQuery, req.query, 'query');
      const cells = await deps.funnel.cohorts(scopeOf(res), {
        from: q.from,
        to: q.to,
        ...(q.channel ? { channelId: q.channel } : {}),
      });
      const shares = (c: (typeof cells)[number]) => ({
        stillContact: ratio(c.stillContact, c.size),
        inGroup: ratio(c.inGroup, c.size),
        touched: ratio(c.touched, c.size),
        active: ratio(c.active, c.size),
      });
      if (q.format === 'csv') {
        return sendCsv(
          res,
          `funnel-cohorts-${q.from}-${q.to}.csv`,
          [
            '获客周',
            '第几周',
            '人数',
            '仍为好友',
            '在群',
            '被触达',
            '活跃',
            '好友留存率',
            '在群率',
            '触达率',
            '活跃率',
          ],
          cells.map((c) => {
            const s = shares(c);
            return [
              c.cohortWeek,
              c.weeksAfter,
              c.size,
              c.stillContact,
              c.inGroup,
              c.touched,
              c.active,
              s.stillContact,
              s.inGroup,
              s.touched,
              s.active,
            ];
          }),
        );
      }
      const byWeek = new Map<string, z.infer<typeof cohortsView>['cohorts'][number]>();
      for (const c of cells) {
        let row = byWeek.get(c.cohortWeek);
        if (!row) {
          row = { cohortWeek: c.cohortWeek, size: c.size, weeks: [] };
          byWeek.set(c.cohortWeek, row);
        }
        const { cohortWeek: _w, size: _s, ...counts } = c;
        row.weeks.push({ ...counts, shares: shares(c) });
      }
      res.json({ cohorts: [...byWeek.values()] });
    },
  );
  router.get(
    '/funnel/churn',
    contract({
      tag: 'funnel',
      summary: "A week's deletions per RM and channel, by direction, and its churn alerts",
      description: `The week (Monday, SCHEDULER_TIMEZONE) that holds \`week\`. ${CSV}`,
      query: churnQuery,
      responses: { 200: churnView },
    }),
    requireScopedRole('admin', 'ops', 'rm'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(churnQuery, req.query, 'query');
      const out = await deps.funnel.churn(scopeOf(res), q.week);
      const alerted = new Map(out.alerts.map((a) => [a.rm, a]));
      if (q.format === 'csv') {
        return sendCsv(
          res,
          `funnel-churn-${out.week}.csv`,
          ['周（周一）', '客户经理', '渠道', '客户删除', '客户经理删除', '流失预警', '预警流失率'],
          out.rows.map((r) => [
            out.week,
            r.rm,
            r.channelId,
            r.churnedByClient,
            r.removedByRm,
            alerted.has(r.rm) ? '是' : '否',
            alerted.get(r.rm)?.rate,
          ]),
        );
      }
      res.json({
        week: out.week,
        items: out.rows,
        alerts: out.alerts.map((a) => ({
          rm: a.rm,
          churned: a.churned,
          base: a.base,
          rate: a.rate,
          threshold: a.threshold,
          raisedAt: new Date(a.createdAt).toISOString(),
        })),
      });
    },
  );
  router.post(
    '/funnel/recompute',
    contract({
      tag: 'funnel',
      summary: 'Recompute the funnel, cohorts and churn alerts for a business date (default today)',
      body: recomputeBody,
      responses: { 200: recomputeView },
    }),
    requireRole('admin', 'ops'),
    requireHeadOffice({ en: 'funnel recomputations', zh: '漏斗重算' }),
    async (req: Request, res: Response) => {
      const { runDate } = parseOrThrow(recomputeBody, req.body ?? {}, 'body');
      const out = await deps.funnel.recomputeAsked(runDate ?? deps.funnel.today(), {
        name: locals(res).principal?.name ?? 'unknown',
        requestId: locals(res).requestId ?? null,
      });
      res.json(out);
    },
  );
  return router;
}

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>链接无效</title>' +
  '<p>此链接无效或已停用。This link is not valid or no longer in use.</p></html>';
const statePath = z.object({ state: z.string().min(1).max(30) });

/**
 * The public tracked link `/go/<state>` ops print on posters instead of the raw QR image: counts a link
 * open (awareness) and redirects to the channel's QR code. Unknown, archived or QR-less: a 404 page. No
 * sign-in; not rate-limited per IP (an inflated count is the only harm).
 */
export function createFunnelLinkRouter(deps: { funnel: Pick<FunnelService, 'openLink'> }): Router {
  const router = Router();
  router.get('/go/:state', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const p = statePath.safeParse(req.params);
    const open = p.success ? await deps.funnel.openLink(p.data.state) : null;
    if (!open) {
      res.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    res.redirect(302, open.redirectTo);
  });
  return router;
}
