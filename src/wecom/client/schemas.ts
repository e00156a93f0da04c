import { z } from 'zod';

/**
 * Shapes of WeCom's answers that Helix reads (developer.work.weixin.qq.com; summarised in docs/wecom.md). Fields
 * Helix does not use pass through untouched; a missing field Helix needs makes the call an error.
 */

const ok = z.object({ errcode: z.literal(0).optional(), errmsg: z.string().optional() }).passthrough();
const ids = z
  .string()
  .optional()
  .transform((v) => (v ? v.split('|').filter(Boolean) : []));

/** message/send: partial failures come back as '|'-joined lists with errcode 0. */
/** get_jsapi_ticket and ticket/get?type=agent_config: a JS-SDK ticket, good for `expires_in` seconds. */
export const ticketResponse = ok.extend({
  ticket: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** auth/getuserinfo: a member has `userid`; a non-member (a client's WeChat) has `openid` instead. */
export const userInfoResponse = ok.extend({
  userid: z.string().optional(),
  openid: z.string().optional(),
});

export const messageSendResponse = ok.extend({
  invaliduser: ids,
  invalidparty: ids,
  invalidtag: ids,
  unlicenseduser: ids,
  msgid: z.string().optional(),
});

/** externalcontact/get. */
export const externalContactResponse = ok.extend({
  external_contact: z
    .object({ external_userid: z.string(), name: z.string().optional(), type: z.number().optional() })
    .passthrough(),
  follow_user: z
    .array(
      z
        .object({
          userid: z.string(),
          state: z.string().optional(),
          createtime: z.number().optional(),
          tags: z.array(z.object({ tag_id: z.string().optional() }).passthrough()).optional(),
        })
        .passthrough(),
    )
    .default([]),
});

/** externalcontact/list. */
export const externalContactListResponse = ok.extend({ external_userid: z.array(z.string()).default([]) });

/** externalcontact/add_contact_way. */
export const addContactWayResponse = ok.extend({ config_id: z.string(), qr_code: z.string().optional() });

/** externalcontact/add_msg_template: `fail_list` holds recipients WeCom refused. */
export const addMsgTemplateResponse = ok.extend({
  msgid: z.string(),
  fail_list: z.array(z.string()).default([]),
});

/** externalcontact/get_groupmsg_list_v2. */
export const groupMsgListResponse = ok.extend({
  next_cursor: z.string().optional(),
  group_msg_list: z
    .array(
      z
        .object({
          msgid: z.string(),
          creator: z.string().optional(),
          create_type: z.number().optional(),
          text: z.object({ content: z.string() }).passthrough().optional(),
        })
        .passthrough(),
    )
    .default([]),
});

/** externalcontact/get_groupmsg_task. */
export const groupMsgTaskResponse = ok.extend({
  next_cursor: z.string().optional(),
  task_list: z
    .array(
      z.object({ userid: z.string(), status: z.number(), send_time: z.number().optional() }).passthrough(),
    )
    .default([]),
});

/** externalcontact/get_groupmsg_send_result. status: 0 not sent, 1 sent, 2 not a friend, 3 already got one. */
export const groupMsgSendResultResponse = ok.extend({
  next_cursor: z.string().optional(),
  send_list: z
    .array(
      z
        .object({
          external_userid: z.string().optional(),
          chat_id: z.string().optional(),
          userid: z.string(),
          status: z.number(),
          send_time: z.number().optional(),
        })
        .passthrough(),
    )
    .default([]),
});

/** externalcontact/add_moment_task: creating a moment is asynchronous; `jobid` is valid for 24 h. */
export const addMomentTaskResponse = ok.extend({ jobid: z.string() });

/**
 * externalcontact/get_moment_task_result. status: 1 started, 2 running, 3 done; `result` (with the moment id and
 * the senders and tags WeCom refused) is only meaningful once the job is done.
 */
export const momentTaskResultResponse = ok.extend({
  status: z.number(),
  type: z.string().optional(),
  result: z
    .object({
      errcode: z.number().optional(),
      errmsg: z.string().optional(),
      moment_id: z.string().optional(),
      invalid_sender_list: z
        .object({
          user_list: z.array(z.string()).default([]),
          department_list: z.array(z.number()).default([]),
        })
        .passthrough()
        .default({ user_list: [], department_list: [] }),
      invalid_external_contact_list: z
        .object({ tag_list: z.array(z.string()).default([]) })
        .passthrough()
        .default({ tag_list: [] }),
    })
    .passthrough()
    .optional(),
});

/** externalcontact/get_moment_task: per sender, publish_status 0 not yet published, 1 published. */
export const momentTaskResponse = ok.extend({
  next_cursor: z.string().optional(),
  task_list: z.array(z.object({ userid: z.string(), publish_status: z.number() }).passthrough()).default([]),
});

/** externalcontact/groupchat/list. */
export const groupChatListResponse = ok.extend({
  next_cursor: z.string().optional(),
  group_chat_list: z
    .array(z.object({ chat_id: z.string(), status: z.number().optional() }).passthrough())
    .default([]),
});

/** externalcontact/groupchat/get. */
export const groupChatGetResponse = ok.extend({
  group_chat: z
    .object({
      chat_id: z.string(),
      name: z.string().optional(),
      owner: z.string().optional(),
      member_list: z
        .array(
          z
            .object({
              userid: z.string(),
              type: z.number(),
              join_time: z.number().optional(),
              join_scene: z.number().optional(),
            })
            .passthrough(),
        )
        .default([]),
    })
    .passthrough(),
});

/** externalcontact/groupchat/add_join_way. */
export const addJoinWayResponse = ok.extend({ config_id: z.string() });

/** externalcontact/groupchat/get_join_way. */
export const getJoinWayResponse = ok.extend({
  join_way: z
    .object({
      config_id: z.string(),
      qr_code: z.string().optional(),
      chat_id_list: z.array(z.string()).default([]),
      state: z.string().optional(),
    })
    .passthrough(),
});

/** externalcontact/get_corp_tag_list. */
export const corpTagListResponse = ok.extend({
  tag_group: z
    .array(
      z
        .object({
          group_id: z.string(),
          group_name: z.string().optional(),
          tag: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()).default([]),
        })
        .passthrough(),
    )
    .default([]),
});

/** Any call whose answer carries nothing but errcode/errmsg. */
export const emptyResponse = ok;

/** A kf/sync_msg text entry (origin 3: the client; 4 the system; 5 a servicer in WeCom). */
export const kfTextMessage = z
  .object({
    msgid: z.string().min(1).max(128),
    open_kfid: z.string().max(256),
    external_userid: z.string().max(256),
    send_time: z.number(),
    origin: z.number(),
    msgtype: z.literal('text'),
    text: z.object({ content: z.string().max(10_000) }).passthrough(),
  })
  .passthrough();

/** A kf/sync_msg event entry (enter_session carries the welcome code for kf/send_msg_on_event). */
export const kfEventMessage = z
  .object({
    msgid: z.string().min(1).max(128),
    send_time: z.number(),
    msgtype: z.literal('event'),
    event: z
      .object({
        event_type: z.string().max(64),
        open_kfid: z.string().max(256).optional(),
        external_userid: z.string().max(256).optional(),
        welcome_code: z.string().max(512).optional(),
      })
      .passthrough(),
  })
  .passthrough();

/** Any kf/sync_msg entry: Helix reads texts and events (above) and keeps every other type as it is. */
const kfMessage = z
  .object({
    msgid: z.string().min(1).max(128),
    msgtype: z.string().max(64),
    open_kfid: z.string().max(256).optional(),
    external_userid: z.string().max(256).optional(),
    send_time: z.number().optional(),
  })
  .passthrough();

/** A kf/sync_msg message as the client returns it. */
export type KfSyncedMessage = z.infer<typeof kfMessage>;

/** kf/sync_msg: one page of an account's messages and the cursor to read the next one from. */
export const kfSyncResponse = ok.extend({
  next_cursor: z.string().max(512),
  has_more: z.union([z.literal(0), z.literal(1), z.boolean()]).transform((v) => v === 1 || v === true),
  msg_list: z.array(kfMessage).max(1000),
});

/** kf/send_msg and kf/send_msg_on_event. */
export const kfSendResponse = ok.extend({ msgid: z.string().max(128).optional() });

/** kf/service_state/get: 0 new, 1 bot, 2 pending pool, 3 human servicer, 4 ended. */
export const kfServiceStateResponse = ok.extend({
  service_state: z.number().int().min(0).max(4),
  servicer_userid: z.string().max(256).optional(),
});

/** kf/service_state/trans. */
export const kfTransResponse = ok.extend({ msg_code: z.string().max(512).optional() });
