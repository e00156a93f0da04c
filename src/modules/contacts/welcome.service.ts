import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { isRedisUnavailableError } from '../../platform/redis/connection.ts';
import { TRANSPORT, WecomApiError } from '../../wecom/client/errors.ts';
import { RateLimitWaitError } from '../../wecom/client/rate-limiter.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { CommunitiesRepository } from '../communities/communities.repository.ts';
import { type ContactsRepository, NOT_SENT_IN_TIME, type RecordedAdd } from './contacts.repository.ts';

/** WeCom accepts a welcome code for this long after the add event (docs/wecom.md). */
export const WELCOME_WINDOW_MS = 20_000;

/**
 * Why a welcome send failed, as the welcomes table records it: WeCom's own errcode (`wecom_41051`: the code
 * was used or the client is already chatting), `wecom_unreachable` (network, timeout, circuit open),
 * `rate_limited` (no rate-limit slot within the code's remaining life), `redis_unavailable` (tokens and
 * limits live in Redis), else `send_error`. The code's expiry is never guessed from an unknown error.
 */
export function welcomeFailureReason(err: unknown): string {
  if (err instanceof WecomApiError) {
    const unreachable: number[] = [TRANSPORT.network, TRANSPORT.timeout, TRANSPORT.circuitOpen];
    return unreachable.includes(err.errcode) ? 'wecom_unreachable' : `wecom_${err.errcode}`;
  }
  if (err instanceof RateLimitWaitError) return 'rate_limited';
  if (isRedisUnavailableError(err)) return 'redis_unavailable';
  return 'send_error';
}

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
 * Creates the welcome sender. `decide` runs in the transaction and records the decision (pending with its
 * code, or skipped with the reason); the caller enqueues the send job after the commit. `send` is that job:
 * idempotent, it records sent or failed with the real reason. `sweep` gives up pending welcomes whose code
 * has expired and names the rest, for their jobs to be made sure of. `marginMs` is kept in hand so a send
 * never starts with a code about to expire.
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
  const count = (outcome: string, reason: string, n = 1) => deps.metrics.welcomes.inc({ outcome, reason }, n);

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
    ): Promise<number | undefined> {
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
        welcomeCode: input.welcomeCode,
      });
      return welcomeId;
    },

    /**
     * Sends a pending welcome once. The row is locked only to check that it is still pending (a network
     * call never runs inside a transaction); a rerun of the job (a stalled worker) finds it finished and
     * stops. Throws only when the outcome could not be recorded, so the job retries.
     */
    async send(welcomeId: number): Promise<void> {
      const now = () => deps.clock.now();
      const w = await deps.db.transaction(async (tx) => {
        const row = await deps.repo.lockWelcome(tx, welcomeId);
        if (row?.status !== 'pending') return undefined;
        if (!row.welcomeCode || !row.text || age(row.eventAt) > WELCOME_WINDOW_MS - marginMs) {
          await deps.repo.finishWelcome(tx, welcomeId, {
            status: 'failed',
            reason: NOT_SENT_IN_TIME,
            at: now(),
          });
          count('failed', NOT_SENT_IN_TIME);
          return undefined;
        }
        return { welcomeCode: row.welcomeCode, text: row.text, eventAt: row.eventAt };
      });
      if (!w) return;
      let reason: string | null = null;
      try {
        await deps.contact.sendWelcomeMessage({
          welcomeCode: w.welcomeCode,
          text: w.text,
          // A rate-limit slot after the code has expired is worth nothing.
          maxDelayMs: Math.max(0, WELCOME_WINDOW_MS - marginMs - age(w.eventAt)),
        });
      } catch (err) {
        reason = welcomeFailureReason(err);
        deps.log.warn({ err, welcomeId, reason }, 'welcome not sent');
      }
      const status = reason === null ? 'sent' : 'failed';
      if (await deps.repo.finishWelcome(deps.db, welcomeId, { status, reason, at: now() })) {
        count(status, reason ?? 'ok');
      }
    },

    /**
     * One sweep: welcomes still pending after their code's 20 s are failed with `not_sent_in_time`; the ids
     * of those still in time are returned, for the caller to make sure each has a send job.
     */
    async sweep(limit = 500): Promise<{ expired: number; pending: number[] }> {
      const cutoff = new Date(deps.clock.now().getTime() - WELCOME_WINDOW_MS);
      const expired = await deps.repo.failUnsentWelcomes(deps.db, cutoff);
      if (expired.length > 0) count('failed', NOT_SENT_IN_TIME, expired.length);
      if (expired.length > 0) deps.log.warn({ welcomes: expired }, 'welcomes not sent in time');
      return { expired: expired.length, pending: await deps.repo.pendingWelcomeIds(deps.db, limit) };
    },
  };
}
