import { AppError } from '../../platform/errors.ts';
import { robotKeyId } from '../../wecom/client/group-robot.ts';

/** How the API shows a key, and how an edit may name a key the entry already has. */
export const maskedRobotKey = (key: string) => `robot:${robotKeyId(key)}`;

const MASKED = /^robot:[0-9a-f]{12}$/;

/**
 * The keys an edit means: a masked key (`robot:<id>`, as the API showed it) stands for the entry's current
 * key with that id, so a client can read an entry, change it and send it back without ever holding the
 * secret; anything else is a new key. A masked key the entry does not have is a 400.
 */
export function resolveRobotKeys(
  next: readonly string[] | undefined,
  current: readonly string[] | undefined,
) {
  if (!next) return undefined;
  return next.map((k) => {
    if (!MASKED.test(k)) return k;
    const known = (current ?? []).find((c) => maskedRobotKey(c) === k);
    if (!known)
      throw new AppError('bad_request', {
        message: `robotKeys: ${k} is not a key of this entry`,
        zh: `robotKeys: ${k} 不是此日历条目的机器人密钥。`,
      });
    return known;
  });
}
