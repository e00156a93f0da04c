import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { epochSeconds, fail, ok, parseOr40058, utf8Bytes } from './api-kit.ts';
import type { EmulatorState, EmuMassTask, EmuSendResult } from './emulator-state.ts';

const id = z.string().min(1).max(256);

// add_msg_template (developer.work.weixin.qq.com/document/path/92135).
const templateSchema = z
  .object({
    chat_type: z.enum(['single', 'group']).default('single'),
    external_userid: z.array(id).max(10_000).optional(),
    chat_id_list: z.array(id).max(2000).optional(),
    sender: id.optional(),
    text: z.object({ content: z.string().max(100_000) }).optional(),
    attachments: z
      .array(z.object({ msgtype: z.string().max(32) }).passthrough())
      .max(9)
      .optional(),
    allow_select: z.boolean().optional(),
  })
  .passthrough()
  .refine((b) => b.chat_type === 'single' || b.sender !== undefined, {
    message: 'sender is required for groups',
  })
  .refine((b) => b.text !== undefined || (b.attachments?.length ?? 0) > 0, {
    message: 'text or attachments is required',
  });

const msgidQuery = z
  .object({
    msgid: id,
    userid: id.optional(),
    limit: z.number().int().optional(),
    cursor: z.string().max(256).optional(),
  })
  .passthrough();
const listSchema = z
  .object({
    chat_type: z.enum(['single', 'group']),
    start_time: z.number().int().min(0),
    end_time: z.number().int().min(0),
    creator: id.optional(),
    filter_type: z.number().int().optional(),
    limit: z.number().int().optional(),
    cursor: z.string().max(256).optional(),
  })
  .passthrough();

/** Mass messages (群发): pending tasks, the simulated RM's confirmation, and the per-recipient cap. */
export type MassMessages = ReturnType<typeof createMassMessages>;

/**
 * Creates the mass-message model. A recipient gets at most `capPerWindow` mass messages per `windowS`
 * (WeCom: about one a day today; older documents say 4 a month, hence both are options). A task may be
 * reminded `remindsPerDay` times in any 24 h (WeCom: 3).
 */
