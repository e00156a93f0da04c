import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { type KfSyncedMessage, kfEventMessage, kfTextMessage } from '../../wecom/client/schemas.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { KfMessageRow, KfRepository, NewKfMessage } from './kf.repository.ts';

/** What the customer-service bot is given for one message's transaction. */
export type KfStepContext = {
  tx: Tx;
  log: Log;
  /** Registers network work (replies, session moves, cards) to run only after the commit. */
  afterCommit: (fn: () => Promise<void>) => void;
};

/**
 * The port the bot in `bots/` fills: `prepare` runs before the transaction (retrieval, an LLM call; it must
 * not write, and may run again for the same message), the step it returns runs inside it.
 */
export type KfBot = {
  prepare: (message: KfMessageRow, log: Log) => Promise<(ctx: KfStepContext) => Promise<void>>;
};

/** Pages per sync run at most; a longer backlog is finished by the next run (the cursor is stored). */
const MAX_PAGES = 50;
/** Pending messages handled per run at most, so one account cannot hold a worker indefinitely. */
const MAX_PENDING = 5000;

/** Reads a synced entry as Helix stores it: a client's text (masked), an enter_session, or other. */
function toRow(openKfid: string, m: KfSyncedMessage, mask: (t: string) => string): NewKfMessage {
  const sentAt = new Date((m.send_time ?? 0) * 1000);
  const text = kfTextMessage.safeParse(m);
  // origin 3 is the client; 4 the system, 5 a servicer writing from WeCom: those are not questions.
  if (text.success && text.data.origin === 3)
    return {
      msgid: m.msgid,
      openKfid,
      externalUserid: text.data.external_userid,
      kind: 'text',
      text: mask(text.data.text.content).slice(0, 4000),
      welcomeCode: null,
      sentAt,
    };
  const event = kfEventMessage.safeParse(m);
  if (event.success && event.data.event.event_type === 'enter_session' && event.data.event.welcome_code)
    return {
      msgid: m.msgid,
      openKfid,
      externalUserid: event.data.event.external_userid ?? '',
      kind: 'enter_session',
      text: null,
      welcomeCode: event.data.event.welcome_code,
      sentAt,
    };
  // Kept for the record, already done: nothing in it is the bot's to answer.
  return {
    msgid: m.msgid,
    openKfid,
    externalUserid: m.external_userid ?? '',
    kind: 'other',
    text: null,
    welcomeCode: null,
    sentAt,
    status: 'done',
  };
}

/** Pulls customer-service messages and has the bot handle each exactly once. */
export type KfSync = ReturnType<typeof createKfSync>;

/**
 * Creates the sync. One run for an account: read pages from the stored cursor (the network call outside any
 * transaction), store each page and its next_cursor in one transaction under the cursor row's lock, and if
 * another run moved the cursor meanwhile, drop the page and read again from the new cursor; then handle
 * every pending message in its own transaction (row lock + status: exactly once), sends after commit.
 */
export function createKfSync(deps: {
  db: Db;
  repo: KfRepository;
  api: Pick<WecomClient, 'kfSyncMessages'>;
  bot: KfBot;
  mask: (text: string) => string;
  log: Log;
  pageLimit?: number;
}) {
  const { db, repo } = deps;

  async function pull(openKfid: string, token: string | undefined, log: Log): Promise<number> {
    let stored = 0;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const cursor = await repo.cursorOf(db, openKfid);
      const page = await deps.api.kfSyncMessages({
        openKfid,
        ...(cursor ? { cursor } : {}),
        ...(token ? { token } : {}),
        limit: deps.pageLimit ?? 1000,
      });
      const rows = page.messages.map((m) => toRow(openKfid, m, deps.mask));
      const moved = await db.transaction(async (tx) => {
        // Another run stored a page after we read ours: ours may overlap, so read again from theirs.
        if ((await repo.lockCursor(tx, openKfid)) !== cursor) return false;
        stored += await repo.insertMessages(tx, rows);
        await repo.storeCursor(tx, openKfid, page.nextCursor);
        return true;
      });
      if (moved && !page.hasMore) return stored;
    }
    log.info({ openKfid }, 'kf sync stopped after its page budget; the next run continues');
    return stored;
  }

  async function processOne(id: number, log: Log): Promise<void> {
    const stored = await repo.findById(db, id);
    if (stored?.status !== 'pending') return;
    const step = await deps.bot.prepare(stored, log);
    const afterCommit: (() => Promise<void>)[] = [];
    await db.transaction(async (tx) => {
      const row = await repo.lockForProcessing(tx, id);
      if (row?.status !== 'pending') return;
      await step({ tx, log, afterCommit: (fn) => afterCommit.push(fn) });
      await repo.markDone(tx, id);
    });
    // In order: the client's reply before any session move that would close the API's window.
    for (const fn of afterCommit) await fn();
  }

  return {
    /** One run for an account: pull what is new, then handle everything pending, oldest first. */
    async sync(openKfid: string, token: string | undefined, log: Log = deps.log) {
      const stored = await pull(openKfid, token, log);
      const pending = await repo.pendingIds(db, openKfid, MAX_PENDING);
      for (const id of pending) await processOne(id, log);
      log.debug({ openKfid, stored, handled: pending.length }, 'kf sync run');
      return { stored, handled: pending.length };
    },
  };
}
