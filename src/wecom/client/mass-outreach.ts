import type { ClientCore } from './client-core.ts';
import type { WecomApiError } from './errors.ts';
import * as S from './schemas.ts';

/** A mass message to clients or customer groups (add_msg_template): a task the sender must confirm. */
export type MassMessage = {
  chatType: 'single' | 'group';
  externalUserIds?: string[];
  /** Group chats (chat_type group) to send to; absent, WeCom uses every group the sender owns. */
  chatIdList?: string[];
  sender?: string;
  text?: string;
  attachments?: unknown[];
};

/** A moment (客户朋友圈) the corp asks its members to publish (add_moment_task). */
export type MomentTask = {
  text?: string;
  /** At most 9 images, or 1 video, or 1 link, as WeCom defines the attachment objects. */
  attachments?: unknown[];
  /** Who publishes it (absent: every member in the app's visible range) and which clients, by tag, see it. */
  visibleRange: { senderList?: string[]; externalContactTags?: string[] };
};

const MASS_TEXT_LIMIT_BYTES = 4000;
/** Moments count characters, not bytes. */
const MOMENT_TEXT_LIMIT_CHARS = 2000;

/**
 * The client's mass-outreach calls (客户群发 and 客户朋友圈): tasks WeCom hands to members, who confirm or
 * publish them in their app. Kept apart from wecom-client.ts so neither file grows past a readable size.
 */
export function createMassOutreachApi(
  core: ClientCore,
  reject: (api: string, message: string) => WecomApiError,
) {
  return {
    /** externalcontact/add_msg_template. `failList` holds recipients WeCom refused. */
    async addMsgTemplate(m: MassMessage) {
      if (m.text && Buffer.byteLength(m.text) > MASS_TEXT_LIMIT_BYTES) {
        throw reject('externalcontact/add_msg_template', `text over ${MASS_TEXT_LIMIT_BYTES} bytes`);
      }
      if ((m.externalUserIds?.length ?? 0) > 10_000)
        throw reject('externalcontact/add_msg_template', 'more than 10,000 recipients');
      if ((m.attachments?.length ?? 0) > 9)
        throw reject('externalcontact/add_msg_template', 'more than 9 attachments');
      if (m.chatType === 'group' && !m.sender)
        throw reject('externalcontact/add_msg_template', 'group messages need a sender');
      const r = await core.call({
        api: 'externalcontact/add_msg_template',
        method: 'POST',
        body: {
          chat_type: m.chatType,
          external_userid: m.externalUserIds,
          chat_id_list: m.chatIdList,
          sender: m.sender,
          text: m.text === undefined ? undefined : { content: m.text },
          attachments: m.attachments,
        },
        response: S.addMsgTemplateResponse,
      });
      return { msgId: r.msgid, failList: r.fail_list };
    },

    /** externalcontact/get_groupmsg_list_v2. */
    getGroupMsgList: (q: {
      chatType: 'single' | 'group';
      startTime: number;
      endTime: number;
      creator?: string;
      cursor?: string;
    }) =>
      core.call({
        api: 'externalcontact/get_groupmsg_list_v2',
        method: 'POST',
        body: {
          chat_type: q.chatType,
          start_time: q.startTime,
          end_time: q.endTime,
          creator: q.creator,
          cursor: q.cursor,
        },
        response: S.groupMsgListResponse,
      }),

    /** externalcontact/get_groupmsg_task. */
    getGroupMsgTask: (msgId: string, cursor?: string) =>
      core.call({
        api: 'externalcontact/get_groupmsg_task',
        method: 'POST',
        body: { msgid: msgId, cursor },
        response: S.groupMsgTaskResponse,
      }),

    /** externalcontact/get_groupmsg_send_result (status 3: the client already received another mass message). */
    getGroupMsgSendResult: (msgId: string, userId: string, cursor?: string) =>
      core.call({
        api: 'externalcontact/get_groupmsg_send_result',
        method: 'POST',
        body: { msgid: msgId, userid: userId, cursor },
        response: S.groupMsgSendResultResponse,
      }),

    /** externalcontact/remind_groupmsg_send: nudges the members who have not sent yet (WeCom: 3 a day per task). */
    remindGroupMsgSend: (msgId: string) =>
      core.call({
        api: 'externalcontact/remind_groupmsg_send',
        method: 'POST',
        body: { msgid: msgId },
        response: S.emptyResponse,
      }),

    /** externalcontact/cancel_groupmsg_send: members can no longer send the task; what was sent stays sent. */
    cancelGroupMsgSend: (msgId: string) =>
      core.call({
        api: 'externalcontact/cancel_groupmsg_send',
        method: 'POST',
        body: { msgid: msgId },
        response: S.emptyResponse,
      }),

    /** externalcontact/add_moment_task: asynchronous; poll getMomentTaskResult with the job id for the moment id. */
    async addMomentTask(t: MomentTask) {
      if (!t.text && (t.attachments?.length ?? 0) === 0)
        throw reject('externalcontact/add_moment_task', 'text or attachments is required');
      if ((t.attachments?.length ?? 0) > 9)
        throw reject('externalcontact/add_moment_task', 'more than 9 attachments');
      if ([...(t.text ?? '')].length > MOMENT_TEXT_LIMIT_CHARS)
        throw reject('externalcontact/add_moment_task', `text over ${MOMENT_TEXT_LIMIT_CHARS} characters`);
      const { senderList, externalContactTags } = t.visibleRange;
      const r = await core.call({
        api: 'externalcontact/add_moment_task',
        method: 'POST',
        body: {
          text: t.text === undefined ? undefined : { content: t.text },
          attachments: t.attachments,
          visible_range: {
            sender_list: senderList ? { user_list: senderList } : undefined,
            external_contact_list: externalContactTags ? { tag_list: externalContactTags } : undefined,
          },
        },
        response: S.addMomentTaskResponse,
      });
      return { jobId: r.jobid };
    },

    /** externalcontact/get_moment_task_result: status 1 started, 2 running, 3 done (then `result.moment_id`). */
    getMomentTaskResult: (jobId: string) =>
      core.call({
        api: 'externalcontact/get_moment_task_result',
        method: 'GET',
        query: { jobid: jobId },
        response: S.momentTaskResultResponse,
      }),

    /** externalcontact/get_moment_task: whether each sender has published the moment. */
    getMomentTask: (momentId: string, cursor?: string) =>
      core.call({
        api: 'externalcontact/get_moment_task',
        method: 'POST',
        body: { moment_id: momentId, cursor },
        response: S.momentTaskResponse,
      }),
  };
}
