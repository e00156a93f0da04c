import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { AppError } from '../../platform/errors.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { type CsvCell, sendCsv } from '../../platform/http/csv-export.ts';
import { locals } from '../../platform/http/request-context.ts';
import { guardRequestInput, invalidInput, parseOrThrow } from '../../platform/http/validate.ts';
import { byChannel, type Figures, figures, totalsOf } from './channel-economics.report.ts';
import type { CostRow, ProfileRow } from './channel-economics.repository.ts';
import type { ChannelEconomicsService } from './channel-economics.service.ts';

/** Largest revenue file accepted over HTTP. */
const REVENUE_BODY_LIMIT = '20mb';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');
const channelId = z.string().min(1).max(64);
const costPath = z.object({ id: channelId, month });
const idPath = z.object({ id: channelId });
const profilePath = z.object({ channelId });
const costBody = z
  .object({
    cost: z.union([z.number(), z.string().max(32)]),
    reach: z.number().int().min(0).max(2_000_000_000).optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict();
const rangeQuery = z.object({ from: month, to: month, format: z.enum(['json', 'csv']).default('json') });
const recomputeBody = z.object({ from: month, to: month }).strict().partial();
const importQuery = z.object({ fileName: z.string().max(200).optional() });

const costView = z
  .strictObject({
    channelId: z.string(),
    month: z.string(),
    cost: z.string().meta({ description: 'CNY, two decimals' }),
    reach: z.number().int().nullable(),
    note: z.string().nullable(),
    enteredBy: z.string(),
    enteredAt: isoTime,
  })
  .meta({ id: 'ChannelCost' });
const figuresShape = {
  acquired: z.number().int(),
  activated: z.number().int(),
  cost: z.number(),
  reach: z.number().int().nullable(),
  revenue: z.number().meta({ description: "the new clients' revenue within their new-client period" }),
  aac: z
    .number()
    .nullable()
    .meta({ description: 'cost ÷ activated new clients; null without activations or without cost' }),
  aacNote: z.enum(['no activations', 'no cost entered']).optional(),
  lroi: z.number().nullable().meta({ description: 'revenue ÷ cost; null when no cost was entered' }),
  lroiNote: z.literal('no cost entered').optional(),
};
const mix = z.record(z.string(), z.number().int());
const engagement = z.strictObject({ touched30d: z.number(), stillContact: z.number(), inGroup: z.number() });
const mixesShape = {
  tierMix: mix,
  riskMix: mix,
  ageBands: mix,
  topTags: z.array(z.tuple([z.string(), z.number().int()])),
  engagement,
};
const summaryView = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    channels: z.array(
      z.strictObject({
        channelId: z.string(),
        name: z.string(),
        totals: z.strictObject(figuresShape),
        months: z.array(z.strictObject({ month: z.string(), ...figuresShape })),
      }),
    ),
  })
  .meta({ id: 'ChannelProfiles' });
const profileView = z
  .strictObject({
    channelId: z.string(),
    name: z.string(),
    from: z.string(),
    to: z.string(),
    totals: z.strictObject({ ...figuresShape, ...mixesShape }),
    months: z.array(
      z.strictObject({
        month: z.string(),
        ...figuresShape,
        ...mixesShape,
        medianDaysToActivate: z.number().nullable(),
        computedAt: isoTime,
      }),
    ),
  })
  .meta({ id: 'ChannelProfile' });
const importApplied = z.strictObject({
  ok: z.literal(true),
  importId: z.number().int(),
  encoding: z.string(),
  rows: z.number().int(),
  accepted: z.number().int(),
  skipped: z
    .array(z.strictObject({ line: z.number().int(), ref: z.string() }))
    .meta({ description: 'lines whose ref was imported before (nothing added for them)' }),
});
const recomputed = z.strictObject({
  from: z.string(),
  to: z.string(),
  months: z.number().int(),
  rows: z.number().int(),
});

// numeric(14,2): up to 12 integer digits, at most two decimals, never negative.
const COST = /^\d{1,12}(\.\d{1,2})?$/;

/** The cost as numeric text, or a 400 in both languages. */
function costOf(raw: number | string): string {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  if (COST.test(text)) return text;
  const negative = /^-/.test(text);
  throw invalidInput([
    negative
      ? { en: 'cost: must not be negative', zh: 'cost: 成本不能为负数' }
      : {
          en: 'cost: must be an amount in yuan with at most 2 decimals (e.g. 1000 or 1000.50)',
          zh: 'cost: 成本须为以元计的金额，最多两位小数（如 1000 或 1000.50）',
        },
  ]);
}

