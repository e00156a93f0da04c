import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  requireHeadOffice,
  requireRole,
  requireScopedRole,
  scopeOf,
} from '../../platform/auth/auth.middleware.ts';
import { contract, isoTime } from '../../platform/http/api-contract.ts';
import { type CsvCell, sendCsv } from '../../platform/http/csv-export.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { CONVERSION_OUTCOMES } from './experiment-stats.ts';
import type { ExperimentsReport, ExperimentsService } from './experiments.service.ts';

const VERDICTS = ['control', 'winner', 'loser', 'no-difference', 'too-early'] as const;

const reportQuery = z.object({
  outcome: z
    .enum(CONVERSION_OUTCOMES)
    .default('clicked')
    .meta({ description: 'the conversion outcome the rate counts (exposed = sent or delivered)' }),
  format: z.enum(['json', 'csv']).default('json'),
});
const componentPath = z.object({ componentId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

const variantView = z
  .strictObject({
    variantId: z.string(),
    isControl: z.boolean(),
    exposed: z.number().int().meta({ description: 'distinct clients sent or delivered the variant' }),
    converted: z.number().int().meta({ description: 'of those, distinct clients with the outcome' }),
    rate: z.number().nullable().meta({ description: 'converted ÷ exposed; null with nobody exposed' }),
    ciLow: z.number().nullable().meta({ description: 'Wilson 95% interval, lower bound' }),
    ciHigh: z.number().nullable().meta({ description: 'Wilson 95% interval, upper bound' }),
    pValue: z
      .number()
      .nullable()
      .meta({ description: 'two-sided two-proportion z-test against the control; null for the control' }),
    verdict: z.enum(VERDICTS),
    sentence: z.string().meta({ description: 'the verdict in Chinese, for the console and CSV' }),
  })
  .meta({ id: 'ExperimentVariant' });
const experimentView = z
  .strictObject({
    componentId: z.string(),
    title: z.string(),
    version: z.number().int(),
    controlId: z.string().meta({ description: 'the first variant the component lists' }),
    alpha: z.number().meta({ description: 'the per-comparison alpha, Bonferroni-corrected' }),
    verdict: z.enum(['winner', 'loser', 'no-difference', 'too-early']),
    winnerId: z.string().nullable(),
    sentence: z.string(),
    variants: z.array(variantView),
  })
  .meta({ id: 'Experiment' });
const reportView = z
  .strictObject({
    outcome: z.enum(CONVERSION_OUTCOMES),
    minExposures: z.number().int(),
    computedAt: isoTime.nullable().meta({ description: 'when the nightly aggregate was computed' }),
    experiments: z.array(experimentView),
  })
  .meta({ id: 'ExperimentsReport' });
const csvNote =
  'With `?format=csv`: a UTF-8 CSV (with a BOM) with Chinese headers, one row per variant instead.';

/** The API's view of a report. */
export function presentReport(r: ExperimentsReport): z.infer<typeof reportView> {
  return { ...r, computedAt: r.computedAt?.toISOString() ?? null };
}

const CSV_HEADER = [
  '组件',
  '版本',
  '方案',
  '触达人数',
  '转化人数',
  '转化率',
  '置信区间下限',
  '置信区间上限',
  'p 值',
  '结论',
];
const percent = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(2)}%`);

/** The report's CSV rows: one per variant; the control's conclusion carries the experiment's verdict. */
export function reportCsvRows(r: ExperimentsReport): CsvCell[][] {
  return r.experiments.flatMap((e) =>
    e.variants.map((v) => [
      e.componentId,
      e.version,
      v.variantId,
      v.exposed,
      v.converted,
      percent(v.rate),
      percent(v.ciLow),
      percent(v.ciHigh),
      v.pValue === null ? '' : v.pValue < 0.0001 ? '<0.0001' : v.pValue.toFixed(4),
      v.isControl ? `对照方案；${e.sentence}` : v.sentence,
    ]),
  );
}

/**
 * `/api/v1/experiments`: A/B results of content components read from the nightly aggregate, with rates,
 * Wilson intervals, z-tests against the control and verdicts; branch ops see their branch's clients only.
 * RMs are refused. Head office (or an admin) may recompute the aggregate at once.
 */
export function createExperimentsRouter(deps: { experiments: ExperimentsService }): Router {
  const router = Router();
  const send = (res: Response, report: ExperimentsReport, format: 'json' | 'csv', fileName: string) => {
    if (format === 'csv') return sendCsv(res, fileName, CSV_HEADER, reportCsvRows(report));
    res.json(presentReport(report));
  };
  router.post(
    '/experiments/recompute',
    contract({
      tag: 'content',
      summary: "Recompute the A/B experiments' aggregate now (otherwise nightly)",
      responses: { 200: z.strictObject({ rows: z.number().int(), computedAt: isoTime }) },
    }),
    requireRole('admin', 'ops'),
    requireHeadOffice({ en: 'experiment recomputes', zh: '实验结果重算' }),
    async (_req: Request, res: Response) => {
      const out = await deps.experiments.recompute();
      res.json({ rows: out.rows, computedAt: out.computedAt.toISOString() });
    },
  );
  router.get(
    '/experiments',
    contract({
      tag: 'content',
      summary: "A/B results of every component's newest version with two or more variants",
      description: csvNote,
      query: reportQuery,
      responses: { 200: reportView },
    }),
    requireScopedRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const q = parseOrThrow(reportQuery, req.query, 'query');
      const report = await deps.experiments.list(scopeOf(res), q.outcome);
      send(res, report, q.format, `experiments-${q.outcome}.csv`);
    },
  );
  router.get(
    '/experiments/:componentId',
    contract({
      tag: 'content',
      summary: "A/B results of one component's versions, newest first",
      description: csvNote,
      params: componentPath,
      query: reportQuery,
      responses: { 200: reportView },
    }),
    requireScopedRole('admin', 'ops', 'compliance'),
    async (req: Request, res: Response) => {
      const { componentId } = parseOrThrow(componentPath, req.params, 'path');
      const q = parseOrThrow(reportQuery, req.query, 'query');
      const report = await deps.experiments.ofComponent(scopeOf(res), componentId, q.outcome);
      send(res, report, q.format, `experiments-${componentId}-${q.outcome}.csv`);
    },
  );
  return router;
}
