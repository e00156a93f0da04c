import path from 'node:path';
import type { Config } from '../config.ts';
import type { AuditRepository } from '../modules/audit/audit.repository.ts';
import { loadTierPolicy } from '../modules/communities/routing-policy.ts';
import { loadMembership } from '../modules/points/membership.ts';
import { createPointsRepository } from '../modules/points/points.repository.ts';
import { createPointsService } from '../modules/points/points.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import { tierPolicyPath } from './profile-import-wiring.ts';

/** The membership levels file inside the content library. */
export const membershipPath = (config: Config) =>
  path.join(config.contentLibraryDir, 'points', 'membership.yaml');

/**
 * The points service and the membership levels. The levels are read and checked against the tier policy's
 * tiers here, so a bad membership file stops the process that needs it at start. Expiry years are counted
 * in the scheduler's time zone (SCHEDULER_TIMEZONE, Asia/Shanghai by default).
 */
export function createPointsWiring(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  audit: Pick<AuditRepository, 'append'>;
}) {
  const tiers = loadTierPolicy(tierPolicyPath(deps.config)).policy.tiers.map((t) => t.id);
  const membership = loadMembership(membershipPath(deps.config), tiers);
  const points = createPointsService({
    db: deps.db,
    repo: createPointsRepository(),
    audit: deps.audit,
    clock: deps.clock,
    timeZone: deps.config.scheduler.timezone,
  });
  return { points, membership };
}