const presentCost = (c: CostRow): z.infer<typeof costView> => ({
  ...c,
  enteredAt: c.enteredAt.toISOString(),
});
const monthOf = (p: ProfileRow) => ({ month: p.month, ...figures(p) });
const withMixes = (p: ProfileRow) => ({
  ...monthOf(p),
  tierMix: p.tierMix,
  riskMix: p.riskMix,
  ageBands: p.ageBands,
  topTags: p.topTags,
  engagement: p.engagement,
  medianDaysToActivate: p.medianDaysToActivate,
  computedAt: p.computedAt.toISOString(),
});
const onlyFigures = (f: Figures): Figures => {
  const { acquired, activated, cost, reach, revenue, aac, aacNote, lroi, lroiNote } = f;
  return {
    acquired,
    activated,
    cost,
    reach,
    revenue,
    aac,
    ...(aacNote ? { aacNote } : {}),
    lroi,
    ...(lroiNote ? { lroiNote } : {}),
  };
};

const CSV_HEADER = [
  '渠道ID',
  '渠道名称',
  '月份',
  '新增客户',
  '激活客户',
  '成本（元）',
  '触达',
  '新客期收入（元）',
  'AAC（元/激活客户）',
  'LROI',
];
const csvRow = (id: string, name: string, m: string, f: Figures): CsvCell[] => [
  id,
  name,
  m,
  f.acquired,
  f.activated,
  f.cost,
  f.reach,
  f.revenue,
  f.aac ?? (f.aacNote === 'no cost entered' ? '未录入成本' : '暂无激活'),
  f.lroi ?? '未录入成本',
];

/** Revenue crosses branches (the bank's whole feed): head office imports it. */
const headOffice = requireHeadOffice({ en: 'revenue imports', zh: '收入数据导入' });

/**
 * `/api/v1`: channel costs per month (ops, admin; branch ops for their branch's channels), the bank's
 * revenue feed (head office), and the monthly channel profiles (渠道画像) with AAC and LROI, read from the
 * nightly aggregate. RMs see none of it.
 */