export function createMassMessages(
  state: EmulatorState,
  opts: { capPerWindow: number; windowS: number; remindsPerDay?: number },
) {
  const remindsPerDay = opts.remindsPerDay ?? 3;
  const receivedInWindow = (log: { at: number }[], now: number) =>
    log.filter((m) => m.at > now - opts.windowS * 1000).length;

  /** Delivers one sender's part of a task; returns the recipient's status as send_result reports it. */
  const deliver = (
    task: EmuMassTask,
    sender: string,
    recipient: string,
    now: number,
  ): EmuSendResult['status'] => {
    const entry = { msgid: task.msgid, sender, text: task.text, at: now };
    if (task.chatType === 'group') {
      const g = state.groups.get(recipient);
      if (!g) return 2;
      if (receivedInWindow(g.massMessages, now) >= opts.capPerWindow) return 3;
      g.massMessages.push(entry);
      return 1;
    }
    const c = state.contacts.get(recipient);
    if (!c?.follows.some((f) => f.userid === sender)) return 2;
    if (receivedInWindow(c.massMessages, now) >= opts.capPerWindow) return 3;
    c.massMessages.push(entry);
    return 1;
  };

  return {
    /** The simulated RM taps "send" in their WeCom app: one sender, or every sender of the task. */
    confirm(msgid: string, userid?: string): { msgid: string; confirmed: string[] } {
      const task = state.tasks.get(msgid);
      if (!task) throw new AppError('not_found', { message: `no mass-message task ${msgid}` });
      if (task.cancelledAt !== undefined)
        throw new AppError('conflict', { message: `mass-message task ${msgid} was cancelled` });
      const senders = userid ? [userid] : [...task.senders.keys()];
      const now = state.clock.now().getTime();
      const confirmed: string[] = [];
      for (const sender of senders) {
        const part = task.senders.get(sender);
        if (!part) throw new AppError('not_found', { message: `${sender} is not a sender of ${msgid}` });
        if (part.status === 2) continue;
        part.status = 2;
        part.sendTime = epochSeconds(new Date(now));
        for (const r of part.results) {
          r.status = deliver(task, sender, r.recipient, now);
          r.sendTime = r.status === 1 ? part.sendTime : 0;
        }
        confirmed.push(sender);
      }
      return { msgid, confirmed };
    },

    /** Mounts add_msg_template and the three result queries on the /cgi-bin router. */
    register(router: Router): void {
      router.post('/externalcontact/add_msg_template', (req: Request, res: Response) => {
        const body = parseOr40058(res, templateSchema, req.body);
        if (!body) return;
        if (body.text && utf8Bytes(body.text.content) > 4000) return fail(res, 'textTooLong');
        const now = state.clock.now();
        const task: EmuMassTask = {
          msgid: `msg${randomBytes(12).toString('hex')}`,
          chatType: body.chat_type,
          creator: body.sender ?? '',
          createTime: epochSeconds(now),
          text: body.text?.content,
          attachments: body.attachments ?? [],
          senders: new Map(),
          reminders: [],
        };
        const addRecipient = (sender: string, recipient: string) => {
          const part = task.senders.get(sender) ?? { status: 0 as const, sendTime: 0, results: [] };
          part.results.push({ recipient, status: 0, sendTime: 0 });
          task.senders.set(sender, part);
        };
        const failList: string[] = [];
        if (body.chat_type === 'group') {
          const sender = body.sender!;
          const owned = [...state.groups.values()].filter((g) => g.owner === sender).map((g) => g.chatId);
          const chosen = body.chat_id_list ? owned.filter((c) => body.chat_id_list!.includes(c)) : owned;
          for (const chatId of chosen) addRecipient(sender, chatId);
          if (chosen.length === 0) task.senders.set(sender, { status: 0, sendTime: 0, results: [] });
        } else {
          for (const ext of new Set(body.external_userid ?? [])) {
            const follows = state.contacts.get(ext)?.follows ?? [];
            // Without a sender, WeCom gives the task to every member who has the client.
            const senders = body.sender
              ? follows.filter((f) => f.userid === body.sender).map((f) => f.userid)
              : follows.map((f) => f.userid);
            if (senders.length === 0) failList.push(ext);
            for (const s of senders) addRecipient(s, ext);
          }
          if (body.sender && !task.senders.has(body.sender)) {
            task.senders.set(body.sender, { status: 0, sendTime: 0, results: [] });
          }
        }
        state.tasks.set(task.msgid, task);
        ok(res, { fail_list: failList, msgid: task.msgid });
      });

      router.post('/externalcontact/remind_groupmsg_send', (req: Request, res: Response) => {
        const body = parseOr40058(res, msgidQuery, req.body);
        if (!body) return;
        const task = state.tasks.get(body.msgid);
        if (!task) return fail(res, 'invalidParameter', 'msgid');
        if (task.cancelledAt !== undefined) return fail(res, 'invalidParameter', 'the task was cancelled');
        const now = state.clock.now().getTime();
        const recent = task.reminders.filter((r) => r.at > now - 24 * 3600 * 1000).length;
        if (recent >= remindsPerDay) return fail(res, 'remindLimitReached');
        const pending = [...task.senders].filter(([, p]) => p.status === 0).map(([userid]) => userid);
        task.reminders.push({ at: now, senders: pending });
        ok(res);
      });

      router.post('/externalcontact/cancel_groupmsg_send', (req: Request, res: Response) => {
        const body = parseOr40058(res, msgidQuery, req.body);
        if (!body) return;
        const task = state.tasks.get(body.msgid);
        if (!task) return fail(res, 'invalidParameter', 'msgid');
        // What was sent stays sent (WeCom cannot recall it); pending senders and their recipients stay at 0.
        task.cancelledAt ??= state.clock.now().getTime();
        ok(res);
      });

      router.post('/externalcontact/get_groupmsg_task', (req: Request, res: Response) => {
        const body = parseOr40058(res, msgidQuery, req.body);
        if (!body) return;
        const task = state.tasks.get(body.msgid);
        if (!task) return fail(res, 'invalidParameter', 'msgid');
        const taskList = [...task.senders].map(([userid, p]) =>
          p.status === 2 ? { userid, status: 2, send_time: p.sendTime } : { userid, status: 0 },
        );
        ok(res, { next_cursor: '', task_list: taskList });
      });

      router.post('/externalcontact/get_groupmsg_send_result', (req: Request, res: Response) => {
        const body = parseOr40058(res, msgidQuery, req.body);
        if (!body) return;
        const task = state.tasks.get(body.msgid);
        if (!task) return fail(res, 'invalidParameter', 'msgid');
        const target = task.chatType === 'group' ? 'chat_id' : 'external_userid';
        const sendList = [...task.senders]
          .filter(([userid]) => body.userid === undefined || userid === body.userid)
          .flatMap(([userid, p]) =>
            p.results.map((r) => ({
              [target]: r.recipient,
              userid,
              status: r.status,
              send_time: r.sendTime,
            })),
          );
        ok(res, { next_cursor: '', send_list: sendList });
      });

      router.post('/externalcontact/get_groupmsg_list_v2', (req: Request, res: Response) => {
        const body = parseOr40058(res, listSchema, req.body);
        if (!body) return;
        const list = [...state.tasks.values()]
          .filter(
            (t) =>
              t.chatType === body.chat_type &&
              t.createTime >= body.start_time &&
              t.createTime <= body.end_time &&
              (body.creator === undefined || t.creator === body.creator),
          )
          .map((t) => ({
            msgid: t.msgid,
            creator: t.creator,
            create_time: String(t.createTime),
            // 0: created by the company through the API (add_msg_template), as every emulated task is.
            create_type: 0,
            ...(t.text === undefined ? {} : { text: { content: t.text } }),
            attachments: t.attachments,
          }));
        ok(res, { next_cursor: '', group_msg_list: list });
      });
    },
  };
}
