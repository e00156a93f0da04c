import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { TRANSPORT, WecomApiError } from '../../wecom/client/errors.ts';
import type { GroupRobot } from '../../wecom/client/group-robot.ts';
import { robotKeyId } from '../../wecom/client/group-robot.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { EntryBody } from '../calendar/calendar.schemas.ts';
import type { AudienceRepository, AudienceRm } from '../contacts/audience.repository.ts';
import type { Component } from '../content/content.schemas.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';
import type { Channel } from '../content/render.ts';
import type { CampaignsRepository, SendTaskRow } from './campaigns.repository.ts';

/** The kinds of component whose deliveries are emotional touches on the RM's task list. */
export const GREETING_KINDS: ReadonlySet<string> = new Set(['greeting-birthday', 'greeting-festival']);

// Network failures and timeouts leave WeCom's outcome unknown: the task stays `sending` and is reconciled.
const UNKNOWN_OUTCOME = new Set<number>([TRANSPORT.network, TRANSPORT.timeout]);

/** The rendering channel a task uses: markdown for staff (app, robot) when its variant has one, else text. */
const channelFor = (kind: SendTaskRow['kind'], c: Component, variantId: string): Channel =>
  (kind === 'app' || kind === 'robot') && c.variants.find((v) => v.id === variantId)?.renderings.markdown
    ? 'markdown'
    : 'text';

/**
 * Builds the function that hands one planned task to WeCom. It renders the task's text for its sender's
 * persona and variant, marks the task `sending`, calls WeCom, and records the outcome. A task found in
 * `sending` (its worker died mid-call) is first looked up in WeCom's task list and adopted if WeCom has it.
 * Returns a reason when the content cannot be sent at all (stale market data, no approved version).
 */
