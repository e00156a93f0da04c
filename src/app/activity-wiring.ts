import type { OnAttended } from '../modules/events/attendance.service.ts';
import type { KocService } from '../modules/koc/koc.service.ts';
import type { PointsService } from '../modules/points/points.service.ts';
import type { GrantReward } from '../modules/referral/referral.service.ts';
import type { Clock } from '../platform/clock.ts';

/**
 * What the activity spiral's modules tell each other, wired here so none imports another: attendance
 * earns points and counts toward KOC scores; a referral whose client activated pays the referrer points and
 * counts toward the referrer's KOC score. Each runs in the caller's transaction, so the points and the
 * contribution commit with the attendance or the reward, or not at all; both are idempotent per source.
 */
export function createActivityPorts(deps: {
  points: () => Pick<PointsService, 'grant'>;
  koc: () => Pick<KocService, 'record'>;
  clock: Clock;
}): { onAttended: OnAttended; grantReward: GrantReward } {
  return {
    async onAttended(tx, a) {
      const at = deps.clock.now();
      if (a.points > 0)
        for (const externalUserid of a.externalUserids)
          await deps.points().grant(tx, {
            externalUserid,
            amount: a.points,
            reason: `活动到场（${a.kind}）`,
            source: { type: 'event', id: String(a.eventId) },
            actor: 'system',
          });
      await deps.koc().record(
        tx,
        a.externalUserids.map((externalUserid) => ({
          externalUserid,
          kind: 'event_attended' as const,
          ref: `event:${a.eventId}:${externalUserid}`,
          at,
          details: { eventId: a.eventId, kind: a.kind },
        })),
      );
    },
    async grantReward(tx, r) {
      if (r.points > 0)
        await deps.points().grant(tx, {
          externalUserid: r.referrer,
          amount: r.points,
          reason: '推荐的新客户已激活',
          source: { type: 'referral', id: String(r.referralId) },
          actor: 'system',
        });
      await deps.koc().record(tx, [
        {
          externalUserid: r.referrer,
          kind: 'referral_activated',
          ref: `referral:${r.referralId}`,
          at: deps.clock.now(),
          details: { referralId: r.referralId, referred: r.referred },
        },
      ]);
    },
  };
}
