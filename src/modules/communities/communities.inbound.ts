import type { Log } from '../../platform/logger.ts';
import { type InboundHandler, on } from '../inbox/inbound-dispatcher.ts';
import type { CommunitiesRepository } from './communities.repository.ts';

// WeCom's external user ids start with "wm" (or "wo" for some account types); member ids are the corp's own.
const memberTypeOf = (id: string): 1 | 2 => (/^w[mo]/.test(id) ? 2 : 1);

/**
 * Keeps group membership current from `change_external_chat`: create, member joins and leaves, dismiss.
 * A join confirms the pending invitation that routing created for that group's key.
 */
export function createCommunitiesInboundHandlers(deps: {
  repo: CommunitiesRepository;
  /** Gives groups WeCom created for a full join way their key (a network call: run after commit). */
  adoptJoinWayGroups: () => Promise<unknown>;
  log: Log;
}): InboundHandler[] {
  const { repo } = deps;
  return [
    on('app:event:change_external_chat', 'communities.group-changed', async (event, ctx) => {
      const b = event.body;
      const at = new Date(Number(b.CreateTime) * 1000);
      if (await repo.ensureGroup(ctx.tx, b.ChatId)) {
        // A group Helix has not seen: perhaps one a full join way just created.
        ctx.afterCommit(async () => {
          await deps
            .adoptJoinWayGroups()
            .catch((err: unknown) => deps.log.warn({ err }, 'group adoption failed'));
        });
      }
      if (b.ChangeType === 'dismiss') return repo.dismissGroup(ctx.tx, b.ChatId, at);
      if (b.ChangeType !== 'update') return;
      const join = b.UpdateDetail === 'add_member';
      if (!join && b.UpdateDetail !== 'del_member') return;
      const scene = Number((join ? b.JoinScene : b.QuitScene) ?? Number.NaN);
      for (const item of b.MemChangeList ?? []) {
        const memberId = typeof item === 'string' ? item : item.UserID;
        if (!memberId) continue;
        const change = {
          chatId: b.ChatId,
          memberId,
          memberType: memberTypeOf(memberId),
          at,
          scene: Number.isFinite(scene) ? scene : null,
          source: 'event' as const,
        };
        if (join) await repo.recordJoin(ctx.tx, change);
        else await repo.recordLeave(ctx.tx, change);
      }
    }),
  ];
}
