import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api.ts';
import { t } from '../../messages.ts';
import { dayOf, timeOf } from '../../time.ts';
import type { Policy } from '../clients/shared.tsx';
import { type Group, groupStatusText, keyText } from './shared.tsx';

type Props = {
  group: Group;
  policy: Policy | null;
  /** Whether the signed-in role may archive (admin, ops: the roles the API allows). */
  canArchive: boolean;
  busy: boolean;
  /** The API's refusal of the last attempt to archive this group. */
  refusal: ApiError | undefined;
  onArchive: (g: Group) => void;
};

/**
 * One customer group: name, id, key, members against capacity, status, join QR code, and archive. Archive
 * asks first, in the row: the confirmation names the group and takes the focus; cancelling gives it back.
 */
export function GroupRow({ group: g, policy, canArchive, busy, refusal, onArchive }: Props) {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const archiveRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const errorId = `group-${g.chatId}-error`;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (returnFocus.current) archiveRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const archivable = canArchive && g.status !== 'archived';
  return (
    <tr>
      <td>{g.name}</td>
      <td>{g.chatId}</td>
      <td>{keyText(policy, g.groupKey)}</td>
      <td>{t('groups.members', { n: g.memberCount, capacity: g.capacity })}</td>
      <td>{g.ownerRm ?? t('groups.ownerUnknown')}</td>
      <td>
        {groupStatusText(g.status)}
        {g.archivedAt ? (
          <time dateTime={g.archivedAt}>
            {t('groups.archivedAt', { day: dayOf(g.archivedAt), time: timeOf(g.archivedAt) })}
          </time>
        ) : null}
      </td>
      <td>
        {g.joinWayQr ? (
          <a
            href={g.joinWayQr}
            target="_blank"
            rel="noreferrer"
            aria-label={t('groups.qrFor', { name: g.name })}
          >
            {t('groups.qr')}
          </a>
        ) : (
          t('groups.noQr')
        )}
      </td>
      {canArchive ? (
        <td>
          {archivable && !confirming ? (
            <button
              ref={archiveRef}
              type="button"
              // aria-disabled, not disabled: the button keeps the focus it gets back from the confirmation.
              aria-disabled={busy ? true : undefined}
              aria-label={busy ? undefined : t('groups.archiveFor', { name: g.name })}
              aria-describedby={refusal ? errorId : undefined}
              onClick={() => {
                if (!busy) setConfirming(true);
              }}
            >
              {busy ? t('groups.archiving') : t('groups.archive')}
            </button>
          ) : null}
          {archivable && confirming ? (
            <fieldset>
              <legend>{t('groups.confirmArchive', { name: g.name })}</legend>
              <button
                ref={confirmRef}
                type="button"
                aria-label={t('groups.confirmFor', { name: g.name })}
                onClick={() => {
                  setConfirming(false);
                  returnFocus.current = true;
                  onArchive(g);
                }}
              >
                {t('groups.confirm')}
              </button>{' '}
              <button
                type="button"
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                {t('groups.cancel')}
              </button>
            </fieldset>
          ) : null}
          {refusal ? (
            <p role="alert" id={errorId} className="field-error">
              {t('groups.refused')}
              {refusal.message || t('error.network')}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
