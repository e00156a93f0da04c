import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import { type InboundHandler, on } from '../inbox/inbound-dispatcher.ts';
import type { CorpTag, CorpTagsRepository } from './corp-tags.repository.ts';

/** Mirrors WeCom's corp tag library into `corp_tags`. */
export type CorpTagSync = ReturnType<typeof createCorpTagSync>;

/**
 * Creates the tag sync: reads the whole library with get_corp_tag_list, upserts every tag, and marks tags
 * WeCom no longer has as deleted (kept, since old records may name them). Reads first, then one transaction.
 */
export function createCorpTagSync(deps: {
  db: Db;
  repo: CorpTagsRepository;
  contact: Pick<WecomClient, 'getCorpTagList'>;
  clock: Clock;
  log: Log;
}) {
  return {
    async sync(): Promise<{ tags: number; deleted: number }> {
      const { tag_group: groups } = await deps.contact.getCorpTagList();
      const tags: CorpTag[] = groups.flatMap((g) =>
        g.tag.map((t) => ({ id: t.id, name: t.name, groupId: g.group_id, groupName: g.group_name ?? '' })),
      );
      const now = deps.clock.now();
      const deleted = await deps.db.transaction(async (tx) => {
        if (tags.length > 0) await deps.repo.upsertTags(tx, tags, now);
        return deps.repo.markDeletedExcept(
          tx,
          tags.map((t) => t.id),
          now,
        );
      });
      deps.log.info({ tags: tags.length, deleted }, 'corp tags synced');
      return { tags: tags.length, deleted };
    },
  };
}

/** On `change_external_tag`, re-reads the library once the event's transaction has committed. */
export function createCorpTagInboundHandler(deps: { tags: CorpTagSync; log: Log }): InboundHandler {
  return on('app:event:change_external_tag', 'contacts.corp-tags-changed', async (_event, ctx) => {
    ctx.afterCommit(async () => {
      // The nightly sync repairs whatever a failed re-read leaves behind.
      await deps.tags.sync().catch((err: unknown) => deps.log.warn({ err }, 'corp tag sync failed'));
    });
  });
}
