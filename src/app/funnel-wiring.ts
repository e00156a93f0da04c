import type { Config } from '../config.ts';
import type { AuditRepository } from '../modules/audit/audit.repository.ts';
import { createFunnelRepository } from '../modules/funnel/funnel.repository.ts';
import { createFunnelService } from '../modules/funnel/funnel.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';

/**
 * The funnel service: weeks in the scheduler's time zone (SCHEDULER_TIMEZONE), churn alerts at
 * CHURN_ALERT_RATE / CHURN_ALERT_MIN, counted in `helix_churn_alerts_total`.
 */
export function createFunnelWiring(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  log: Log;
  metrics: Metrics;
  audit: Pick<AuditRepository, 'append'>;
}) {
  return createFunnelService({
    db: deps.db,
    repo: createFunnelRepository(),
    audit: deps.audit,
    clock: deps.clock,
    log: deps.log,
    alertsRaised: deps.metrics.churnAlerts,
    timeZone: deps.config.scheduler.timezone,
    churnAlert: deps.config.churnAlert,
  });
}
