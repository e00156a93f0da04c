import path from 'node:path';
import type { Config } from '../config.ts';
import type { AuditRepository } from '../modules/audit/audit.repository.ts';
import { taskFiguresByRm } from '../modules/campaigns/rm-figures.repository.ts';
import { clientFiguresByRm, ownerRmOf } from '../modules/contacts/rm-figures.repository.ts';
import { clicksByOwnerRm } from '../modules/content/content.repository.ts';
import { handoffFiguresByRm } from '../modules/conversations/conversations.repository.ts';
import { createRmScoresRepository } from '../modules/engagement/rm-scores.repository.ts';
import { loadScorePolicy, type ScorePolicy } from '../modules/engagement/score-policy.ts';
import { createScoringService } from '../modules/engagement/scoring.service.ts';
import { createTouchesRepository } from '../modules/engagement/touches.repository.ts';
import { wonClaimsByOwnerRm } from '../modules/flash-sales/flash-sales.repository.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';

/** The engagement score policy file inside the content library. */
export const scorePolicyPath = (config: Config) =>
  path.join(config.contentLibraryDir, 'engagement', 'score-policy.yaml');

/**
 * The engagement scoring service on the configured policy (or `policy`, for a test's own file). The file is
 * read and validated here, so a bad file stops the process that needs it at start. Each module that owns
 * data gives its per-RM figures; the contacts module's `ownerRmOf` attributes clients' outcomes to RMs.
 */
export function createEngagementWiring(deps: {
  config: Config;
  db: Db;
  audit: AuditRepository;
  clock: Clock;
  log: Log;
  policy?: ScorePolicy;
}) {
  const policy = deps.policy ?? loadScorePolicy(scorePolicyPath(deps.config));
  const scores = createRmScoresRepository();
  return createScoringService({
    db: deps.db,
    scores,
    touches: createTouchesRepository(),
    figures: {
      clients: clientFiguresByRm,
      handoffs: handoffFiguresByRm,
      tasks: taskFiguresByRm,
      wonClaims: (db, from, to) => wonClaimsByOwnerRm(db, from, to, ownerRmOf),
      clicks: (db, from, to) => clicksByOwnerRm(db, from, to, ownerRmOf),
    },
    policy: () => policy,
    rmVisible: scores.rmVisible,
    audit: deps.audit,
    timeZone: deps.config.scheduler.timezone,
    clock: deps.clock,
    log: deps.log,
  });
}
