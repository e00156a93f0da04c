import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Log } from '../../platform/logger.ts';
import { decodeUpload, type UploadEncoding } from '../../platform/text/decode-upload.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ActivationService } from './activation.service.ts';
import {
  IMPORT_LIMITS,
  type ImportProblem,
  type ProfileRow,
  parseProfileImport,
} from './profile-import.parser.ts';
import type { ProfileImportRepository } from './profile-import.repository.ts';
import type { RmsRepository } from './rms.repository.ts';

/** What happened to an import: applied with a summary, or rejected whole with every problem. */
export type ImportOutcome =
  | {
      ok: true;
      importId: number;
      encoding: UploadEncoding;
      rows: number;
      created: number;
      updated: number;
      routing: Record<string, unknown>;
      /** The feed's activation events: how many were new, and how many activated a client. */
      activations: { recorded: number; activated: number };
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
  rms: Pick<RmsRepository, 'unknown'>;
  audit: AuditRepository;
  bands: () => readonly string[];
  route: RouteImported;
  /** Runs after an import committed (e.g. tell RMs about their new tasks); its failures are only logged. */
  afterApply?: (outcome: Extract<ImportOutcome, { ok: true }>) => Promise<void>;
  /** Records the rows' activation events in the import's transaction. */
  activation?: Pick<ActivationService, 'recordIn'>;
  /** The activation kinds the feed may report. */
  activationKinds?: readonly string[];
  clock: Clock;
  log: Log;
}) {
  // An owner Helix does not know is a typo far more often than a new RM: creating it would hand clients
  // to nobody, so the file is refused and the RM set up first.
  async function unknownOwners(tx: Tx, rows: ProfileRow[]): Promise<ImportProblem[]> {
    const owners = [...new Set(rows.flatMap((r) => (r.ownerRm ? [r.ownerRm] : [])))];
    const unknown = new Set(await deps.rms.unknown(tx, owners));
    return rows
      .filter((r) => r.ownerRm !== undefined && unknown.has(r.ownerRm))
      .slice(0, IMPORT_LIMITS.maxProblems)
      .map((r) => ({
        line: r.line,
        field: 'owner_rm',
        message: `unknown RM "${r.ownerRm}"; set the RM up first (PUT /api/v1/rms/:userid)`,
      }));
  }

  /**
   * Every problem with the rows' references, by line: unknown owner RMs, and clients or RMs outside
   * `scope`. For a limited scope an unknown RM is outside it too and is reported only as such, so a
   * branch token cannot tell another branch's RM from one that does not exist.
   */
  async function referenceProblems(tx: Tx, rows: ProfileRow[], scope: Scope): Promise<ImportProblem[]> {
    const outOfScope = await deps.repo.scopeProblems(tx, rows, scope);
    const ownerOutOfScope = new Set(outOfScope.filter((p) => p.field === 'owner_rm').map((p) => p.line));
    const unknown = (await unknownOwners(tx, rows)).filter((p) => !ownerOutOfScope.has(p.line));
    // Stable: on one line, the client's problem stays before the owner's.
    return [...outOfScope, ...unknown].sort((a, b) => a.line - b.line).slice(0, IMPORT_LIMITS.maxProblems);
  }

  return {
    async importProfiles(input: {
      /** The file's bytes as uploaded (their encoding is detected), or text that is already decoded. */
      file: Uint8Array | string;
      format: 'csv' | 'jsonl';
      fileName: string | null;
      actor: string;
      via: 'cli' | 'api';
      /** Whose clients the file may touch; the CLI runs with the whole bank's. */
      scope?: Scope;
      requestId?: string | null;
    }): Promise<ImportOutcome> {
      const now = deps.clock.now();
      const decoded =
        typeof input.file === 'string'
          ? { ok: true as const, text: input.file, encoding: 'utf-8' as const }
          : decodeUpload(input.file);
      if (!decoded.ok) {
        deps.log.info({ reason: decoded.message }, 'profile import rejected: unreadable encoding');
        return { ok: false, rows: 0, problems: [{ line: 1, field: '(file)', message: decoded.message }] };
      }
      const parsed = parseProfileImport(decoded.text, {
        format: input.format,
        bands: deps.bands(),
        today: now.toISOString().slice(0, 10),
        ...(deps.activationKinds ? { activationKinds: deps.activationKinds } : {}),
      });
      if (!parsed.ok) {
        deps.log.info({ rows: parsed.rows, problems: parsed.problems.length }, 'profile import rejected');
        return parsed;
      }
      const rows = parsed.rows;
      const outcome = await deps.db.transaction(async (tx): Promise<ImportOutcome> => {
        // Checked in the transaction that writes, so a rejected file changes nothing, like any bad row.
        const problems = await referenceProblems(tx, rows, input.scope ?? { kind: 'all' });
        if (problems.length > 0) return { ok: false, rows: rows.length, problems };
        const { created } = await deps.repo.upsertProfiles(tx, rows, now);
        const routing = await deps.route(tx, rows, now);
        const events = rows.flatMap((r) =>
          r.activation
            ? [
                {
                  externalUserid: r.externalUserid,
                  kind: r.activation.kind,
                  ref: r.activation.ref,
                  occurredAt: r.activation.at,
                },
              ]
            : [],
        );
        if (events.length > 0 && !deps.activation) {
          throw new Error('the profile import was built without the activation service');
        }
        const results =
          events.length > 0 && deps.activation ? await deps.activation.recordIn(tx, 'feed', events) : [];
        const activations = {
          recorded: results.filter((r) => r.status !== 'duplicate' && r.status !== 'error').length,
          activated: results.filter((r) => r.status === 'activated').length,
        };
        const importId = await deps.repo.recordImport(tx, {
          actor: input.actor,
          via: input.via,
          fileName: input.fileName,
          text: decoded.text,
          rows: rows.length,
          created,
          summary: { routing, activations },
        });
        await deps.audit.append(tx, {
          actor: input.actor,
          action: 'clients.import',
          targetType: 'client_import',
          targetId: String(importId),
          details: {
            rows: rows.length,
            created,
            fileName: input.fileName,
            via: input.via,
            encoding: decoded.encoding,
            activations,
          },
          requestId: input.requestId ?? null,
        });
        return {
          ok: true as const,
          importId,
          encoding: decoded.encoding,
          rows: rows.length,
          created,
          updated: rows.length - created,
          routing,
          activations,
        };
      });
      if (!outcome.ok) {
        deps.log.info({ rows: outcome.rows, problems: outcome.problems.length }, 'profile import rejected');
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
