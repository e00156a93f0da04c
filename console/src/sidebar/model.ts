/** One compliance finding, as `compliance/check`, `assist/suggest` and `sidebar/content` report it. */
export type Finding = {
  rule: string;
  kind: 'banned-claim' | 'missing-disclosure' | 'pii';
  span: [number, number];
  severity: 'block' | 'warn';
  suggestion: string;
};

/** `POST /api/v1/compliance/check`'s answer: `ok` is false when a finding blocks the text. */
export type Verdict = { ok: boolean; findings: Finding[]; masked: string };

/** `GET /api/v1/sidebar/context`: who the chat is with and what is open for them (no holdings). */
export type SidebarContext = {
  client: {
    externalUserid: string;
    name: string | null;
    tier: string | null;
    riskLevel: string | null;
    tags: string[];
    channel: string | null;
    ownerRm: string | null;
    since: string | null;
  } | null;
  group: { chatId: string; name: string; tier: string | null; members: number } | null;
  persona: { id: string; name: string } | null;
  openTasks: {
    id: number;
    kind: 'single' | 'group' | 'moment' | 'app' | 'robot';
    title: string | null;
    scheduledAt: string | null;
  }[];
  touchesDue: { id: number; kind: string; title: string; body: string | null; dueDate: string | null }[];
  /** The chat's newest open conversation: one handed to a person before one the bot holds. */
  lastHandoff: {
    id: number;
    state: 'bot' | 'pending-human' | 'human';
    handedOffAt: string | null;
    slaDueAt: string | null;
    takenOverBy: string | null;
  } | null;
};

/** One approved piece of content the RM may send here (`GET /api/v1/sidebar/content`). */
export type ContentItem = {
  componentId: string;
  name: string;
  version: number;
  personaId: string | null;
  text: string;
  sendable: boolean;
  findings: Finding[];
};

/** One suggested FAQ answer with the compliance verdict on it (`POST /api/v1/assist/suggest`). */
export type Suggestion = {
  entryId: string;
  version: number;
  category: string;
  question: string;
  answer: string;
  productRiskLevel: string | null;
  score: number;
  compliance: Verdict;
};

/** `POST /api/v1/assist/suggest`'s answer. */
export type SuggestResult = {
  outcome: 'answer' | 'clarify' | 'handoff';
  unreadable: 'empty' | 'too_long' | null;
  confidence: number;
  suggestions: Suggestion[];
};

/** The query naming the chat, for the sidebar's reads. */
export const chatQuery = (chat: { externalUserid: string } | { chatId: string }) =>
  'externalUserid' in chat
    ? `externalUserid=${encodeURIComponent(chat.externalUserid)}`
    : `chatId=${encodeURIComponent(chat.chatId)}`;
