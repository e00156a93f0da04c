import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import { queryRows, type Tx } from '../../platform/db/client.ts';
import { clientImports } from './contacts.tables.ts';
import { IMPORT_LIMITS, type ImportProblem, type ProfileRow } from './profile-import.parser.ts';
import { rmInScope } from './scope-filters.repository.ts';

/** Rows per statement: bounded parameter sizes, few round trips. */
const CHUNK = 5000;

const column = <T>(rows: ProfileRow[], pick: (r: ProfileRow) => T | undefined) =>
  sql.param(rows.map((r) => pick(r) ?? null));

/** Writes validated profile rows. Run inside one transaction: an import applies whole or not at all. */
export type ProfileImportRepository = ReturnType<typeof createProfileImportRepository>;

/** Creates the profile import repository. */
export function createProfileImportRepository() {
  return {
    /**
     * Creates unknown clients and updates known ones. A field the file left empty keeps Helix's value.
     * Owners must already be RMs (the service checks first). Returns how many clients were new.
     */
    async upsertProfiles(tx: Tx, rows: ProfileRow[], at: Date): Promise<{ created: number }> {
      let created = 0;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const u = sql`unnest(${column(chunk, (r) => r.externalUserid)}::text[],
                             ${column(chunk, (r) => r.name)}::text[],
                             ${column(chunk, (r) => r.birthday)}::date[],
                             ${column(chunk, (r) => r.aumBand)}::text[],
                             ${column(chunk, (r) => r.riskLevel)}::text[],
                             ${column(chunk, (r) => (r.tags ? JSON.stringify(r.tags) : undefined))}::text[],
                             ${column(chunk, (r) => r.engagementScore)}::int[],
                             ${column(chunk, (r) => r.ownerRm)}::text[])
                      AS u(id, name, birthday, aum, risk, tags, score, owner)`;
        const inserted = await queryRows<{ n: number }>(
          tx,
          sql`WITH ins AS (
                INSERT INTO clients (external_userid, name, birthday, aum_band, risk_level, tags,
                                     engagement_score, owner_rm, profile_updated_at)
                SELECT u.id, u.name, u.birthday, u.aum, u.risk,
                       COALESCE(ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)), '{}'),
                       u.score, u.owner, ${at}
                FROM ${u}
                ON CONFLICT (external_userid) DO NOTHING
                RETURNING 1)
              SELECT count(*)::int AS n FROM ins`,
        );
        created += inserted[0]?.n ?? 0;
        await queryRows(
          tx,
          sql`UPDATE clients c SET
                name = COALESCE(u.name, c.name),
                birthday = COALESCE(u.birthday, c.birthday),
                aum_band = COALESCE(u.aum, c.aum_band),
                risk_level = COALESCE(u.risk, c.risk_level),
                tags = CASE WHEN u.tags IS NULL THEN c.tags
                            ELSE ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)) END,
                engagement_score = COALESCE(u.score, c.engagement_score),
                owner_rm = COALESCE(u.owner, c.owner_rm),
                profile_updated_at = ${at},
                updated_at = now()
              FROM ${u}
              WHERE c.external_userid = u.id AND c.profile_updated_at IS DISTINCT FROM ${at}`,
        );
      }
      return { created };
    },

    /**
     * A problem for every row that names an existing client, or an owner RM, outside `scope`: a branch
     * may not re-own or overwrite another branch's clients, nor hand its own to another branch's RM
     * (or to an RM Helix does not know, which would belong to no branch). New clients are fine.
     */
    async scopeProblems(tx: Tx, rows: ProfileRow[], scope: Scope): Promise<ImportProblem[]> {
      if (scope.kind === 'all') return [];
      const problems: ImportProblem[] = [];
      for (let i = 0; i < rows.length && problems.length < IMPORT_LIMITS.maxProblems; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const found = await queryRows<{
          line: number;
          id: string;
          owner: string | null;
          client: boolean;
          rm: boolean;
        }>(
          tx,
          sql`SELECT u.line, u.id, u.owner,
                     (c.external_userid IS NOT NULL AND NOT ${rmInScope(scope, sql`c.owner_rm`)}) AS client,
                     (u.owner IS NOT NULL AND NOT ${rmInScope(scope, sql`u.owner`)}) AS rm
              FROM unnest(${column(chunk, (r) => r.line)}::int[], ${column(chunk, (r) => r.externalUserid)}::text[],
                          ${column(chunk, (r) => r.ownerRm)}::text[]) AS u(line, id, owner)
              LEFT JOIN clients c ON c.external_userid = u.id
              ORDER BY u.line`,
        );
        for (const f of found) {
          if (f.client) {
            problems.push({
              line: f.line,
              field: 'external_userid',
              message: `"${f.id}" is not a client in your scope`,
            });
          }
          if (f.rm) {
            problems.push({
              line: f.line,
              field: 'owner_rm',
              message: `"${f.owner}" is not an RM in your scope`,
            });
          }
        }
      }
      return problems.slice(0, IMPORT_LIMITS.maxProblems);
    },

    /** Records an applied import with its file hash and outcome. */
    async recordImport(
      tx: Tx,
      r: {
        actor: string;
        via: 'cli' | 'api';
        fileName: string | null;
        text: string;
        rows: number;
        created: number;
        summary: Record<string, unknown>;
      },
    ): Promise<number> {
      const [row] = await tx
        .insert(clientImports)
        .values({
          actor: r.actor,
          via: r.via,
          fileName: r.fileName,
          sha256: createHash('sha256').update(r.text).digest('hex'),
          rows: r.rows,
          created: r.created,
          updated: r.rows - r.created,
          summary: r.summary,
        })
        .returning({ id: clientImports.id });
      if (!row) throw new Error('import record insert returned no row');
      return row.id;
    },
  };
}
