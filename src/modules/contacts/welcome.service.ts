import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { WecomApiError } from '../../wecom/client/errors.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { CommunitiesRepository } from '../communities/communities.repository.ts';
import type { ContactsRepository, RecordedAdd } from './contacts.repository.ts';

/** WeCom accepts a welcome code for this long after the add event (docs/wecom.md). */
export const WELCOME_WINDOW_MS = 20_000;

/** A welcome decided inside the processing transaction, to send once it commits. */
export type WelcomePlan = { welcomeId: number; welcomeCode: string; text: string; eventAt: Date };

/**
 * Writes the welcome for a new client: the welcome bot's words (bots/welcome.ts), from the approved library
 * texts, read inside the deciding transaction. `templateId` records which text was used.
 */
export type WelcomeComposer = (
  tx: Tx,
  input: {
    externalUserid: string;
    persona: string | null;
    tier: string;
    clientName: string | null;
    rmName: string;
    joinLink: string | null;
  },
) => Promise<{ templateId: string; text: string }>;

/** Decides and sends welcomes. */
export type WelcomeSender = ReturnType<typeof createWelcomeSender>;

/**
 * Creates the welcome sender. `decide` runs in the transaction and records the decision (pending, or
 * skipped with the reason); `send` runs after the commit and records sent or failed with the reason.
 * `marginMs` is kept in hand so a send never starts with a code about to expire.
 */
export function createWelcomeSender(deps: {
  db: Db;
  repo: ContactsRepository;
  /** The join link comes from the communities module, which owns the groups. */
  groups: Pick<CommunitiesRepository, 'joinLinkFor'>;
  compose: WelcomeComposer;
  contact: Pick<WecomClient, 'sendWelcomeMessage'>;
  clock: Clock;
  log: Log;
  metrics: Metrics;
  marginMs?: number;
}) {
  const marginMs = deps.marginMs ?? 1_000;
  const age = (eventAt: Date) => deps.clock.now().getTime() - eventAt.getTime();
  const count = (outcome: string, reason: string) => deps.metrics.welcomes.inc({ outcome, reason });

  return {
    async decide(
      tx: Tx,
      input: {
        inboxId: number;
        externalUserid: string;
        rmUserid: string;
        welcomeCode: string | null;
        eventAt: Date;
        added: RecordedAdd;
      },
    ): Promise<WelcomePlan | undefined> {
      // Until the tier policy has seen the client's profile, a new client is expected in the basic tier.
      const tier = input.added.tier ?? 'basic';
      const base = {
        inboxId: input.inboxId,
        externalUserid: input.externalUserid,
        rmUserid: input.rmUserid,
        eventAt: input.eventAt,
        tier,
      };
      const skip = async (reason: string) => {
        await deps.repo.insertWelcome(tx, {
          ...base,
          status: 'skipped',
          reason,
          templateId: null,
          text: null,
          joinLink: null,
        });
        count('skipped', reason);
      };
      if (!input.welcomeCode) return void (await skip('no_welcome_code'));
      if (age(input.eventAt) > WELCOME_WINDOW_MS - marginMs) return void (await skip('welcome_code_expired'));
      const joinLink = await deps.groups.joinLinkFor(tx, tier);
      const { templateId, text } = await deps.compose(tx, {
        externalUserid: input.externalUserid,
        persona: input.added.persona,
        tier,
        clientName: input.added.clientName,
        rmName: input.added.rmName,
        joinLink,
      });
      const welcomeId = await deps.repo.insertWelcome(tx, {
        ...base,
        status: 'pending',
        reason: null,
        templateId,
        text,
        joinLink,
      });
      return { welcomeId, welcomeCode: input.welcomeCode, text, eventAt: input.eventAt };
    },

    /** Sends a decided welcome; never throws (the outcome is recorded either way). */
    async send(plan: WelcomePlan): Promise<void> {
      const finish = async (status: 'sent' | 'failed', reason: string | null) => {
        await deps.repo.finishWelcome(deps.db, plan.welcomeId, { status, reason, at: deps.clock.now() });
        count(status, reason ?? 'ok');
      };
      let sendError: unknown;
      if (age(plan.eventAt) > WELCOME_WINDOW_MS - marginMs) {
        sendError = new Error('welcome code expired before sending');
      } else {
        await deps.contact
          .sendWelcomeMessage({ welcomeCode: plan.welcomeCode, text: plan.text })
          .catch((err: unknown) => {
            sendError = err;
          });
      }
      const reason =
        sendError === undefined
          ? null
          : sendError instanceof WecomApiError
            ? sendError.errcode === 41051
              ? 'welcome_code_expired_or_used'
              : `wecom_${sendError.errcode}`
            : 'welcome_code_expired';
      if (sendError !== undefined)
        deps.log.warn({ err: sendError, welcomeId: plan.welcomeId }, 'welcome not sent');
      await finish(sendError === undefined ? 'sent' : 'failed', reason).catch((err: unknown) =>
        deps.log.error({ err, welcomeId: plan.welcomeId, reason }, 'could not record the welcome outcome'),
      );
    },
  };
}
