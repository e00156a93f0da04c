import { dateInZone } from '../../platform/calendar/dates.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { TouchesRepository } from '../engagement/touches.repository.ts';
import type { CampaignsRepository, SendTaskRow } from './campaigns.repository.ts';

/** What follow-up needs to know: the time zone of "today", the reminder budget and the task-list link. */
export type FollowUpSettings = {
  timeZone: string;
  remindersPerDay: number;
  remindIntervalMs: number;
  taskListUrl: string;
};

// get_groupmsg_send_result: 0 not sent yet, 1 sent, 2 not a friend (or not in the group), 3 already received
// another mass message within WeCom's cap.
const RESULT: Record<number, { status: 'sent' | 'failed'; reason?: string } | undefined> = {
  1: { status: 'sent' },
  2: { status: 'failed', reason: 'wecom_not_friend' },
  3: { status: 'failed', reason: 'wecom_cap_reached' },
};

/** Polls WeCom for what became of an occurrence's tasks, records deliveries and reminds RMs who wait. */
export type FollowUp = ReturnType<typeof createFollowUp>;

/**
 * Creates the follow-up. Each poll asks WeCom which senders confirmed each open task and which recipients
 * received it, records that per recipient, writes one touch per confirmed task, and sends each RM who still
 * has tasks waiting at most `remindersPerDay` reminders a day, `remindIntervalMs` apart.
 */
export function createFollowUp(deps: {
  db: Db;
  repo: CampaignsRepository;
  contact: Pick<
    WecomClient,
    'getGroupMsgTask' | 'getGroupMsgSendResult' | 'getMomentTaskResult' | 'getMomentTask'
  >;
  app: Pick<WecomClient, 'sendAppMessage'>;
  touches: Pick<TouchesRepository, 'insert' | 'markDoneByRefs'>;
  settings: FollowUpSettings;
  clock: Clock;
  log: Log;
}) {
  const { db, repo, clock } = deps;

  /** Records a confirmed task: its recipients' results, the RM's touch, and greeting touches done. */
  async function confirmed(
    task: SendTaskRow,
    results: { recipient: string; status: 'sent' | 'failed'; reason?: string }[],
  ) {
    const now = clock.now();
    await db.transaction(async (tx) => {
      await repo.applyResults(tx, task.id, results, now);
      if (!(await repo.markConfirmed(tx, task.id, now))) return;
      await deps.touches.insert(
        tx,
        [
          {
            rm: task.sender,
            kind: 'task_confirmed',
            emotional: false,
            status: 'done',
            title: `确认群发任务（${task.recipients} 位）`,
            ref: `task:${task.id}`,
          },
        ],
        now,
      );
      const sent = results
        .filter((r) => r.status === 'sent')
        .map((r) => `greet:${task.occurrenceId}:${r.recipient}`);
      await deps.touches.markDoneByRefs(tx, sent, now);
    });
  }

  async function pollMassTask(task: SendTaskRow): Promise<boolean> {
    if (!task.msgid) return false;
    const t = await deps.contact.getGroupMsgTask(task.msgid);
    const mine = t.task_list.find((x) => x.userid === task.sender);
    // status 2: the member sent it (confirmed); anything else: still waiting in their WeCom client.
    if (mine?.status !== 2) return false;
    const results: { recipient: string; status: 'sent' | 'failed'; reason?: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.contact.getGroupMsgSendResult(task.msgid, task.sender, cursor);
      for (const r of page.send_list) {
        const mapped = RESULT[r.status];
        const recipient = r.external_userid ?? r.chat_id;
        if (mapped && recipient) results.push({ recipient, ...mapped });
      }
      cursor = page.next_cursor || undefined;
    } while (cursor);
    await confirmed(task, results);
    return true;
  }

  async function pollMomentTask(task: SendTaskRow): Promise<boolean> {
    if (!task.msgid) return false;
    let momentId = task.msgid.startsWith('moment:') ? task.msgid.slice(7) : undefined;
    if (!momentId) {
      const r = await deps.contact.getMomentTaskResult(task.msgid.slice(4));
      momentId = r.status === 3 ? r.result?.moment_id : undefined;
      if (!momentId) return false;
      await repo.setMsgid(db, task.id, `moment:${momentId}`);
    }
    const t = await deps.contact.getMomentTask(momentId);
    const published = t.task_list.filter((x) => x.publish_status === 1).map((x) => x.userid);
    const results = published.map((recipient) => ({ recipient, status: 'sent' as const }));
    // A Moments task has one part per RM: it is done when every RM published; until then, record who did.
    if (published.length < task.recipients) {
      if (published.length > 0)
        await db.transaction((tx) => repo.applyResults(tx, task.id, results, clock.now()));
      return false;
    }
    await confirmed(task, results);
    return true;
  }

  /** Reminds each sender still holding open tasks, within the daily budget and interval. */
  async function remind(occurrenceId: number, open: SendTaskRow[]) {
    const now = clock.now();
    const day = dateInZone(now, deps.settings.timeZone);
    const bySender = new Map<string, number>();
    for (const t of open) if (t.sender) bySender.set(t.sender, (bySender.get(t.sender) ?? 0) + 1);
    let reminded = 0;
    for (const [rm, n] of bySender) {
      const { count, last } = await repo.remindersOn(db, rm, day);
      if (count >= deps.settings.remindersPerDay) continue;
      if (last && now.getTime() - last.getTime() < deps.settings.remindIntervalMs) continue;
      await deps.app
        .sendAppMessage({
          touser: [rm],
          msgtype: 'text',
          content: {
            content: `【群发提醒】您有 ${n} 个群发任务待确认发送，请在企业微信「客户群发」中确认，或在 Helix 任务列表查看：${deps.settings.taskListUrl}`,
          },
        })
        .then(() => repo.recordReminder(db, { rm, day, occurrenceId, at: now }))
        .then(() => reminded++)
        .catch((err: unknown) => deps.log.warn({ err, rm }, 'task reminder failed'));
    }
    return reminded;
  }

  return {
    /** One round: poll every open task of the occurrence, then remind. Returns how many remain open. */
    async poll(occurrenceId: number): Promise<{ open: number; confirmed: number; reminded: number }> {
      const tasks = await repo.openTasks(db, occurrenceId);
      let done = 0;
      const open: SendTaskRow[] = [];
      for (const task of tasks) {
        const finished = task.kind === 'moment' ? await pollMomentTask(task) : await pollMassTask(task);
        if (finished) done++;
        else open.push(task);
      }
      const reminded = open.length > 0 ? await remind(occurrenceId, open) : 0;
      return { open: open.length, confirmed: done, reminded };
    },
  };
}
