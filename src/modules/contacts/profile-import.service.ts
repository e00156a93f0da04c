import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { type ImportProblem, type ProfileRow, parseProfileImport } from './profile-import.parser.ts';
import type { ProfileImportRepository } from './profile-import.repository.ts';

/** What happened to an import: applied with a summary, or rejected whole with every problem. */
export type ImportOutcome =
  | {
      ok: true;
      importId: number;
      rows: number;
      created: number;
      updated: number;
      routing: Record<string, unknown>;
    }
  | { ok: false; rows: number; problems: ImportProblem[] };

/** Runs routing for the imported clients inside the import's transaction; returns a summary to report. */
export type RouteImported = (tx: Tx, rows: ProfileRow[], now: Date) => Promise<Record<string, unknown>>;

/** Imports the bank's profile feed. */
export type ProfileImportService = ReturnType<typeof createProfileImportService>;

/**
 * Creates the import service. Every row is validated before anything is written; a file with any bad row
 * changes nothing. A good file is applied, routed and recorded in one transaction, so it is all or
 * nothing, and applying the same file again leaves the same state.
 */
export function createProfileImportService(deps: {
  db: Db;
  repo: ProfileImportRepository;
  audit: AuditRepository;
  bands: () => readonly string[];
  route: RouteImported;
  /** Runs after an import committed (e.g. tell RMs about their new tasks); its failures are only logged. */
  afterApply?: (outcome: Extract<ImportOutcome, { ok: true }>) => Promise<void>;
  clock: Clock;
  log: Log;
}) {
  return {
    async importProfiles(input: {
      text: string;
      format: 'csv' | 'jsonl';
      fileName: string | null;
      actor: string;
      via: 'cli' | 'api';
      /** Whose clients the file may touch; the CLI runs with the whole bank's. */
      scope?: Scope;
      requestId?: string | null;
    }): Promise<ImportOutcome> {
      const now = deps.clock.now();
      const parsed = parseProfileImport(input.text, {
        format: input.format,
        bands: deps.bands(),
        today: now.toISOString().slice(0, 10),
      });
      if (!parsed.ok) {
        deps.log.info({ rows: parsed.rows, problems: parsed.problems.length }, 'profile import rejected');
        return parsed;
      }
      const rows = parsed.rows;
      const outcome = await deps.db.transaction(async (tx): Promise<ImportOutcome> => {
        // Checked in the transaction that writes, so a rejected file changes nothing, like any bad row.
        const problems = await deps.repo.scopeProblems(tx, rows, input.scope ?? { kind: 'all' });
        if (problems.length > 0) return { ok: false, rows: rows.length, problems };
        const { created } = await deps.repo.upsertProfiles(tx, rows, now);
        const routing = await deps.route(tx, rows, now);
        const importId = await deps.repo.recordImport(tx, {
          actor: input.actor,
          via: input.via,
          fileName: input.fileName,
          text: input.text,
          rows: rows.length,
          created,
          summary: { routing },
        });
        await deps.audit.append(tx, {
          actor: input.actor,
          action: 'clients.import',
          targetType: 'client_import',
          targetId: String(importId),
          details: { rows: rows.length, created, fileName: input.fileName, via: input.via },
          requestId: input.requestId ?? null,
        });
        return {
          ok: true as const,
          importId,
          rows: rows.length,
          created,
          updated: rows.length - created,
          routing,
        };
      });
      if (!outcome.ok) {
        deps.log.info(
          { rows: outcome.rows, problems: outcome.problems.length },
          'profile import out of scope',
        );
        return outcome;
      }
      deps.log.info(
        { importId: outcome.importId, rows: outcome.rows, created: outcome.created },
        'profile import applied',
      );
      await deps
        .afterApply?.(outcome)
        .catch((err: unknown) =>
          deps.log.warn({ err, importId: outcome.importId }, 'post-import step failed'),
        );
      return outcome;
    },
  };
}
