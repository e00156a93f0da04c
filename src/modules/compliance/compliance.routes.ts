import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../platform/auth/auth.middleware.ts';
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

/**
 * `POST /api/v1/compliance/check` for the RM sidebar and the LLM: any authenticated role may ask. The API's
 * JSON parser already answers 413 to bodies over its limit and 400 to bodies that are not JSON.
 */
export function createComplianceRouter(deps: { checker: ComplianceChecker }): Router {
  const router = Router();
  router.post(
    '/compliance/check',
    requireRole('admin', 'ops', 'compliance', 'rm'),
    (req: Request, res: Response) => {
      const body = parseOrThrow(checkBody, req.body, 'body');
      res.json(
        deps.checker.check(
          body.text,
          body.productRiskLevel ? { productRiskLevel: body.productRiskLevel } : {},
        ),
      );
    },
  );
  return router;
}
