import type { Ok, Schema } from '../api.ts';

/** One compliance finding, as `compliance/check` and `sidebar/content` report it (suggestions alike). */
export type Finding = Schema<'ComplianceFinding'>;

/** `POST /api/v1/compliance/check`'s answer: `ok` is false when a finding blocks the text. */
export type Verdict = Schema<'ComplianceResult'>;

/** `GET /api/v1/sidebar/context`: who the chat is with and what is open for them (no holdings). */
export type SidebarContext = Schema<'SidebarContext'>;

/** One approved piece of content the RM may send here (`GET /api/v1/sidebar/content`). */
export type ContentItem = Schema<'SidebarContentItem'>;

/** `POST /api/v1/assist/suggest`'s answer: the decision and the candidates with their verdicts. */
export type SuggestResult = Ok<'/assist/suggest', 'post'>;

/** One suggested FAQ answer with the compliance verdict on it. */
export type Suggestion = Schema<'FaqSuggestion'>;

/** The query naming the chat, for the sidebar's reads. */
export const chatQuery = (chat: { externalUserid: string } | { chatId: string }) =>
  'externalUserid' in chat
    ? `externalUserid=${encodeURIComponent(chat.externalUserid)}`
    : `chatId=${encodeURIComponent(chat.chatId)}`;
