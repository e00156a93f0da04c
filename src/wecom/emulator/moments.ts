import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { epochSeconds, fail, ok, parseOr40058, queryOf } from './api-kit.ts';
import type { EmulatorState, EmuMoment } from './emulator-state.ts';

const id = z.string().min(1).max(256);
const MOMENT_TEXT_LIMIT_CHARS = 2000;

// add_moment_task (developer.work.weixin.qq.com/document/path/95094): who publishes, and to which client tags.
const addSchema = z
  .object({
    text: z.object({ content: z.string().max(10_000) }).optional(),
    attachments: z
      .array(z.object({ msgtype: z.enum(['image', 'video', 'link']) }).passthrough())
      .max(9)
      .optional(),
    visible_range: z
      .object({
        sender_list: z
          .object({
            user_list: z.array(id).max(100_000).optional(),
            department_list: z.array(z.number().int()).max(100_000).optional(),
          })
          .optional(),
        external_contact_list: z.object({ tag_list: z.array(id).max(10_000).optional() }).optional(),
      })
      .optional(),
  })
  .passthrough()
  .refine((b) => (b.text?.content ?? '') !== '' || (b.attachments?.length ?? 0) > 0, {
    message: 'text or attachments is required',
  })
  // WeCom takes up to 9 images, or a single video, or a single link, never a mix.
  .refine(
    (b) => {
      const kinds = new Set((b.attachments ?? []).map((a) => a.msgtype));
      if (kinds.size > 1) return false;
      return kinds.has('image') || (b.attachments?.length ?? 0) <= 1;
    },
    { message: 'invalid attachments size or msgtype' },
  );

const momentQuery = z
  .object({ moment_id: id, cursor: z.string().max(256).optional(), limit: z.number().int().optional() })
  .passthrough();

/** Corp moments (客户朋友圈 企业发表): tasks each sender publishes in their app, or never does. */
export type Moments = ReturnType<typeof createMoments>;

/** Creates the moments model over the shared state. */
export function createMoments(state: EmulatorState) {
  const momentOf = (momentId: string): EmuMoment => {
    const m = state.moments.get(momentId);
    if (!m) throw new AppError('not_found', { message: `no moment ${momentId}` });
    return m;
  };

  return {
    /** The simulated RM publishes the moment in their WeCom app: one sender, or every sender not yet done. */
    publish(momentId: string, userid?: string): { momentId: string; published: string[] } {
      const moment = momentOf(momentId);
      const senders = userid ? [userid] : [...moment.senders.keys()];
      const now = epochSeconds(state.clock.now());
      const published: string[] = [];
      for (const sender of senders) {
        const part = moment.senders.get(sender);
        if (!part) throw new AppError('not_found', { message: `${sender} is not a sender of ${momentId}` });
        if (part.publishStatus === 1) continue;
        part.publishStatus = 1;
        part.publishTime = now;
        published.push(sender);
      }
      return { momentId, published };
    },

    /** Mounts add_moment_task, get_moment_task_result and get_moment_task on the /cgi-bin router. */
    register(router: Router): void {
      router.post('/externalcontact/add_moment_task', (req: Request, res: Response) => {
        const body = parseOr40058(res, addSchema, req.body);
        if (!body) return;
        // WeCom counts this limit in characters, unlike add_msg_template's bytes.
        if ([...(body.text?.content ?? '')].length > MOMENT_TEXT_LIMIT_CHARS) return fail(res, 'textTooLong');
        const range = body.visible_range;
        // Without a sender list WeCom gives the task to every member the app can see: here, every member.
        const wanted = range?.sender_list?.user_list ?? [...state.members.keys()];
        const knownTags = new Set([...state.tagGroups.values()].flatMap((g) => g.tags.map((t) => t.id)));
        const tags = range?.external_contact_list?.tag_list ?? [];
        const now = state.clock.now();
        const moment: EmuMoment = {
          momentId: `mom${randomBytes(12).toString('hex')}`,
          createTime: epochSeconds(now),
          text: body.text?.content,
          attachments: body.attachments ?? [],
          tagList: tags.filter((t) => knownTags.has(t)),
          senders: new Map(),
        };
        for (const userid of new Set(wanted)) {
          if (state.members.has(userid)) moment.senders.set(userid, { publishStatus: 0, publishTime: 0 });
        }
        const jobId = `job${randomBytes(12).toString('hex')}`;
        state.moments.set(moment.momentId, moment);
        state.momentJobs.set(jobId, {
          jobId,
          momentId: moment.momentId,
          createdAtMs: now.getTime(),
          invalidSenders: [...new Set(wanted)].filter((u) => !state.members.has(u)),
          // The emulator has no departments, so every department id is one WeCom would not know.
          invalidDepartments: range?.sender_list?.department_list ?? [],
          invalidTags: tags.filter((t) => !knownTags.has(t)),
        });
        ok(res, { jobid: jobId });
      });

      // A GET with the job id in the query, as WeCom has it; the job is done by the time anyone asks.
      router.get('/externalcontact/get_moment_task_result', (req: Request, res: Response) => {
        const job = state.momentJobs.get(queryOf(req).jobid ?? '');
        if (!job) return fail(res, 'invalidParameter', 'jobid');
        ok(res, {
          status: 3,
          type: 'add_moment_task',
          result: {
            errcode: 0,
            errmsg: 'ok',
            moment_id: job.momentId,
            invalid_sender_list: { user_list: job.invalidSenders, department_list: job.invalidDepartments },
            invalid_external_contact_list: { tag_list: job.invalidTags },
          },
        });
      });

      router.post('/externalcontact/get_moment_task', (req: Request, res: Response) => {
        const body = parseOr40058(res, momentQuery, req.body);
        if (!body) return;
        const moment = state.moments.get(body.moment_id);
        if (!moment) return fail(res, 'invalidParameter', 'moment_id');
        const taskList = [...moment.senders].map(([userid, p]) => ({
          userid,
          publish_status: p.publishStatus,
        }));
        ok(res, { next_cursor: '', task_list: taskList });
      });
    },
  };
}
