import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';

/** A client filter, as the calendar resolves an audience. Each list matches any of its values. */
export type ClientFilter = {
  tiers?: readonly string[];
  tags?: readonly string[];
  rms?: readonly string[];
  /** Month and day (MM-DD) the client's birthday must fall on. */
  birthdayMonthDay?: string;
  /** Only these clients (group members, say). */
  externalUserids?: readonly string[];
};

/** One client of an audience, with what eligibility needs and the owner RM's persona and name. */
export type AudienceClient = {
  externalUserid: string;
  name: string | null;
  ownerRm: string | null;
  riskLevel: string | null;
  optedOut: boolean;
  tier: string | null;
  tags: string[];
  rmName: string | null;
  rmPersona: string | null;
  rmBranch: string | null;
};

/** What audiences and offers' eligibility rules read about a client (events, flash sales). */
export type ClientFacts = {
  externalUserid: string;
  tier: string | null;
  riskLevel: string | null;
  tags: string[];
  ownerRm: string | null;
  status: string;
  acquiredAt: Date | null;
  activatedAt: Date | null;
};

/** An RM as the calendar addresses them: persona for rendering, branch for stats. */
export type AudienceRm = { userid: string; name: string; persona: string | null; branch: string | null };

/** Reading audiences out of the contacts tables, and recording opt-outs. */
export type AudienceRepository = ReturnType<typeof createAudienceRepository>;

/** The facts of many clients in one query (one array parameter, however many). */
const clientFacts = async (db: Db | Tx, externalUserids: readonly string[]): Promise<ClientFacts[]> =>
  (
    await queryRows<
      Omit<ClientFacts, 'acquiredAt' | 'activatedAt'> & {
        acquiredAt: string | Date | null;
        activatedAt: string | Date | null;
      }
    >(
      db,
      sql`SELECT external_userid AS "externalUserid", tier, risk_level AS "riskLevel", tags,
                 owner_rm AS "ownerRm", status, acquired_at AS "acquiredAt", activated_at AS "activatedAt"
            FROM clients WHERE external_userid = ANY(${sql.param([...externalUserids])}::text[])`,
    )
  ).map((r) => ({
    ...r,
    acquiredAt: r.acquiredAt ? new Date(r.acquiredAt) : null,
    activatedAt: r.activatedAt ? new Date(r.activatedAt) : null,
  }));

/** Creates the audience repository (SQL over clients and rms, which the contacts module owns). */
export function createAudienceRepository() {
  const where = (f: ClientFilter, after: string): SQL => {
    const parts: SQL[] = [sql`c.status = 'active'`, sql`c.external_userid > ${after}`];
    if (f.tiers) parts.push(sql`c.tier = ANY(${sql.param([...f.tiers])}::text[])`);
    if (f.tags) parts.push(sql`c.tags && ${sql.param([...f.tags])}::text[]`);
    if (f.rms) parts.push(sql`c.owner_rm = ANY(${sql.param([...f.rms])}::text[])`);
    if (f.birthdayMonthDay) parts.push(sql`to_char(c.birthday, 'MM-DD') = ${f.birthdayMonthDay}`);
    if (f.externalUserids)
      parts.push(sql`c.external_userid = ANY(${sql.param([...f.externalUserids])}::text[])`);
    return sql.join(parts, sql` AND `);
  };
  return {
    /** One page of the clients matching `filter`, in id order after `after` (keyset paging). */
    clientsPage: (db: Db | Tx, filter: ClientFilter, after: string, limit: number) =>
      queryRows<AudienceClient>(
        db,
        sql`SELECT c.external_userid AS "externalUserid", c.name, c.owner_rm AS "ownerRm",
                   c.risk_level AS "riskLevel", (c.opted_out_at IS NOT NULL) AS "optedOut", c.tier, c.tags,
                   r.name AS "rmName", r.persona AS "rmPersona", r.branch AS "rmBranch"
              FROM clients c LEFT JOIN rms r ON r.userid = c.owner_rm
             WHERE ${where(filter, after)}
             ORDER BY c.external_userid
             LIMIT ${limit}`,
      ),

    /** The RMs with these userids (unknown ones are left out). */
    rms: (db: Db | Tx, userids: readonly string[]) =>
      queryRows<AudienceRm>(
        db,
        sql`SELECT userid, name, persona, branch FROM rms WHERE userid = ANY(${sql.param([...userids])}::text[])
             ORDER BY userid`,
      ),

    /**
     * What the events module needs of clients: tier, tags and owner RM (the audience and reminders) and
     * when they activated (conversion after an event). Unknown ids are left out.
     */
    clientFacts,

    /** The same facts by client, for many clients at once (a flash sale batches its claimants). */
    async eligibilityFacts(db: Db | Tx, externalUserids: readonly string[]) {
      const rows = externalUserids.length > 0 ? await clientFacts(db, externalUserids) : [];
      return new Map(rows.map((r) => [r.externalUserid, r]));
    },

    /** Marks a client opted out of calendar content; returns their owner RM, or undefined if unknown. */
    async optOut(db: Db | Tx, externalUserid: string, at: Date) {
      const rows = await queryRows<{ ownerRm: string | null; already: boolean }>(
        db,
        sql`UPDATE clients SET opted_out_at = COALESCE(opted_out_at, ${at.toISOString()}::timestamptz)
             WHERE external_userid = ${externalUserid}
         RETURNING owner_rm AS "ownerRm", (opted_out_at < ${at.toISOString()}::timestamptz) AS already`,
      );
      return rows[0];
    },
  };
}
