import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import type { Role } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import { type ApprovalStatus, decideStep } from '../approvals/maker-checker.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { RiskLevel } from '../compliance/compliance.rules.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import type { FaqRepository, FaqVersionRow, ServableEntry } from './faq.repository.ts';
import type { FaqRow, FaqRowProblem } from './faq-import.parser.ts';
import { createServedFaqIndex } from './faq-served-index.ts';
import type { RankerFitsRepository } from './ranker-fits.repository.ts';
import type { DecisionThresholds } from './retrieval/decision-defaults.ts';
import type { ScoreAdjuster } from './retrieval/faq-index.ts';
import type { Lexicon } from './retrieval/lexicon.loader.ts';

/** The FAQ knowledge base service. */
export type FaqService = ReturnType<typeof createFaqService>;

/**
 * FAQ drafts are handed to compliance as they are written (imports and review-queue drafts have no separate
 * submit step), so a stored `draft` stands where the shared workflow says `submitted`.
 */
const awaitingReview = (status: string): ApprovalStatus =>
  status === 'draft' ? 'submitted' : (status as ApprovalStatus);

/**
 * Creates the FAQ service: versions in PostgreSQL (draft → approved | rejected by a compliance reviewer who is
 * not the author), an in-memory index of what may be served (approved, inside its validity window), current
 * in every process from the next question after a change, and suggestions filtered by the client's tier.
 */
