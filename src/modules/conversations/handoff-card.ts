import type { Db, Tx } from '../../platform/db/client.ts';
import type { AppMessage } from '../../wecom/client/wecom-client.ts';
import type { ContentRenderService } from '../content/content-render.service.ts';

/** The library components the 接手 card's title and description come from. */
export const HANDOFF_CARD_COMPONENTS = {
  /** The bot handed a question to the client's RM. */
  new: 'handoff-card',
  /** Nobody took it over within the SLA: sent to the backup (or the RM again). */
  overdue: 'handoff-card-overdue',
} as const;

/** Builds the 接手 card an RM taps to take a conversation over. */
export type HandoffCardBuilder = ReturnType<typeof createHandoffCardBuilder>;

/**
 * The one builder of the 接手 card, for the bot's hand-off and the SLA escalation alike. The texts are the
 * approved library versions; the task id and the button key are what the takeover handler reads back, so
 * they are built here and nowhere else. The button says 接手 because that is the key's meaning in the UI.
 */
export function createHandoffCardBuilder(deps: { content: Pick<ContentRenderService, 'renderApproved'> }) {
  return {
    /** The card for conversation `conversationId`, for `to`; `question` (masked) shows under the title. */
    async build(
      input: { conversationId: number; to: string; overdue: boolean; question?: string },
      handle?: Db | Tx,
    ): Promise<AppMessage> {
      const { payload } = await deps.content.renderApproved(
        HANDOFF_CARD_COMPONENTS[input.overdue ? 'overdue' : 'new'],
        { channel: 'template_card', client: { externalUserid: input.to } },
        handle,
      );
      return {
        touser: [input.to],
        msgtype: 'template_card',
        content: {
          card_type: 'button_interaction',
          main_title: { title: payload.title ?? '', desc: payload.desc ?? '' },
          ...(input.question ? { sub_title_text: input.question.slice(0, 100) } : {}),
          task_id: handoffTaskId(input.conversationId),
          button_list: [{ text: '接手', style: 1, key: TAKEOVER_KEY }],
        },
      };
    },
  };
}

/** The button key the takeover handler answers to. */
export const TAKEOVER_KEY = 'takeover';

/** The card's task id, which names the conversation. */
export const handoffTaskId = (conversationId: number) => `handoff-${conversationId}`;

/** The conversation a card's task id names, or null for any other card. */
export function conversationOfTask(taskId: string | undefined): number | null {
  const m = /^handoff-(\d{1,15})$/.exec(taskId ?? '');
  return m ? Number(m[1]) : null;
}
