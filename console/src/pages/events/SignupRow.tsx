import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api.ts';
import { wordFor } from '../../form-fields.tsx';
import { t } from '../../messages.ts';
import { type Signup, whenText } from './shared.tsx';

type Props = {
  signup: Signup;
  /** Whether the signed-in role may cancel (admin, ops: the roles the API allows). */
  canCancel: boolean;
  busy: boolean;
  /** The API's refusal of the last attempt to cancel this sign-up. */
  refusal: ApiError | undefined;
  onCancel: (s: Signup) => void;
};

/**
 * One sign-up: client, status, how, when, attended. Cancelling asks first, in the row: the confirmation
 * names the client and takes the focus; keeping the sign-up gives it back.
 */
export function SignupRow({ signup: s, canCancel, busy, refusal, onCancel }: Props) {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const errorId = `signup-${s.externalUserid}-error`;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (returnFocus.current) cancelRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const cancellable = canCancel && s.status !== 'cancelled';
  const client = s.externalUserid;
  return (
    <tr>
      <td>{client}</td>
      <td>{wordFor('events.status', s.status)}</td>
      <td>{wordFor('events.via', s.via)}</td>
      <td>{whenText(s.createdAt)}</td>
      <td>{whenText(s.attendedAt)}</td>
      {canCancel ? (
        <td>
          {cancellable && !confirming ? (
            <button
              ref={cancelRef}
              type="button"
              aria-disabled={busy ? true : undefined}
              aria-label={busy ? undefined : t('events.cancelFor', { client })}
              aria-describedby={refusal ? errorId : undefined}
              onClick={() => {
                if (!busy) setConfirming(true);
              }}
            >
              {busy ? t('events.cancelling') : t('events.cancelSignup')}
            </button>
          ) : null}
          {cancellable && confirming ? (
            <fieldset>
              <legend>{t('events.confirmCancel', { client })}</legend>
              <button
                ref={confirmRef}
                type="button"
                aria-label={t('events.confirmFor', { client })}
                onClick={() => {
                  setConfirming(false);
                  returnFocus.current = true;
                  onCancel(s);
                }}
              >
                {t('events.confirm')}
              </button>{' '}
              <button
                type="button"
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                {t('events.keep')}
              </button>
            </fieldset>
          ) : null}
          {refusal ? (
            <p role="alert" id={errorId} className="field-error">
              {t('events.refused')}
              {refusal.message || t('error.network')}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
