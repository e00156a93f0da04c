import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Queues } from '../../platform/queue/queues.ts';
import { type InboundHandler, on } from '../inbox/inbound-dispatcher.ts';
import { SendWelcome } from './contacts.jobs.ts';
import type { ContactsRepository } from './contacts.repository.ts';
import type { WelcomeSender } from './welcome.service.ts';

/** The add events: their rows are processed on the time-critical queue, since their welcome code lives 20 s. */
export const CLIENT_ADDED_KINDS = [
  'event:change_external_contact:add_external_contact',
  'event:change_external_contact:add_half_external_contact',
] as const;

/**
 * Every referral code's state starts with this (channel states may not), so an add event can tell a
 * referral from an acquisition channel without asking the referral module.
 */
export const REFERRAL_STATE_PREFIX = 'rf-';

/** Whether an add event's State is a client's personal referral code rather than a channel's. */
export const isReferralState = (state: string) => state.startsWith(REFERRAL_STATE_PREFIX);

/** What an add event tells the referral module: the code's state, who was added by whom, and whether the
 * client had been acquired before (a re-add or a second RM earns no reward). */
export type ReferralAdd = {
  state: string;
  externalUserid: string;
  rm: string;
  at: Date;
  alreadyClient: boolean;
};

/** The port the referral module hangs on add events whose State is a referral code. */
export type OnReferralState = (tx: Tx, add: ReferralAdd) => Promise<void>;

/**
 * The contacts module's reaction to WeCom contact events: a client added an RM (attribute the channel,
 * decide the welcome, enqueue its send after the commit), or a relationship ended. Unknown RMs and clients
 * are created, never failed.
 */
export function createContactsInboundHandlers(deps: {
  db: Db;
  repo: ContactsRepository;
  welcome: Pick<WelcomeSender, 'decide'>;
  queues: Pick<Queues, 'enqueue'>;
  metrics: Metrics;
  clock: Clock;
  log: Log;
  onReferralState?: OnReferralState;
}): InboundHandler[] {
  const { repo, metrics } = deps;
  return [
    on(
      [
        'app:event:change_external_contact:add_external_contact',
        'app:event:change_external_contact:add_half_external_contact',
      ],
      'contacts.client-added',
      async (event, ctx) => {
        const b = event.body;
        const at = new Date(Number(b.CreateTime) * 1000);
        await repo.ensureRm(ctx.tx, b.UserID);
        const added = await repo.recordAdd(ctx.tx, {
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          state: b.State ?? null,
          at,
        });
        metrics.clientsAdded.inc({ channel: added.channelId, new: String(added.created) });
        // A referral code is no channel: the client stays attributed as today (to "unknown" unless a
        // channel brought them in first, with the raw state kept), and the referral module records who
        // referred them.
        if (b.State && isReferralState(b.State)) {
          await deps.onReferralState?.(ctx.tx, {
            state: b.State,
            externalUserid: b.ExternalUserID,
            rm: b.UserID,
            at,
            alreadyClient: added.wasAcquired,
          });
        } else if (added.unknownState && b.State) {
          ctx.log.info({ state: b.State }, 'add event names no known channel: attributed to unknown');
        }
        const welcomeId = await deps.welcome.decide(ctx.tx, {
          inboxId: ctx.inboxId,
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          welcomeCode: b.WelcomeCode ?? null,
          eventAt: at,
          added,
        });
        if (welcomeId === undefined) return;
        // The send is its own job on the welcome lane, enqueued once the pending row is committed. If Redis
        // refuses it, the welcome sweeper enqueues it while the code is still good, or fails it in time; the
        // other rows of this batch must not wait for that.
        ctx.afterCommit(() =>
          deps.queues.enqueue(SendWelcome, { welcomeId }).catch((err: unknown) => {
            ctx.log.warn({ err, welcomeId }, 'could not enqueue a welcome; the welcome sweeper will');
          }),
        );
      },
    ),
    on(
      [
        'app:event:change_external_contact:del_external_contact',
        'app:event:change_external_contact:del_follow_user',
      ],
      'contacts.relationship-ended',
      async (event, ctx) => {
        const b = event.body;
        await repo.ensureRm(ctx.tx, b.UserID);
        await repo.recordRemoval(ctx.tx, {
          externalUserid: b.ExternalUserID,
          rmUserid: b.UserID,
          at: new Date(Number(b.CreateTime) * 1000),
          // del_external_contact: the RM removed the client; del_follow_user: the client removed the RM.
          by: event.kind === 'event:change_external_contact:del_external_contact' ? 'rm' : 'client',
        });
      },
    ),
  ];
}
