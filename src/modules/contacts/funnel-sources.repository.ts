import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { UNKNOWN_CHANNEL_ID } from './contacts.tables.ts';

// The contacts module's SQL on its own tables (clients, client_rms, activation_events, channels), as
// subqueries and conditions the funnel module's set-based aggregation embeds. Instants are SQL
// timestamptz expressions; pass columns qualified with their table alias.

/**
 * Clients acquired in [from, to): `(external_userid, channel_id, rm, acquired_at, activated)`. A client
 * without a channel counts under the unknown channel, one without an owner under rm ''.
 */
export function acquisitionsBetween(from: SQL, to: SQL): SQL {
  return sql`(SELECT c.external_userid, COALESCE(c.channel_id, ${UNKNOWN_CHANNEL_ID}) AS channel_id,
                     COALESCE(c.owner_rm, '') AS rm, c.acquired_at, (c.activated_at IS NOT NULL) AS activated
              FROM clients c
              WHERE c.acquired_at >= ${from} AND c.acquired_at < ${to})`;
}

/**
 * RMs removed from a client in [from, to): `(rm, channel_id, removed_at, by_client)`. The direction is the
 * client's status now: 'removed_by_rm' is the RM's deletion; anything else (the client deleted the RM,
 * or deleted one RM and kept another) counts as the client's.
 */
export function removalsBetween(from: SQL, to: SQL): SQL {
  return sql`(SELECT cr.rm_userid AS rm, COALESCE(c.channel_id, ${UNKNOWN_CHANNEL_ID}) AS channel_id,
                     cr.removed_at, (c.status <> 'removed_by_rm') AS by_client
              FROM client_rms cr JOIN clients c ON c.external_userid = cr.external_userid
              WHERE cr.removed_at >= ${from} AND cr.removed_at < ${to})`;
}

/** Clients each RM held as a contact at instant `at`: `(rm, held)`. */
export function heldByRmAt(at: SQL): SQL {
  return sql`(SELECT cr.rm_userid AS rm, count(*)::int AS held
              FROM client_rms cr
              WHERE cr.added_at < ${at} AND (cr.removed_at IS NULL OR cr.removed_at >= ${at})
              GROUP BY cr.rm_userid)`;
}

/** Every client's contact spans with its RMs `(external_userid, added_at, removed_at)`; NULL: still one. */
export function clientContactSpans(): SQL {
  return sql`(SELECT src_cr.external_userid, src_cr.added_at, src_cr.removed_at FROM client_rms src_cr)`;
}

/** The activation events in [from, to): `(external_userid, occurred_at)`. */
export function activationEventsBetween(from: SQL, to: SQL): SQL {
  return sql`(SELECT src_ae.external_userid, src_ae.occurred_at FROM activation_events src_ae
              WHERE src_ae.occurred_at >= ${from} AND src_ae.occurred_at < ${to})`;
}

/** The channel a tracked link's `state` names: its id, its QR code URL and whether it is archived. */
export async function channelByState(
  db: Db | Tx,
  state: string,
): Promise<{ id: string; qrCode: string | null; archived: boolean } | undefined> {
  const rows = await queryRows<{ id: string; qrCode: string | null; archived: boolean }>(
    db,
    sql`SELECT id, qr_code AS "qrCode", (archived_at IS NOT NULL) AS archived
        FROM channels WHERE state = ${state}`,
  );
  return rows[0];
}
