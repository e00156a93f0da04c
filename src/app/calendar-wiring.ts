import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { AuditRepository } from '../modules/audit/audit.repository.ts';
import { createCalendarRepository } from '../modules/calendar/calendar.repository.ts';
import { createCalendarService } from '../modules/calendar/calendar.service.ts';
import { createCampaignStatsRepository } from '../modules/campaigns/campaign-stats.repository.ts';
import { createCampaignsRepository } from '../modules/campaigns/campaigns.repository.ts';
import { createFanOut } from '../modules/campaigns/fan-out.service.ts';
import { createFollowUp } from '../modules/campaigns/follow-up.service.ts';
import { createAudienceGroupsRepository } from '../modules/communities/audience-groups.repository.ts';
import type { ComplianceChecker } from '../modules/compliance/compliance.service.ts';
import { createAudienceRepository } from '../modules/contacts/audience.repository.ts';
import type { ContentRenderService } from '../modules/content/content-render.service.ts';
import { createTouchesRepository } from '../modules/engagement/touches.repository.ts';
import type { HolidayCalendar } from '../platform/calendar/holidays.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { createGroupRobot } from '../wecom/client/group-robot.ts';
import { createRateLimiter } from '../wecom/client/rate-limiter.ts';
import type { WecomClients } from './wecom-runtime.ts';

/**
 * The content calendar and the outbound engine behind it, built on the process's shared services: the
 * calendar service, the fan-out of one occurrence, the follow-up rounds and the repositories the routes read.
 */
export type CalendarWiring = ReturnType<typeof createCalendarWiring>;

/** Builds the calendar wiring. Every limit comes from `config.campaigns`. */
export function createCalendarWiring(deps: {
  config: Config;
  db: Db;
  log: Log;
  metrics: Metrics;
  clock: Clock;
  audit: AuditRepository;
  rendering: ContentRenderService;
  checker: ComplianceChecker;
  wecom: WecomClients;
  wecomBaseUrl: string;
  redis: Redis;
  holidays: HolidayCalendar;
}) {
  const { config, db, log, clock } = deps;
  const timeZone = config.scheduler.timezone;
  const calendarRepo = createCalendarRepository();
  const campaignsRepo = createCampaignsRepository();
  const touchesRepo = createTouchesRepository();
  const audienceRepo = createAudienceRepository();
  const limiter = createRateLimiter({ redis: deps.redis, prefix: `${config.queue.prefix}:wecom` });
  const robot = (key: string) =>
    createGroupRobot({ baseUrl: deps.wecomBaseUrl, key, limiter, log, metrics: deps.metrics });
  const calendar = createCalendarService({
    db,
    repo: calendarRepo,
    audit: deps.audit,
    content: deps.rendering,
    check: deps.checker,
    days: deps.holidays,
    timeZone,
    clock,
  });
  const fanOut = createFanOut({
    db,
    repo: campaignsRepo,
    audience: audienceRepo,
    groups: createAudienceGroupsRepository(),
    segmentFilter: async (h, id) => (await calendarRepo.findSegment(h, id))?.filter,
    content: deps.rendering,
    contact: deps.wecom.contact,
    app: deps.wecom.app,
    robot,
    touches: touchesRepo,
    settings: {
      timeZone,
      dailyCap: config.campaigns.dailyCap,
      weeklyCap: config.campaigns.weeklyCap,
      wecomCap: config.campaigns.wecomCap,
      quietHours: config.campaigns.quietHours,
      concurrency: 8,
      staleSendingMs: config.queue.lockDurationMs,
      taskListUrl: config.campaigns.taskListUrl,
    },
    clock,
    log,
  });
  const followUp = createFollowUp({
    db,
    repo: campaignsRepo,
    contact: deps.wecom.contact,
    app: deps.wecom.app,
    touches: touchesRepo,
    settings: {
      timeZone,
      remindersPerDay: config.campaigns.remindersPerDay,
      remindIntervalMs: config.campaigns.remindIntervalMs,
      taskListUrl: config.campaigns.taskListUrl,
    },
    clock,
    log,
  });
  return {
    calendarRepo,
    campaignsRepo,
    touchesRepo,
    audienceRepo,
    stats: createCampaignStatsRepository(),
    calendar,
    fanOut,
    followUp,
  };
}
