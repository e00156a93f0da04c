import type { Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { InboundEvent } from './inbox.classify.ts';

/** What a module's inbound handler receives alongside the event. */
export type InboundContext = {
  /** The processing transaction: write effects here so they commit together with "processed". */
  tx: Tx;
  inboxId: number;
  log: Log;
  /** Registers work (enqueues, API calls) to run only after the transaction commits. */
  afterCommit: (fn: () => Promise<void>) => void;
};

/** A module's reaction to inbound callbacks of some kinds (`'*'` for all). */
export type InboundHandler = {
  name: string;
  kinds: readonly string[] | '*';
  handle: (event: InboundEvent, ctx: InboundContext) => Promise<void>;
};

/** Routes each decoded event to every handler registered for its kind. */
export type InboundDispatcher = ReturnType<typeof createInboundDispatcher>;

/** Creates the dispatcher. Unknown kinds reach only `'*'` handlers and are otherwise just recorded. */
export function createInboundDispatcher(handlers: readonly InboundHandler[]) {
  const kindOf = (e: InboundEvent) => (e.kind === 'unknown' ? `unknown:${e.rawKind}` : e.kind);
  return {
    async dispatch(event: InboundEvent, ctx: InboundContext): Promise<void> {
      const kind = kindOf(event);
      const matched = handlers.filter((h) => h.kinds === '*' || h.kinds.includes(event.kind));
      if (matched.length === 0) ctx.log.debug({ kind, source: event.source }, 'no handler for inbound kind');
      for (const h of matched) await h.handle(event, ctx);
    },
  };
}
