import type { Clock } from '../../platform/clock.ts';
import { epochSeconds } from './api-kit.ts';

/** An internal member (an RM) and what the app sent them. */
export type EmuMember = {
  userid: string;
  name: string;
  appMessages: { msgtype: string; payload: unknown; at: number }[];
  /** Messages over the per-minute cap that WeCom drops without telling the sender. */
  droppedAppMessages: number;
};

/** One member who follows a client, with the `state` of the contact way the client came through. */
export type EmuFollow = { userid: string; state: string; createtime: number; tagIds: string[] };

/** An external contact (a client) and everything the emulator delivered to them. */
export type EmuContact = {
  externalUserId: string;
  name: string;
  follows: EmuFollow[];
  welcomes: { rmUserId: string; text: string | undefined; attachments: unknown[]; at: number }[];
  massMessages: { msgid: string; sender: string; text: string | undefined; at: number }[];
};

/** A customer group chat; membership changes come from the callback driver or seeding. */
export type EmuGroup = {
  chatId: string;
  name: string;
  owner: string;
  createTime: number;
  members: { userid: string; type: 1 | 2; joinTime: number; joinScene: number }[];
  massMessages: { msgid: string; sender: string; text: string | undefined; at: number }[];
};

/** A contact way (QR code) created through add_contact_way. */
export type EmuContactWay = {
  configId: string;
  qrCode: string;
  type: number;
  scene: number;
  state: string;
  users: string[];
  createdAt: number;
};

/** A customer-group join way (groupchat/add_join_way): a QR code for up to 5 groups. */
export type EmuJoinWay = {
  configId: string;
  scene: 1 | 2;
  state: string;
  chatIds: string[];
  autoCreateRoom: boolean;
  roomBaseName: string;
  /** The number the next auto-created group's name ends with. */
  nextRoomId: number;
  qrCode: string;
  createdAt: number;
};

/** A corp tag group with its tags (get_corp_tag_list). */
export type EmuTagGroup = {
  groupId: string;
  groupName: string;
  createTime: number;
  tags: { id: string; name: string; createTime: number }[];
};

/** A welcome code issued when a client adds an RM: valid 20 s, usable once. */
export type EmuWelcomeCode = {
  code: string;
  externalUserId: string;
  rmUserId: string;
  issuedAtMs: number;
  used: boolean;
};

/** Per sender, per recipient outcome of a mass message (status as get_groupmsg_send_result reports it). */
export type EmuSendResult = { recipient: string; status: 0 | 1 | 2 | 3; sendTime: number };

/** A mass-message task from add_msg_template: pending until the sender confirms it in the (emulated) app. */
export type EmuMassTask = {
  msgid: string;
  chatType: 'single' | 'group';
  creator: string;
  createTime: number;
  text: string | undefined;
  attachments: unknown[];
  /** sender userid → the task's status for that sender (0 pending, 2 sent) and their recipients. */
  senders: Map<string, { status: 0 | 2; sendTime: number; results: EmuSendResult[] }>;
  /** Set by cancel_groupmsg_send: senders who had not sent can no longer do so. */
  cancelledAt?: number;
  /** Each remind_groupmsg_send call: when (ms) and which senders were still pending. */
  reminders: { at: number; senders: string[] }[];
};

/** A corp moment (客户朋友圈) from add_moment_task: each sender publishes it, or not, in their app. */
export type EmuMoment = {
  momentId: string;
  createTime: number;
  text: string | undefined;
  attachments: unknown[];
  /** Client tags the moment is visible to (empty: all of the sender's clients). */
  tagList: string[];
  /** sender userid → publish status (0 not yet, 1 published) and when (epoch seconds, 0 until then). */
  senders: Map<string, { publishStatus: 0 | 1; publishTime: number }>;
};

/** The asynchronous job add_moment_task answers with; get_moment_task_result reads it. */
export type EmuMomentJob = {
  jobId: string;
  momentId: string;
  createdAtMs: number;
  invalidSenders: string[];
  invalidDepartments: number[];
  invalidTags: string[];
};

/** Everything the emulator remembers; one instance per emulator, reset by building a new one. */
export type EmulatorState = ReturnType<typeof createEmulatorState>;

/** Creates the in-memory store the route handlers and the control API share. */
export function createEmulatorState(clock: Clock) {
  const members = new Map<string, EmuMember>();
  const contacts = new Map<string, EmuContact>();
  const groups = new Map<string, EmuGroup>();
  const contactWays = new Map<string, EmuContactWay>();
  const joinWays = new Map<string, EmuJoinWay>();
  const tagGroups = new Map<string, EmuTagGroup>();
  const welcomeCodes = new Map<string, EmuWelcomeCode>();
  const tasks = new Map<string, EmuMassTask>();
  const moments = new Map<string, EmuMoment>();
  const momentJobs = new Map<string, EmuMomentJob>();
  const webhookMessages = new Map<string, { msgtype: string; payload: unknown; at: number }[]>();
  /** AI bot replies posted to a message's response_url, by response code. */
  const botReplies = new Map<string, { msgtype: string; payload: unknown; at: number }[]>();
  const callCounts = new Map<string, number>();
  let seq = 0;

  const upsertMember = (userid: string, name?: string): EmuMember => {
    let m = members.get(userid);
    if (!m) {
      m = { userid, name: name ?? userid, appMessages: [], droppedAppMessages: 0 };
      members.set(userid, m);
    } else if (name) m.name = name;
    return m;
  };

  const upsertContact = (externalUserId: string, name?: string): EmuContact => {
    let c = contacts.get(externalUserId);
    if (!c) {
      c = { externalUserId, name: name ?? externalUserId, follows: [], welcomes: [], massMessages: [] };
      contacts.set(externalUserId, c);
    } else if (name) c.name = name;
    return c;
  };

  return {
    clock,
    members,
    contacts,
    groups,
    contactWays,
    joinWays,
    tagGroups,
    welcomeCodes,
    tasks,
    moments,
    momentJobs,
    webhookMessages,
    botReplies,
    callCounts,
    /** A process-unique suffix for generated ids. */
    nextSeq: () => ++seq,
    /** The id counter, so a saved state can resume it (state-file.ts) without reusing ids. */
    get seq(): number {
      return seq;
    },
    set seq(value: number) {
      seq = value;
    },
    upsertMember,
    upsertContact,
    /** Makes `userid` follow the client (the relationship `externalcontact/get` reports). */
    addFollow(externalUserId: string, userid: string, state = '', name?: string): EmuContact {
      upsertMember(userid);
      const c = upsertContact(externalUserId, name);
      const existing = c.follows.find((f) => f.userid === userid);
      if (existing) existing.state = state;
      else c.follows.push({ userid, state, createtime: epochSeconds(clock.now()), tagIds: [] });
      return c;
    },
    /** Creates the group if needed; the owner is a member too. */
    upsertGroup(chatId: string, owner: string, name?: string): EmuGroup {
      let g = groups.get(chatId);
      if (!g) {
        g = {
          chatId,
          name: name ?? chatId,
          owner,
          createTime: epochSeconds(clock.now()),
          members: [],
          massMessages: [],
        };
        groups.set(chatId, g);
        // A group first seen through a callback has no known owner until seeded.
        if (owner) {
          upsertMember(owner);
          g.members.push({ userid: owner, type: 1, joinTime: epochSeconds(clock.now()), joinScene: 0 });
        }
      }
      return g;
    },
    /** Counts a call to `path` for the inspector. */
    countCall(path: string): void {
      callCounts.set(path, (callCounts.get(path) ?? 0) + 1);
    },
  };
}
