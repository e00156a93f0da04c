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
  /**
   * Marks a client's message as answered by this handler (a command such as 退订, 报名 or 积分查询), so
   * the handlers after it that answer free text (the FAQ bot) leave it alone. Command bots are wired first.
   */
  markAnswered: () => void;
  /** Whether a handler before this one answered the message already. */
  answered: () => boolean;
};

/** What the inbox job gives the dispatcher; the dispatcher adds the per-event answered flag. */
export type InboundJobContext = Omit<InboundContext, 'markAnswered' | 'answered'>;

type KnownEvent = Exclude<InboundEvent, { kind: 'unknown' }>;
type KindOf<E> = E extends KnownEvent ? `${E['source']}:${E['kind']}` : never;

/**
 * What a handler can listen to: the endpoint and the event kind, `bot:text` (an @-message to the AI bot),
 * `app:text` (a message in the Helix app), `app:event:change_external_chat` … The endpoint is part of the
 * name because both endpoints deliver a `text`, and they mean different things.
 */
export type InboundKind = KindOf<KnownEvent>;

/** The event a handler registered for `K` receives: narrowed to those kinds, with their typed body. */
export type InboundEventOf<K extends InboundKind> = KnownEvent extends infer E
  ? E extends KnownEvent
    ? KindOf<E> extends K
      ? E
      : never
    : never
  : never;

/** The kind an event is dispatched under; unknown payloads keep WeCom's own kind for the log. */
export const inboundKindOf = (e: InboundEvent): string =>
  e.kind === 'unknown' ? `${e.source}:unknown:${e.rawKind}` : `${e.source}:${e.kind}`;

/** The step a handler runs inside the processing transaction, with what it prepared already bound. */
type InboundStep = (ctx: InboundContext) => Promise<void>;

/**
 * A reaction to inbound callbacks, as the dispatcher holds it: made by `on` (or `onAny`), never by hand.
 * `prepare` runs before the transaction opens and returns the step to run inside it, so what a handler
 * prepared reaches its own step without passing through an untyped map.
 */
export type InboundHandler = {
  readonly name: string;
  /** The kinds it listens to, or '*' for every event (unknown ones included). */
  readonly kinds: readonly InboundKind[] | '*';
  readonly prepare: (event: InboundEvent, log: Log) => Promise<InboundStep>;
};

/** A handler's typed reaction; with `prepare`, what it returns reaches `handle` as `prepared`. */
export type InboundReaction<E, P> =
  | ((event: E, ctx: InboundContext) => Promise<void>)
  | {
      /**
       * Runs before the transaction opens: it may read and call the network (an LLM, say) but must not
       * write. A retried callback is prepared again, so preparing must be repeatable.
       */
      prepare: (event: E, log: Log) => Promise<P>;
      handle: (event: E, ctx: InboundContext, prepared: P) => Promise<void>;
    };

/**
 * Registers a reaction to inbound events of one kind or several: `on('bot:text', 'faq.bot', handle)`.
 * The handler receives the event narrowed to those kinds, so it never re-checks the kind itself.
 */
export function on<K extends InboundKind, P = undefined>(
  kinds: K | readonly K[],
  name: string,
  reaction: InboundReaction<InboundEventOf<K>, P>,
): InboundHandler {
  const list: readonly K[] = typeof kinds === 'string' ? [kinds] : kinds;
  // The one place the event's type is narrowed: this is the dispatcher's own match, by the same key it
  // routes on, so a handler is only ever given events of the kinds it registered for.
  const isMine = (event: InboundEvent): event is InboundEventOf<K> => {
    const kind = inboundKindOf(event);
    return list.some((k) => k === kind);
  };
  return {
    name,
    kinds: list,
    async prepare(event, log) {
      if (!isMine(event)) throw new Error(`${name} was given a ${inboundKindOf(event)} event`);
      if (typeof reaction === 'function') return (ctx) => reaction(event, ctx);
      const prepared = await reaction.prepare(event, log);
      return (ctx) => reaction.handle(event, ctx, prepared);
    },
  };
}

/** Registers a reaction to every event, unknown kinds included (recorders and probes in tests, say). */
export function onAny(
  name: string,
  handle: (event: InboundEvent, ctx: InboundContext) => Promise<void>,
): InboundHandler {
  return { name, kinds: '*', prepare: async (event) => (ctx) => handle(event, ctx) };
}

/** What the handlers of one event prepared: the steps to run inside its transaction, in order. */
export type Preparations = readonly { name: string; step: InboundStep }[];

/** Routes each decoded event to every handler registered for its kind. */
export type InboundDispatcher = ReturnType<typeof createInboundDispatcher>;

/** Creates the dispatcher. Unknown kinds reach only `'*'` handlers and are otherwise just recorded. */
export function createInboundDispatcher(handlers: readonly InboundHandler[]) {
  const byKind = new Map<string, InboundHandler[]>();
  for (const h of handlers) {
    if (h.kinds === '*') continue;
    for (const k of h.kinds) byKind.set(k, [...(byKind.get(k) ?? []), h]);
  }
  // Registration order is kept: handlers of one event run in the order they were wired.
  const matching = (event: InboundEvent) => {
    const kind = inboundKindOf(event);
    return handlers.filter((h) => h.kinds === '*' || byKind.get(kind)?.includes(h));
  };
  return {
    /** Runs the handlers' preparations (outside any transaction). */
    async prepare(event: InboundEvent, log: Log): Promise<Preparations> {
      const out: { name: string; step: InboundStep }[] = [];
      for (const h of matching(event)) out.push({ name: h.name, step: await h.prepare(event, log) });
      if (out.length === 0) log.debug({ kind: inboundKindOf(event) }, 'no handler for inbound kind');
      return out;
    },
    /** Runs the prepared steps inside the processing transaction. */
    async dispatch(prepared: Preparations, job: InboundJobContext): Promise<void> {
      let answered = false;
      const ctx: InboundContext = {
        ...job,
        markAnswered: () => {
          answered = true;
        },
        answered: () => answered,
      };
      for (const p of prepared) await p.step(ctx);
    },
  };
}
