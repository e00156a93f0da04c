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

/**
 * A module's reaction to inbound callbacks of some kinds (`'*'` for all). `prepare`, when present, runs
 * before the transaction opens: it may read and call the network (an LLM, say) but must not write; what it
 * returns reaches `handle`. A retried callback is prepared again, so preparing must be repeatable.
 */
export type InboundHandler = {
  name: string;
  kinds: readonly string[] | '*';
  prepare?: (event: InboundEvent, log: Log) => Promise<unknown>;
  handle: (event: InboundEvent, ctx: InboundContext, prepared: unknown) => Promise<void>;
};

/** A handler with a typed preparation; `defineInboundHandler` erases `P` so handlers can share one list. */
export type PreparedInboundHandler<P> = {
  name: string;
  kinds: readonly string[] | '*';
  prepare: (event: InboundEvent, log: Log) => Promise<P>;
  handle: (event: InboundEvent, ctx: InboundContext, prepared: P) => Promise<void>;
};

/** Makes a handler whose `handle` receives exactly what its own `prepare` returned. */
export function defineInboundHandler<P>(h: PreparedInboundHandler<P>): InboundHandler {
  return {
    name: h.name,
    kinds: h.kinds,
    prepare: h.prepare,
    // The dispatcher passes each handler only its own preparation, so this is `P`.
    handle: (event, ctx, prepared) => h.handle(event, ctx, prepared as P),
  };
}

/** What the handlers of one event prepared, by handler name. */
export type Preparations = ReadonlyMap<string, unknown>;

/** Routes each decoded event to every handler registered for its kind. */
export type InboundDispatcher = ReturnType<typeof createInboundDispatcher>;

/** Creates the dispatcher. Unknown kinds reach only `'*'` handlers and are otherwise just recorded. */
export function createInboundDispatcher(handlers: readonly InboundHandler[]) {
  const kindOf = (e: InboundEvent) => (e.kind === 'unknown' ? `unknown:${e.rawKind}` : e.kind);
  const matching = (event: InboundEvent) =>
    handlers.filter((h) => h.kinds === '*' || h.kinds.includes(event.kind));
  return {
    /** Runs the handlers' preparations (outside any transaction). */
    async prepare(event: InboundEvent, log: Log): Promise<Preparations> {
      const out = new Map<string, unknown>();
      for (const h of matching(event)) if (h.prepare) out.set(h.name, await h.prepare(event, log));
      return out;
    },
    async dispatch(
      event: InboundEvent,
      ctx: InboundContext,
      prepared: Preparations = new Map(),
    ): Promise<void> {
      const matched = matching(event);
      if (matched.length === 0)
        ctx.log.debug({ kind: kindOf(event), source: event.source }, 'no handler for inbound kind');
      for (const h of matched) await h.handle(event, ctx, prepared.get(h.name));
    },
  };
}
