import { createHash } from 'node:crypto';

/** A short, stable id for a group-robot webhook key: the key itself is a secret and is never stored. */
export const robotKeyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);
