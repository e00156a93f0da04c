import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import type { Role } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { problemDetails, zodProblems } from '../../platform/http/validate.ts';
import type { Log } from '../../platform/logger.ts';
import { type ApprovalStep, decideStep } from '../approvals/maker-checker.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import type { ContentRepository, VersionView } from './content.repository.ts';
import { componentSchema } from './content.schemas.ts';
import { type ContentLibrary, lintComponent } from './content-library.ts';

export type { VersionView } from './content.repository.ts';

/** Who takes a workflow step: the token's name and role, and the request for the audit trail. */
export type ContentActor = { name: string; role: Role; requestId?: string | null };

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

const AUDIT_ACTION: Record<ApprovalStep, string> = {
  submit: 'content.submit',
  approve: 'content.approve',
  reject: 'content.reject',
};

/** The content workflow service. */
export type ContentService = ReturnType<typeof createContentService>;

/**
 * Creates the content workflow service: syncs library files in as approved versions (by content hash),
 * and lets ops author components through the shared maker–checker workflow (draft → submitted → approved |
 * rejected, a compliance checker who is never the author). Every change is audited in its transaction.
 */
export function createContentService(deps: {
  db: Db;
  repo: ContentRepository;
  audit: Pick<AuditRepository, 'append'>;
  check: ComplianceChecker;
  library: Pick<ContentLibrary, 'components'>;
  log: Log;
}) {
  const { db, repo, audit } = deps;

  /**
   * Takes one workflow step: locks the version, lets the maker–checker primitive decide, writes the new
   * status and the audit entry in the same transaction, so two reviewers racing cannot both succeed.
   */
  function step(
    componentId: string,
    v: number,
    name: ApprovalStep,
    actor: ContentActor,
    note?: string,
  ): Promise<VersionView> {
    return db.transaction(async (tx) => {
      const current = await repo.findVersionForUpdate(tx, componentId, v);
      if (!current)
        throw new AppError('not_found', {
          message: `no version ${v} of ${componentId}`,
          zh: `内容 ${componentId} 没有第 ${v} 版。`,
        });
      const decision = decideStep({
        step: name,
        current,
        actor,
        subject: `version ${v} of ${componentId}`,
      });
      if (!decision.ok) {
        const problems = decision.blocking.map((f) => `${f.field}: ${f.message}`);
        // The refusal in Chinese, told apart the way decideStep tells them (it speaks English only).
        const subject = `内容 ${componentId} 第 ${v} 版`;
        const zh =
          decision.code === 'conflict'
            ? decision.blocking.length > 0
              ? `${subject}有 ${decision.blocking.length} 项阻断性问题，不能批准，请驳回。`
              : `${subject}当前的状态不允许此操作，请刷新后重试。`
            : name === 'submit'
              ? `只有作者本人可以提交${subject}。`
              : actor.name === current.author
                ? `您不能审核自己撰写的${subject}。`
                : `只有合规人员可以审核${subject}。`;
        throw new AppError(decision.code, {
          message: decision.message,
          zh,
          ...(problems.length > 0 ? { details: { problems } } : {}),
        });
      }
      const written = await repo.setStatus(
        tx,
        componentId,
        v,
        decision.to === 'submitted'
          ? { to: 'submitted' }
          : { to: decision.to, reviewer: actor.name, note: note ?? null },
      );
      await audit.append(tx, {
        actor: actor.name,
        action: AUDIT_ACTION[name],
        targetType: 'content_version',
        targetId: `${componentId}@${v}`,
        details: name === 'submit' ? {} : { note },
        requestId: actor.requestId ?? null,
      });
      return written;
    });
  }

  return {
    /** Records every library file as an approved version of its component; a changed file is a new version. */
    async syncLibrary(): Promise<{ added: number }> {
      let added = 0;
      for (const { component, hash } of deps.library.components.values()) {
        await db.transaction(async (tx) => {
          await repo.upsertComponent(tx, {
            id: component.id,
            kind: component.kind,
            title: component.title,
            source: 'library',
            createdBy: 'head-office',
          });
          // Head office's code review of the file is its approval.
          const inserted = await repo.insertVersion(tx, {
            componentId: component.id,
            contentHash: hash,
            body: component,
            status: 'approved',
            author: 'head-office',
            reviewer: 'code-review',
            findings: [],
          });
          if (inserted) added++;
        });
      }
      if (added > 0) deps.log.info({ added }, 'content library versions recorded');
      return { added };
    },

    /** Components with their newest version and newest approved version. */
    list: (page: { after?: string; limit: number }) => repo.listComponents(db, page),

    /** Every version of one component, newest first. */
    versions: (componentId: string, page: { before?: number; limit: number }) =>
      repo.listVersions(db, componentId, page),

    /**
     * Stores an ops-authored draft (a new component or a new version of one). Structural problems (schema,
     * variables, limits) are a 400; compliance findings are kept with the draft for the reviewer.
     */
    async createDraft(
      input: unknown,
      author: { name: string; requestId?: string | null },
    ): Promise<VersionView> {
      const parsed = componentSchema.safeParse(input, { reportInput: true });
      if (!parsed.success) {
        const details = problemDetails(zodProblems(parsed.error.issues, 'body'));
        throw new AppError('bad_request', {
          message: `invalid component: ${details.problems.join('; ')}`,
          zh: `内容组件有误：${details.zhProblems.join('；')}`,
          details,
        });
      }
      const c = parsed.data;
      if (deps.library.components.has(c.id)) {
        throw new AppError('conflict', {
          message: `${c.id} is a head-office library component; change its file instead`,
          zh: `${c.id} 是总行内容库中的组件，不能在此更改，请修改其文件。`,
        });
      }
      const problems = lintComponent(c, `api:${c.id}`, deps.check);
      const structural = problems.filter(
        (p) => p.severity === 'block' && !p.message.startsWith('compliance'),
      );
      if (structural.length > 0) {
        const list = structural.map((p) => `${p.field}: ${p.message}`);
        throw new AppError('bad_request', {
          message: `invalid component: ${list.join('; ')}`,
          zh: '内容组件有误，请按所列问题修改。',
          details: { problems: list },
        });
      }
      return db.transaction(async (tx) => {
        // A library file removed from disk leaves its component behind; ops still may not take it over.
        if ((await repo.componentSource(tx, c.id)) === 'library')
          throw new AppError('conflict', {
            message: `${c.id} is a library component`,
            zh: `${c.id} 是内容库中的组件，不能在此更改。`,
          });
        await repo.upsertComponent(tx, {
          id: c.id,
          kind: c.kind,
          title: c.title,
          source: 'api',
          createdBy: author.name,
        });
        const row = await repo.insertVersion(tx, {
          componentId: c.id,
          contentHash: hashOf(c),
          body: c,
          status: 'draft',
          author: author.name,
          reviewer: null,
          findings: problems,
        });
        if (!row)
          throw new AppError('conflict', {
            message: `an identical version of ${c.id} already exists`,
            zh: `${c.id} 已有内容完全相同的版本。`,
          });
        await audit.append(tx, {
          actor: author.name,
          action: 'content.draft',
          targetType: 'content_version',
          targetId: `${c.id}@${row.version}`,
          details: { findings: problems.length },
          requestId: author.requestId ?? null,
        });
        return row;
      });
    },

    /** The author hands a draft to compliance. */
    submit: (componentId: string, v: number, actor: ContentActor) => step(componentId, v, 'submit', actor),

    /** A compliance checker, never the author, approves a submitted version without blocking findings. */
    approve: (componentId: string, v: number, reviewer: ContentActor, note?: string) =>
      step(componentId, v, 'approve', reviewer, note),

    /** A compliance checker, never the author, rejects a submitted version with a note. */
    reject: (componentId: string, v: number, reviewer: ContentActor, note: string) =>
      step(componentId, v, 'reject', reviewer, note),
  };
}