export function sendTask(deps: {
  db: Db;
  repo: CampaignsRepository;
  audience: Pick<AudienceRepository, 'clientsPage' | 'rms'>;
  content: Pick<ContentRenderService, 'renderApproved'>;
  contact: Pick<WecomClient, 'addMsgTemplate' | 'getGroupMsgList' | 'addMomentTask'>;
  app: Pick<WecomClient, 'sendAppMessage'>;
  robot: (key: string) => Pick<GroupRobot, 'send'>;
  body: EntryBody;
  component: Component;
  /**
   * How long a task may sit in `sending` before it counts as abandoned: the job lock's duration, since only
   * after that can BullMQ give the job (and its tasks) to another worker.
   */
  staleSendingMs: number;
  /** Where an RM's task list opens (greeting notices link to it). */
  taskListUrl: string;
  clock: Clock;
  log: Log;
}) {
  const { db, repo, clock, body, component } = deps;
  const rmCache = new Map<string, Promise<AudienceRm | undefined>>();
  const rmOf = (userid: string) => {
    if (!userid) return Promise.resolve(undefined);
    let p = rmCache.get(userid);
    if (!p) {
      p = deps.audience.rms(db, [userid]).then((r) => r[0]);
      rmCache.set(userid, p);
    }
    return p;
  };

  async function render(task: SendTaskRow, recipients: string[]): Promise<string> {
    // Greetings on the app channel are the RM's to send personally: their message points to the list.
    if (task.kind === 'app' && GREETING_KINDS.has(component.kind))
      return `【今日祝福】${component.title}：今天有您的客户需要问候，祝福语已按您的风格写好。请在 Helix 任务列表查看，亲自发送后标记完成：${deps.taskListUrl}`;
    const rm = await rmOf(task.sender);
    const channel = channelFor(task.kind, component, task.variantId);
    const single = task.kind === 'single' && recipients.length === 1 ? recipients[0] : undefined;
    const client = single
      ? (await deps.audience.clientsPage(db, { externalUserids: [single] }, '', 1))[0]
      : undefined;
    const r = await deps.content.renderApproved(component.id, {
      channel,
      client: { externalUserid: single ?? '', ...(client?.name ? { name: client.name } : {}) },
      ...(rm ? { rm: { name: rm.name, userid: rm.userid } } : {}),
      personaId: rm?.persona ?? null,
      variantId: task.variantId,
      ...(body.context ? { context: body.context } : {}),
    });
    return (channel === 'markdown' ? r.payload.markdown : r.payload.text) ?? '';
  }

  /** Finds the WeCom task a dead worker created for `task`, by sender, time and text. */
  async function adopt(task: SendTaskRow): Promise<string | undefined> {
    if ((task.kind !== 'single' && task.kind !== 'group') || !task.sendingAt || !task.text) return undefined;
    const from = Math.floor(new Date(task.sendingAt).getTime() / 1000) - 60;
    const list = await deps.contact.getGroupMsgList({
      chatType: task.kind,
      startTime: from,
      endTime: Math.floor(clock.now().getTime() / 1000) + 60,
      creator: task.sender,
    });
    return list.group_msg_list.find((m) => m.text?.content === task.text)?.msgid;
  }

  async function call(task: SendTaskRow, recipients: string[], text: string) {
    const now = () => clock.now();
    switch (task.kind) {
      case 'single':
      case 'group': {
        const r = await deps.contact.addMsgTemplate({
          chatType: task.kind,
          sender: task.sender,
          ...(task.kind === 'single' ? { externalUserIds: recipients } : { chatIdList: recipients }),
          text,
        });
        await db.transaction((tx) => repo.markCreated(tx, task.id, r.msgId, r.failList ?? [], now()));
        return;
      }
      case 'moment': {
        const r = await deps.contact.addMomentTask({ text, visibleRange: { senderList: recipients } });
        await db.transaction((tx) => repo.markCreated(tx, task.id, `job:${r.jobId}`, [], now()));
        return;
      }
      case 'app': {
        const msgtype = channelFor('app', component, task.variantId);
        const r = await deps.app.sendAppMessage({ touser: recipients, msgtype, content: { content: text } });
        await db.transaction((tx) => repo.markDelivered(tx, task.id, now(), r.invalidUser ?? []));
        return;
      }
      case 'robot': {
        const key = (body.robotKeys ?? []).find((k) => `robot:${robotKeyId(k)}` === recipients[0]);
        if (!key) throw new WecomApiError('webhook/send', 93000, 'the robot key is no longer on the entry');
        await deps.robot(key).send({
          msgtype: channelFor('robot', component, task.variantId) === 'markdown' ? 'markdown' : 'text',
          content: text,
        });
        await db.transaction((tx) => repo.markDelivered(tx, task.id, now()));
        return;
      }
    }
  }

  return async (task: SendTaskRow): Promise<string | undefined> => {
    const staleBefore = new Date(clock.now().getTime() - deps.staleSendingMs);
    if (task.status === 'sending') {
      // Still within a live worker's job lock: that worker is handing it over right now.
      if (task.sendingAt && new Date(task.sendingAt) >= staleBefore) return undefined;
      const msgid = await adopt(task);
      if (msgid) {
        await db.transaction((tx) => repo.markCreated(tx, task.id, msgid, [], clock.now()));
        deps.log.info({ task: task.id }, 'adopted a send task a stopped worker had created');
        return undefined;
      }
    }
    const recipients = await repo.taskRecipients(db, task.id);
    let text: string;
    try {
      text = task.status === 'sending' && task.text ? task.text : await render(task, recipients);
    } catch (err) {
      // The content itself cannot go out today (stale market data, no approved version): every task would
      // fail alike, so the caller stops the occurrence with this reason.
      if (err instanceof AppError && err.code === 'conflict') return `content cannot be sent: ${err.message}`;
      // This sender's rendering failed (a persona without a sign-off, say): only their task fails.
      if (err instanceof Error && err.name === 'RenderError') {
        const reason = `render_failed: ${err.message}`;
        await db.transaction((tx) => repo.markFailed(tx, task.id, null, reason, clock.now()));
        deps.log.warn({ task: task.id, sender: task.sender }, 'a send task could not be rendered');
        return undefined;
      }
      throw err;
    }
    if (!(await repo.claimForSending(db, task.id, text, clock.now(), staleBefore))) return undefined;
    try {
      await call(task, recipients, text);
    } catch (err) {
      if (!(err instanceof WecomApiError)) throw err;
      if (err.retryable) {
        // WeCom said it created nothing (45009, busy): back to pending. Unknown outcomes stay `sending`.
        if (!UNKNOWN_OUTCOME.has(err.errcode)) await repo.markPending(db, task.id);
        throw err;
      }
      await db.transaction((tx) => repo.markFailed(tx, task.id, err.errcode, err.errmsg, clock.now()));
      deps.log.warn({ task: task.id, errcode: err.errcode }, 'WeCom rejected a send task');
    }
    return undefined;
  };
}
