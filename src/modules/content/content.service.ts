import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, queryRows, type Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { Log } from '../../platform/logger.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import { clientInScope } from '../contacts/scope.sql.ts';
import { type Component, componentSchema } from './content.schemas.ts';
import { type ContentLibrary, type ContentProblem, lintComponent } from './content-library.ts';
import { type Channel, type MarketDataProvider, renderComponent } from './render.ts';

/** A version as the API shows it. */
export type VersionView = {
  componentId: string;
  version: number;
  status: 'draft' | 'submitted' | 'approved' | 'rejected';
  author: string;
  reviewer: string | null;
  reviewNote: string | null;
  findings: ContentProblem[];
  contentHash: string;
  createdAt: string;
};

const selectVersion = sql`SELECT component_id AS "componentId", version, status, author, reviewer,
                                 review_note AS "reviewNote", findings, content_hash AS "contentHash",
                                 created_at AS "createdAt"
                          FROM content_versions`;

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** The content workflow and rendering service. */
export type ContentService = ReturnType<typeof createContentService>;

/**
 * Creates the content service: syncs library files in as approved versions (by content hash), lets ops
 * author components through draft → submitted → approved | rejected with a compliance reviewer who is never
 * the author, and renders only approved versions for sending. Every change is audited.
 */
export function createContentService(deps: {
  db: Db;
  audit: AuditRepository;
  check: ComplianceChecker;
  library: ContentLibrary;
  market: MarketDataProvider;
  /** Whether a rendering with sample market figures may be sent: only in development, never to clients. */
  sampleMarketDataSendable: boolean;
  clock: Clock;
  log: Log;
}) {
  const { db, audit } = deps;

  async function nextVersion(tx: Tx, componentId: string): Promise<number> {
    const [r] = await queryRows<{ v: number }>(
      tx,
      sql`SELECT COALESCE(max(version), 0)::int + 1 AS v FROM content_versions WHERE component_id = ${componentId}`,
    );
    return r?.v ?? 1;
  }

  async function version(
    componentId: string,
    v: number,
    on: Db | Tx = db,
  ): Promise<VersionView & { body: Component }> {
    const [row] = await queryRows<VersionView & { body: Component }>(
      on,
      sql`SELECT component_id AS "componentId", version, status, author, reviewer, review_note AS "reviewNote",
                 findings, content_hash AS "contentHash", created_at AS "createdAt", body
          FROM content_versions WHERE component_id = ${componentId} AND version = ${v}`,
    );
    if (!row) throw new AppError('not_found', { message: `no version ${v} of ${componentId}` });
    return row;
  }

  /** Moves a version from one status to the next, or explains why it cannot. */
  async function transition(
    componentId: string,
    v: number,
    from: VersionView['status'],
    to: VersionView['status'],
    actor: { name: string; requestId?: string | null },
    set: ReturnType<typeof sql>,
    details: Record<string, unknown> = {},
  ): Promise<VersionView> {
    return db.transaction(async (tx) => {
      const rows = await queryRows<VersionView>(
        tx,
        sql`UPDATE content_versions SET status = ${to}, ${set}
            WHERE component_id = ${componentId} AND version = ${v} AND status = ${from}
            RETURNING component_id AS "componentId", version, status, author, reviewer, review_note AS "reviewNote",
                      findings, content_hash AS "contentHash", created_at AS "createdAt"`,
      );
      const row = rows[0];
      if (!row) {
        const current = await version(componentId, v, tx);
        throw new AppError('conflict', {
          message: `version ${v} of ${componentId} is ${current.status}, not ${from}`,
        });
      }
      await audit.append(tx, {
        actor: actor.name,
        action: `content.${to === 'submitted' ? 'submit' : to === 'approved' ? 'approve' : 'reject'}`,
        targetType: 'content_version',
        targetId: `${componentId}@${v}`,
        details,
        requestId: actor.requestId ?? null,
      });
      return row;
    });
  }

  /** Why a component may not be sent today, or undefined when its validity window holds today. */
  const outsideValidity = (c: Component): string | undefined => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    if (c.validity.from && today < c.validity.from) return `${c.id} is valid only from ${c.validity.from}`;
    if (c.validity.until && today > c.validity.until) return `${c.id} expired on ${c.validity.until}`;
    return undefined;
  };

  return {
    /** Records every library file as an approved version of its component; a changed file is a new version. */
    async syncLibrary(): Promise<{ added: number }> {
      let added = 0;
      for (const { component, hash } of deps.library.components.values()) {
        await db.transaction(async (tx) => {
          await queryRows(
            tx,
            sql`INSERT INTO content_components (id, kind, title, source, created_by)
                VALUES (${component.id}, ${component.kind}, ${component.title}, 'library', 'head-office')
                ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title`,
          );
          await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`content:${component.id}`}))`);
          const v = await nextVersion(tx, component.id);
          const inserted = await queryRows(
            tx,
            sql`INSERT INTO content_versions (component_id, version, content_hash, body, status, author, reviewer, reviewed_at)
                VALUES (${component.id}, ${v}, ${hash}, ${JSON.stringify(component)}::jsonb, 'approved',
                        'head-office', 'code-review', now())
                ON CONFLICT (component_id, content_hash) DO NOTHING RETURNING id`,
          );
          added += inserted.length;
        });
      }
      if (added > 0) deps.log.info({ added }, 'content library versions recorded');
      return { added };
    },

    /** Components with their newest version and newest approved version. */
    async list() {
      return queryRows<{
        id: string;
        kind: string;
        title: string;
        source: string;
        latest: number;
        approved: number | null;
      }>(
        db,
        sql`SELECT c.id, c.kind, c.title, c.source,
                   (SELECT max(version) FROM content_versions v WHERE v.component_id = c.id) AS latest,
                   (SELECT max(version) FROM content_versions v WHERE v.component_id = c.id AND v.status = 'approved') AS approved
            FROM content_components c ORDER BY c.id`,
      );
    },

    /** Every version of one component, newest first. */
    versions: (componentId: string) =>
      queryRows<VersionView>(
        db,
        sql`${selectVersion} WHERE component_id = ${componentId} ORDER BY version DESC`,
      ),

    /**
     * Stores an ops-authored draft (a new component or a new version of one). Structural problems (schema,
     * variables, limits) are a 400; compliance findings are kept with the draft for the reviewer.
     */
    async createDraft(
      input: unknown,
      author: { name: string; requestId?: string | null },
    ): Promise<VersionView> {
      const parsed = componentSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
        throw new AppError('bad_request', {
          message: `invalid component: ${problems.join('; ')}`,
          details: { problems },
        });
      }
      const c = parsed.data;
      if (deps.library.components.has(c.id)) {
        throw new AppError('conflict', {
          message: `${c.id} is a head-office library component; change its file instead`,
        });
      }
      const problems = lintComponent(c, `api:${c.id}`, deps.check);
      const structural = problems.filter(
        (p) => p.severity === 'error' && !p.message.startsWith('compliance'),
      );
      if (structural.length > 0) {
        const list = structural.map((p) => `${p.field}: ${p.message}`);
        throw new AppError('bad_request', {
          message: `invalid component: ${list.join('; ')}`,
          details: { problems: list },
        });
      }
      return db.transaction(async (tx) => {
        const [existing] = await queryRows<{ source: string }>(
          tx,
          sql`SELECT source FROM content_components WHERE id = ${c.id}`,
        );
        if (existing?.source === 'library')
          throw new AppError('conflict', { message: `${c.id} is a library component` });
        await queryRows(
          tx,
          sql`INSERT INTO content_components (id, kind, title, source, created_by)
              VALUES (${c.id}, ${c.kind}, ${c.title}, 'api', ${author.name})
              ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title`,
        );
        await queryRows(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`content:${c.id}`}))`);
        const v = await nextVersion(tx, c.id);
        const [row] = await queryRows<VersionView>(
          tx,
          sql`INSERT INTO content_versions (component_id, version, content_hash, body, status, author, findings)
              VALUES (${c.id}, ${v}, ${hashOf(c)}, ${JSON.stringify(c)}::jsonb, 'draft', ${author.name},
                      ${JSON.stringify(problems)}::jsonb)
              ON CONFLICT (component_id, content_hash) DO NOTHING
              RETURNING component_id AS "componentId", version, status, author, reviewer, review_note AS "reviewNote",
                        findings, content_hash AS "contentHash", created_at AS "createdAt"`,
        );
        if (!row)
          throw new AppError('conflict', { message: `an identical version of ${c.id} already exists` });
        await audit.append(tx, {
          actor: author.name,
          action: 'content.draft',
          targetType: 'content_version',
          targetId: `${c.id}@${v}`,
          details: { findings: problems.length },
          requestId: author.requestId ?? null,
        });
        return row;
      });
    },

    /** The author hands a draft to compliance. */
    async submit(componentId: string, v: number, actor: { name: string; requestId?: string | null }) {
      const current = await version(componentId, v);
      if (current.author !== actor.name) {
        throw new AppError('forbidden', {
          message: `only the author (${current.author}) can submit this draft`,
        });
      }
      return transition(componentId, v, 'draft', 'submitted', actor, sql`submitted_at = now()`);
    },

    /** A compliance reviewer, never the author, approves a submitted version without blocking findings. */
    async approve(
      componentId: string,
      v: number,
      reviewer: { name: string; requestId?: string | null },
      note?: string,
    ) {
      const current = await version(componentId, v);
      if (current.author === reviewer.name) {
        throw new AppError('forbidden', { message: 'the maker cannot approve their own content' });
      }
      const blocking = current.findings.filter((f) => f.severity === 'error');
      if (blocking.length > 0) {
        throw new AppError('conflict', {
          message: `version ${v} of ${componentId} has ${blocking.length} blocking finding(s); reject it instead`,
          details: { problems: blocking.map((f) => `${f.field}: ${f.message}`) },
        });
      }
      return transition(
        componentId,
        v,
        'submitted',
        'approved',
        reviewer,
        sql`reviewer = ${reviewer.name}, review_note = ${note ?? null}, reviewed_at = now()`,
        { note },
      );
    },

    /** A compliance reviewer, never the author, rejects a submitted version with a note. */
    async reject(
      componentId: string,
      v: number,
      reviewer: { name: string; requestId?: string | null },
      note: string,
    ) {
      const current = await version(componentId, v);
      if (current.author === reviewer.name) {
        throw new AppError('forbidden', { message: 'the maker cannot review their own content' });
      }
      return transition(
        componentId,
        v,
        'submitted',
        'rejected',
        reviewer,
        sql`reviewer = ${reviewer.name}, review_note = ${note}, reviewed_at = now()`,
        { note },
      );
    },

    /** The newest approved version of a component: the only thing schedules and senders may render. */
    async approved(componentId: string): Promise<{ version: number; component: Component }> {
      const [row] = await queryRows<{ version: number; body: Component }>(
        db,
        sql`SELECT version, body FROM content_versions WHERE component_id = ${componentId} AND status = 'approved'
            ORDER BY version DESC LIMIT 1`,
      );
      if (!row) throw new AppError('conflict', { message: `${componentId} has no approved version` });
      const invalid = outsideValidity(row.body);
      if (invalid) throw new AppError('conflict', { message: invalid });
      return { version: row.version, component: row.body };
    },

    /** Renders a version for a client, as they would see it, with the compliance verdict on the result. */
    async preview(
      componentId: string,
      input: {
        version?: number;
        channel: Channel;
        client: { externalUserid: string; name?: string; tier?: string; tags?: string[]; riskLevel?: string };
        rm?: Record<string, unknown>;
        personaId?: string;
        context?: Record<string, unknown>;
      },
    ) {
      const target = input.version ? await version(componentId, input.version) : null;
      // A preview may show any version; only an approved one inside its validity window is sendable.
      const chosen = target
        ? { version: target.version, component: target.body, status: target.status }
        : { ...(await this.approved(componentId)), status: 'approved' as const };
      const persona = input.personaId ? deps.library.personas.get(input.personaId) : undefined;
      if (input.personaId && !persona)
        throw new AppError('bad_request', { message: `no persona ${input.personaId}` });
      const rendered = await renderComponent(chosen.component, {
        channel: input.channel,
        client: input.client,
        ...(input.rm ? { rm: input.rm } : {}),
        ...(persona ? { persona } : {}),
        ...(input.context ? { context: input.context } : {}),
        date: deps.clock.now(),
        market: deps.market,
      }).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'RenderError')
          throw new AppError('bad_request', { message: err.message });
        throw err;
      });
      const compliance = deps.check.check(
        Object.values(rendered.payload).join('\n'),
        chosen.component.productRiskLevel ? { productRiskLevel: chosen.component.productRiskLevel } : {},
      );
      const unsendableReason =
        chosen.status !== 'approved'
          ? `version ${chosen.version} is ${chosen.status}, not approved`
          : (outsideValidity(chosen.component) ??
            (rendered.marketData === 'sample' && !deps.sampleMarketDataSendable
              ? 'the market figures are sample data: no market-data feed is configured'
              : undefined));
      return {
        version: chosen.version,
        status: chosen.status,
        sendable: unsendableReason === undefined,
        ...(unsendableReason ? { unsendableReason } : {}),
        ...rendered,
        compliance,
      };
    },

    /**
     * A/B results: how many of each outcome every variant of every version had, counting the clients
     * within `scope` only (a branch sees its own results).
     */
    outcomes: (componentId: string, scope: Scope) =>
      queryRows<{ version: number; variantId: string; outcome: string; count: number }>(
        db,
        sql`SELECT o.version, o.variant_id AS "variantId", o.outcome, count(*)::int AS count
            FROM content_outcomes o
            WHERE o.component_id = ${componentId} AND ${clientInScope(scope, sql`o.external_userid`)}
            GROUP BY o.version, o.variant_id, o.outcome
            ORDER BY o.version, o.variant_id, o.outcome`,
      ),

    /**
     * Records what happened to a rendering (sent, clicked, converted …), for A/B results. A client
     * outside `scope` is not found: an RM reports on their own clients only.
     */
    async recordOutcome(
      o: {
        componentId: string;
        version: number;
        variantId: string;
        externalUserid: string;
        channel: Channel;
        outcome: string;
      },
      scope: Scope,
    ) {
      const rows = await queryRows(
        db,
        sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome)
            SELECT ${o.componentId}, ${o.version}, ${o.variantId}, ${o.externalUserid}, ${o.channel}, ${o.outcome}
            WHERE ${clientInScope(scope, sql`${o.externalUserid}::text`)}
            RETURNING 1`,
      );
      if (rows.length === 0) {
        // The id is left out of the message: it may be an ID or phone number, and messages reach the log.
        throw new AppError('not_found', { message: 'no such client in your scope' });
      }
    },
  };
}
