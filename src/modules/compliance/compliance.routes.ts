import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
import { contract } from '../../platform/http/api-contract.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { RISK_LEVELS } from './compliance.rules.ts';
import type { ComplianceChecker } from './compliance.service.ts';

/** The longest text one check takes; a WeCom text message is at most 2,048 bytes, a card or article more. */
export const CHECK_MAX_CHARS = 20_000;

const checkBody = z
  .object({
    text: z.string().max(CHECK_MAX_CHARS, `must be at most ${CHECK_MAX_CHARS} characters`),
    productRiskLevel: z.enum(RISK_LEVELS).optional(),
  })
  .strict();

/** One explainable finding of a compliance check, as the API shows it. */
export const complianceFindingView = z
  .strictObject({
    rule: z.string(),
    kind: z.enum(['banned-claim', 'missing-disclosure', 'pii']),
    span: z
      .tuple([z.number().int(), z.number().int()])
      .meta({ description: 'start and end offsets in the original text' }),
    severity: z.enum(['block', 'warn']),
    suggestion: z.string(),
  })
  .meta({ id: 'ComplianceFinding' });

/** The verdict on one text, as the API shows it (`ComplianceResult`). */
export const complianceResultView = z
  .strictObject({
    ok: z.boolean().meta({ description: 'false when a finding blocks the text' }),
    findings: z.array(complianceFindingView),
    masked: z.string().meta({ description: 'the text with PII masked' }),
  })
  .meta({ id: 'ComplianceResult' });

/**
 * `POST /api/v1/compliance/check` for the RM sidebar and the LLM: any authenticated role may ask. The API's
 * JSON parser already answers 413 to bodies over its limit and 400 to bodies that are not JSON.
 */
export function createComplianceRouter(deps: { checker: ComplianceChecker }): Router {
  const router = Router();
  router.post(
    '/compliance/check',
    contract({
      tag: 'compliance',
      summary: 'Check a text against the compliance rules',
      description: 'Banned claims, missing risk disclosures and PII, each with where it is and what to do.',
      body: checkBody,
      responses: { 200: complianceResultView },
    }),
    requireRole('admin', 'ops', 'compliance', 'rm'),
    (req: Request, res: Response) => {
      const body = parseOrThrow(checkBody, req.body, 'body');
      const result: z.infer<typeof complianceResultView> = deps.checker.check(
        body.text,
        body.productRiskLevel ? { productRiskLevel: body.productRiskLevel } : {},
      );
      res.json(result);
    },
  );
  return router;
}