export function createChannelEconomicsRouter(deps: { economics: ChannelEconomicsService }): Router {
  const router = Router();
  const actor = (res: Response) => ({
    name: locals(res).principal?.name ?? 'unknown',
    requestId: locals(res).requestId ?? null,
  });

  router.put(
    '/channels/:id/costs/:month',
    contract({
      tag: 'channel-economics',
      summary: "Enter or replace a channel's cost for a month",
      description:
        'The cost is in CNY (a number or numeric text, at most 2 decimals, not negative); `reach` is the ' +
        "audience the channel reported. A channel's lump sum entered at creation counts as cost of its " +
        'creation month, on top of this entry. Audited.',
      params: costPath,
      body: costBody,
      responses: { 200: costView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const p = parseOrThrow(costPath, req.params, 'path');
      const body = parseOrThrow(costBody, req.body, 'body');
      const row = await deps.economics.setCost(
        scopeOf(res),
        p.id,
        p.month,
        { cost: costOf(body.cost), reach: body.reach, note: body.note },
        actor(res),
      );
      res.json(presentCost(row));
    },
  );

  router.get(
    '/channels/:id/costs',
    contract({
      tag: 'channel-economics',
      summary: "A channel's monthly cost entries, newest first",
      params: idPath,
      responses: { 200: z.strictObject({ items: z.array(costView) }) },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { id } = parseOrThrow(idPath, req.params, 'path');
      res.json({ items: (await deps.economics.costs(scopeOf(res), id)).map(presentCost) });
    },
  );

  router.post(
    '/revenue/imports',
    contract({
      tag: 'channel-economics',
      summary: "Import the bank's client revenue lines (all lines or none)",
      description:
        'CSV (`text/csv`, UTF-8, UTF-16 or GB18030) with the columns external_userid, amount, occurred_at ' +
        '(a date, local midnight, or an ISO time with offset) and ref (the bank line id). Like the profile ' +
        'import it is all or nothing: a file with any bad line (unknown client, bad amount, bad date, a ref ' +
        'repeated in the file) changes nothing and its 400 lists every problem by line. A ref imported ' +
        'before is skipped and listed in `skipped`, so importing a file again adds nothing.',
      query: importQuery,
      body: { mediaType: 'text/csv', description: 'the revenue file' },
      responses: { 201: importApplied },
    }),
    requireRole('admin', 'ops'),
    headOffice,
    express.raw({ type: ['text/csv'], limit: REVENUE_BODY_LIMIT }),
    guardRequestInput(),
    async (req: Request, res: Response) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError('unsupported_media_type', {
          message: 'send the file as text/csv',
          zh: '请以 text/csv 格式上传文件。',
        });
      }
      const outcome = await deps.economics.importRevenue({
        file: req.body,
        fileName: parseOrThrow(importQuery, req.query, 'query').fileName ?? null,
        actor: actor(res),
      });
      if (!outcome.ok) {
        throw new AppError('bad_request', {
          message: `import rejected: ${outcome.problems.length} problem(s); nothing was changed`,
          zh: `导入未通过：共 ${outcome.problems.length} 个问题，未做任何更改。`,
          details: { rows: outcome.rows, problems: outcome.problems },
        });
      }
      res.status(201).json(outcome);
    },
  );

  router.post(
    '/channel-profiles/recompute',
    contract({
      tag: 'channel-economics',
      summary: 'Recompute the channel profiles now (the nightly job does this for the last 13 months)',
      description: 'Without `from`/`to`, the 13 months ending with the current month; at most 36 months.',
      body: recomputeBody,
      responses: { 200: recomputed },
    }),
    requireRole('admin', 'ops'),
    requireHeadOffice({ en: 'channel profile recomputes', zh: '渠道画像重算' }),
    async (req: Request, res: Response) => {
      const body = parseOrThrow(recomputeBody, req.body ?? {}, 'body');
      if ((body.from === undefined) !== (body.to === undefined)) {
        throw invalidInput([
          { en: 'to: give both from and to, or neither', zh: 'to: 须同时给出 from 和 to，或都不给' },
        ]);
      }
      res.json(
        await deps.economics.recompute(
          body.from && body.to ? { from: body.from, to: body.to } : { runDate: deps.economics.today() },
        ),
      );
    },
  );

  router.get(
    '/channel-profiles',
    contract({
      tag: 'channel-economics',
      summary: 'Channel profiles by month: new clients, activations, cost, revenue, AAC and LROI',
      description:
        'Per channel, totals over the months (AAC and LROI recomputed from the summed figures) and each ' +
        "month's row, from the nightly aggregate. `aac` is null with `aacNote` when nobody activated or no cost was entered, " +
        '`lroi` null with `lroiNote` when no cost was entered. `?format=csv` downloads it, with the ' +
        'Chinese for "no activations" and "no cost entered" in those cells.',
      query: rangeQuery,
      responses: { 200: summaryView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(rangeQuery, req.query, 'query');
      const rows = await deps.economics.profiles(scopeOf(res), q.from, q.to);
      const channels = byChannel(rows).map((g) => {
        const first = g[0] as ProfileRow;
        return {
          channelId: first.channelId,
          name: first.channelName,
          totals: onlyFigures(totalsOf(g)),
          months: g.map(monthOf),
        };
      });
      if (q.format === 'csv') {
        const lines = channels.flatMap((c) => [
          ...c.months.map((m) => csvRow(c.channelId, c.name, m.month, m)),
          csvRow(c.channelId, c.name, '合计', c.totals),
        ]);
        sendCsv(res, `channel-profiles-${q.from}-${q.to}.csv`, CSV_HEADER, lines);
        return;
      }
      res.json({ from: q.from, to: q.to, channels });
    },
  );

  router.get(
    '/channel-profiles/:channelId',
    contract({
      tag: 'channel-economics',
      summary: "One channel's full profile: mixes, age bands, top tags, engagement, AAC and LROI",
      params: profilePath,
      query: rangeQuery.omit({ format: true }),
      responses: { 200: profileView },
    }),
    requireScopedRole('admin', 'ops'),
    async (req: Request, res: Response) => {
      const { channelId: id } = parseOrThrow(profilePath, req.params, 'path');
      const q = parseOrThrow(rangeQuery.omit({ format: true }), req.query, 'query');
      const { channel, rows } = await deps.economics.profileOf(scopeOf(res), id, q.from, q.to);
      const totals = totalsOf(rows);
      res.json({
        channelId: channel.id,
        name: channel.name,
        from: q.from,
        to: q.to,
        totals,
        months: rows.map(withMixes),
      });
    },
  );

  return router;
}
