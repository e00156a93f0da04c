import { FireOccurrence, FollowUpOccurrence } from '../modules/calendar/calendar.jobs.ts';
import { RecomputeChannelProfiles } from '../modules/channel-economics/channel-economics.jobs.ts';
import { ReconcileGroups } from '../modules/communities/communities.jobs.ts';
import { BackfillAttribution, SendWelcome, SweepWelcomes } from '../modules/contacts/contacts.jobs.ts';
import { RecomputeExperiments } from '../modules/content/experiments.jobs.ts';
import { CheckHandoffSla } from '../modules/conversations/handoff-sla.jobs.ts';
import { ScoreRms } from '../modules/engagement/engagement.jobs.ts';
import { SendEventReminders } from '../modules/events/events.jobs.ts';
import { RefitFaqRanker } from '../modules/faq/learning/ranker-refit.jobs.ts';
import { SweepFlashSales } from '../modules/flash-sales/flash-sales.jobs.ts';
import { AggregateFunnel } from '../modules/funnel/funnel.jobs.ts';
import { ProcessInbound, ProcessUrgentInbound } from '../modules/inbox/inbox.jobs.ts';
import { SyncKfMessages } from '../modules/kf/kf.jobs.ts';
import { ComputeKocInfluence } from '../modules/koc/koc.jobs.ts';
import { ExpirePoints } from '../modules/points/points.jobs.ts';
import { defineJobMap } from '../platform/queue/registry.ts';

/**
 * Every job type Helix knows, in one map. Web and scheduler enqueue from it, the worker must register
 * exactly one handler for each, and each job's payload type flows from its definition to `enqueue` and to
 * its handler. A definition missing here cannot be enqueued (createQueues refuses it).
 */
export const Jobs = defineJobMap({
  ProcessInbound,
  ProcessUrgentInbound,
  ReconcileGroups,
  BackfillAttribution,
  SendWelcome,
  SweepWelcomes,
  CheckHandoffSla,
  FireOccurrence,
  FollowUpOccurrence,
  ExpirePoints,
  SendEventReminders,
  SweepFlashSales,
  ComputeKocInfluence,
  AggregateFunnel,
  ScoreRms,
  RecomputeExperiments,
  RecomputeChannelProfiles,
  SyncKfMessages,
  RefitFaqRanker,
});
