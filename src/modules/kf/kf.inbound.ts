import type { Queues } from '../../platform/queue/queues.ts';
import { type InboundHandler, on } from '../inbox/inbound-dispatcher.ts';
import { openKfidSchema, SyncKfMessages } from './kf.jobs.ts';

/**
 * kf_msg_or_event carries only a Token and the account: the handler only enqueues that account's sync,
 * after the inbox transaction commits. The sync pulls the messages itself (kf/sync_msg).
 */
export function createKfInboundHandler(deps: { queues: Pick<Queues, 'enqueue'> }): InboundHandler {
  return on('app:event:kf_msg_or_event', 'kf.sync-on-callback', async (event, ctx) => {
    const openKfid = openKfidSchema.safeParse(event.body.OpenKfId);
    if (!openKfid.success) {
      ctx.log.warn({ inboxId: ctx.inboxId }, 'kf_msg_or_event without a usable OpenKfId; ignored');
      return;
    }
    const token = event.body.Token ? event.body.Token.slice(0, 512) : undefined;
    ctx.afterCommit(() =>
      deps.queues
        .enqueue(SyncKfMessages, {
          openKfid: openKfid.data,
          inboxId: ctx.inboxId,
          ...(token ? { token } : {}),
        })
        .catch((err: unknown) => {
          // The messages wait in WeCom behind the stored cursor: the account's next callback reads them.
          ctx.log.warn({ err, openKfid: openKfid.data }, 'could not enqueue a kf sync');
        }),
    );
  });
}
