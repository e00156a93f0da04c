import type { Schema } from '../../api.ts';
import { t } from '../../messages.ts';
import { SlaClock } from './SlaClock.tsx';

/** A conversation as `GET /api/v1/conversations` answers it. */
export type Conversation = Schema<'Conversation'>;

/** A client's id as the inbox shows it: the first four characters only. */
export const maskClient = (id: string) => t('handoffs.masked', { prefix: id.slice(0, 4) });

export const isOpen = (c: Conversation) => c.ownerState === 'pending-human' || c.ownerState === 'human';

type Props = {
  conversation: Conversation;
  now: number;
  busy: boolean;
  /** The API's own message when it refused to resolve this one. */
  refusal: string | undefined;
  onResolve: (c: Conversation) => void;
};

/** One hand-off: who and where, the RM it went to, who took over, its SLA clock, and resolve when open. */
export function HandoffRow({ conversation: c, now, busy, refusal, onResolve }: Props) {
  const errorId = `handoff-${c.id}-error`;
  return (
    <tr data-id={c.id}>
      <td>{c.id}</td>
      <td>{maskClient(c.clientUserid)}</td>
      <td>{c.chatId}</td>
      <td>{c.rmUserid ?? t('handoffs.noRm')}</td>
      <td>{c.takenOverBy ?? t('handoffs.nobody')}</td>
      <td>
        <SlaClock ownerState={c.ownerState} slaDueAt={c.slaDueAt} slaKept={c.slaKept} now={now} />
      </td>
      <td>
        {isOpen(c) ? (
          <button
            type="button"
            disabled={busy}
            aria-label={busy ? undefined : t('handoffs.resolveFor', { id: c.id })}
            aria-describedby={refusal ? errorId : undefined}
            onClick={() => onResolve(c)}
          >
            {busy ? t('handoffs.resolving') : t('handoffs.resolve')}
          </button>
        ) : null}
        {refusal ? (
          <p role="alert" id={errorId} className="field-error">
            {t('handoffs.refused')}
            {refusal}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