export function createFaqService(deps: {
  db: Db;
  repo: FaqRepository;
  fits: RankerFitsRepository;
  audit: AuditRepository;
  check: ComplianceChecker;
  lexicon: Lexicon;
  thresholds: DecisionThresholds;
  clock: Clock;
  log: Log;
}) {
  const { db, repo } = deps;
  const kb = createServedFaqIndex(deps);
  const refresh = kb.refresh;

  /** The compliance verdict on an answer, with the disclosures its product risk level requires. */
  const checkAnswer = (row: { answer: string; productRiskLevel: string | null }) =>
    deps.check.check(
      row.answer,
      row.productRiskLevel ? { productRiskLevel: row.productRiskLevel as RiskLevel } : {},
    );

  /** Entries without tiers are for everyone; others only for clients in one of their tiers. */
  const visibleTo = (e: ServableEntry | undefined, client: { tier?: string | null }): e is ServableEntry =>
    !!e && (e.tiers.length === 0 || (!!client.tier && e.tiers.includes(client.tier)));

  /** A servable entry as a suggestion, with the compliance verdict on its answer. */
  const present = (e: ServableEntry, score: number) => ({
    entryId: e.entryId,
    version: e.version,
    category: e.category,
    question: e.question,
    answer: e.answer,
    productRiskLevel: e.productRiskLevel,
    score,
    compliance: checkAnswer(e),
  });

  /** Writes the entry's next version, with the compliance findings on its answer, in the caller's tx. */
  async function insertVersion(
    tx: Tx,
    row: FaqVersionRow,
    status: 'draft' | 'approved',
    author: string,
    reviewer: string | null,
    source: string,
  ): Promise<number> {
    await repo.ensureEntry(tx, row.id, source, author);
    await repo.lockEntry(tx, row.id);
    const findings = checkAnswer(row).findings;
    return repo.insertVersion(tx, { row, status, author, reviewer, findings });
  }

  return {
    refresh,
    /** The learned ranker this process serves with, if any. */
    learned: kb.learned,
    /** What this process serves now (after the last refresh): every servable entry's newest approved version. */
    servedEntries: (): ServableEntry[] => kb.entryIds().map((id) => kb.get(id) as ServableEntry),
    /** Records the shipped starter FAQ as approved versions (head office's code review is the approval). */
    async syncLibrary(rows: FaqRow[]): Promise<number> {
      let added = 0;
      for (const row of rows) {
        await db.transaction(async (tx) => {
          // Web replicas start together: one at a time per entry decides whether the file changed.
          await repo.lockEntry(tx, row.id);
          const latest = await repo.latestVersion(tx, row.id);
          if (
            latest &&
            latest.question === row.question &&
            latest.answer === row.answer &&
            latest.similar.join('|') === row.similar.join('|')
          )
            return;
          await insertVersion(tx, row, 'approved', 'head-office', 'code-review', 'library');
          added++;
        });
      }
      await refresh();
      return added;
    },

    /** Imports rows as drafts for compliance to review, all or none; returns how many. */
    async importDrafts(rows: FaqRow[] | { problems: FaqRowProblem[] }, actor: string): Promise<number> {
      if (!Array.isArray(rows)) {
        throw new AppError('bad_request', {
          message: `FAQ import rejected: ${rows.problems.length} problem(s); nothing was changed`,
          zh: `FAQ 导入未通过：共 ${rows.problems.length} 个问题，未做任何更改。`,
          details: { problems: rows.problems },
        });
      }
      await db.transaction(async (tx) => {
        for (const row of rows) await insertVersion(tx, row, 'draft', actor, null, 'api');
        await deps.audit.append(tx, {
          actor,
          action: 'faq.import',
          targetType: 'faq',
          details: { rows: rows.length },
        });
      });
      return rows.length;
    },

    /** The newest version of every entry, in the import format (TSV with a header), for review or backup. */
    async exportTsv(): Promise<string> {
      const rows = await repo.newestVersions(db);
      // Tabs and line breaks inside a field would break the format: they become spaces.
      const cell = (v: string | null) => (v ?? '').replace(/[\t\r\n]+/g, ' ');
      const lines = rows.map((r) =>
        [
          r.id,
          r.category,
          r.question,
          r.similar.join('|'),
          r.answer,
          r.tiers.join('|'),
          r.productRiskLevel,
          r.validFrom,
          r.validUntil,
        ]
          .map(cell)
          .join('\t'),
      );
      return `${['id', 'category', 'question', 'similar', 'answer', 'tiers', 'risk_level', 'valid_from', 'valid_until'].join('\t')}\n${lines.join('\n')}\n`;
    },

    /**
     * Writes a draft version for compliance to review, inside the caller's transaction: a new entry, or
     * `similar` questions added to an existing entry's newest version (question and answer unchanged).
     * Returns the entry and version written.
     */
    async writeDraft(
      tx: Tx,
      draft: { row: FaqRow } | { entryId: string; addSimilar: readonly string[] },
      actor: string,
    ): Promise<{ entryId: string; version: number }> {
      let row: FaqVersionRow;
      if ('row' in draft) {
        row = draft.row;
        if (await repo.entryExists(tx, row.id))
          throw new AppError('conflict', {
            message: `FAQ entry ${row.id} already exists`,
            zh: `FAQ 条目 ${row.id} 已存在。`,
          });
      } else {
        const latest = await repo.latestVersion(tx, draft.entryId);
        if (!latest)
          throw new AppError('not_found', {
            message: `no FAQ entry ${draft.entryId}`,
            zh: `没有 FAQ 条目 ${draft.entryId}。`,
          });
        const similar = [...latest.similar];
        for (const q of draft.addSimilar) if (q !== latest.question && !similar.includes(q)) similar.push(q);
        row = { ...latest, similar };
      }
      return { entryId: row.id, version: await insertVersion(tx, row, 'draft', actor, null, 'review') };
    },

    /** Drafts waiting for review, with their compliance findings. */
    pending: (page: { after?: readonly [string, number]; limit: number }) => repo.pendingDrafts(db, page),

    /**
     * A compliance reviewer (never the author) approves or rejects a draft; blocking findings cannot pass.
     * The shared maker–checker primitive decides, on the version locked in this transaction.
     */
    async review(
      entryId: string,
      version: number,
      reviewer: { name: string; role: Role },
      decision: 'approved' | 'rejected',
    ): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.lockVersion(tx, entryId, version);
        if (!row)
          throw new AppError('not_found', {
            message: `no version ${version} of FAQ ${entryId}`,
            zh: `FAQ ${entryId} 没有第 ${version} 版。`,
          });
        const step = decideStep({
          step: decision === 'approved' ? 'approve' : 'reject',
          current: { status: awaitingReview(row.status), author: row.author, findings: row.findings },
          actor: reviewer,
          subject: `FAQ ${entryId}@${version}`,
        });
        if (!step.ok) {
          const problems = step.blocking.map((f) => `${f.rule}: ${f.suggestion}`);
          // The refusal in Chinese, told apart the way decideStep tells them (it speaks English only).
          const subject = `FAQ ${entryId} 第 ${version} 版`;
          const zh =
            step.code === 'conflict'
              ? step.blocking.length > 0
                ? `${subject}有 ${step.blocking.length} 项阻断性问题，不能批准，请驳回。`
                : `${subject}当前的状态不允许此操作，请刷新后重试。`
              : reviewer.name === row.author
                ? `您不能审核自己撰写的${subject}。`
                : `只有合规人员可以审核${subject}。`;
          throw new AppError(step.code, {
            message: step.message,
            zh,
            ...(problems.length > 0 ? { details: { problems } } : {}),
          });
        }
        await repo.setReviewed(tx, entryId, version, decision, reviewer.name);
        await deps.audit.append(tx, {
          actor: reviewer.name,
          action: `faq.${decision === 'approved' ? 'approve' : 'reject'}`,
          targetType: 'faq',
          targetId: `${entryId}@${version}`,
        });
      });
      await refresh();
    },

    /** One servable entry as a suggestion, if the client's tier may see it (a client's clarify choice). */
    entryFor(entryId: string, client: { tier?: string | null }) {
      const e = kb.get(entryId);
      return e && visibleTo(e, client) ? present(e, 1) : undefined;
    },

    /**
     * Suggestions for a client's message: the decision, and the candidates the client's tier may see, each
     * with its approved answer and the compliance verdict on it (product answers carry their disclosure).
     */
    async suggest(
      message: string,
      client: { tier?: string | null } = {},
      handle: Db | Tx = db,
      extra?: ScoreAdjuster,
    ) {
      await refresh(handle);
      const visible = (id: string) => visibleTo(kb.get(id), client);
      const d = kb.decide(message, extra);
      const candidates = d.candidates.filter((c) => visible(c.id));
      // The top answer is for a higher tier, or tiers leave nothing to choose between: a person answers.
      const outcome =
        d.outcome === 'answer' && !visible(d.entryId)
          ? 'handoff'
          : d.outcome === 'clarify' && candidates.length < 2
            ? 'handoff'
            : d.outcome;
      return {
        outcome,
        /** Why nothing could be matched at all (an empty, emoji-only or over-long message), if so. */
        unreadable:
          d.outcome === 'handoff' && (d.reason === 'empty' || d.reason === 'too_long') ? d.reason : null,
        confidence: d.confidence,
        suggestions: candidates.map((c) => present(kb.get(c.id) as ServableEntry, c.probability)),
      };
    },
  };
}
