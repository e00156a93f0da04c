import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { AppError } from '../../platform/errors.ts';
import type { ComplianceChecker } from '../compliance/compliance.service.ts';
import type { ContentRepository, OutcomeInput } from './content.repository.ts';
import type { Component } from './content.schemas.ts';
import type { ContentLibrary } from './content-library.ts';
import {
  type Channel,
  fixedMarketData,
  type MarketDataProvider,
  RenderError,
  type Rendered,
  type RenderInput,
  renderComponent,
} from './render.ts';

/** Who a rendering for sending is for, and the values behind its variables. */
type SendInput = {
  client: RenderInput['client'];
  rm?: Record<string, unknown>;
  personaId?: string | null;
  context?: Record<string, unknown>;
  /** A fixed variant (a mass message's), instead of the client's stable A/B choice. */
  variantId?: string;
};

/** Why sample figures may not be sent (outside development). */
const SAMPLE_PROBLEM = 'the market figures are sample data: no market-data feed is configured';

/** Whether a component shows market figures: only those read the market-data provider. */
const usesMarket = (c: Component) => Object.keys(c.variables).some((name) => name.startsWith('market.'));

/** Rendering content for clients and counting what happened to it. */
export type ContentRenderService = ReturnType<typeof createContentRenderService>;

/**
 * Creates the content rendering service: only the newest approved version inside its validity window is
 * sendable; any version can be previewed with the compliance verdict on the result; A/B outcomes are
 * recorded and read within the caller's branch scope.
 */
export function createContentRenderService(deps: {
  db: Db;
  repo: Pick<ContentRepository, 'findVersion' | 'newestApproved' | 'outcomeCounts' | 'insertOutcome'>;
  check: ComplianceChecker;
  library: Pick<ContentLibrary, 'personas'>;
  market: MarketDataProvider;
  /** Whether a rendering with sample market figures may be sent: only in development, never to clients. */
  sampleMarketDataSendable: boolean;
  clock: Clock;
}) {
  const { db, repo } = deps;

  /** Why a component may not be sent today, or undefined when its validity window holds today. */
  const outsideValidity = (c: Component): string | undefined => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    if (c.validity.from && today < c.validity.from) return `${c.id} is valid only from ${c.validity.from}`;
    if (c.validity.until && today > c.validity.until) return `${c.id} expired on ${c.validity.until}`;
    return undefined;
  };

  /**
   * The newest approved version of a component: the only thing schedules and senders may render. `handle`
   * reads it inside a caller's transaction (an inbound handler's, say).
   */
  async function approved(
    componentId: string,
    handle: Db | Tx = db,
  ): Promise<{ version: number; component: Component }> {
    const row = await repo.newestApproved(handle, componentId);
    if (!row)
      throw new AppError('conflict', {
        message: `${componentId} has no approved version`,
        zh: `内容 ${componentId} 还没有已批准的版本。`,
      });
    const invalid = outsideValidity(row.body);
    if (invalid)
      throw new AppError('conflict', {
        message: invalid,
        zh: `内容 ${componentId} 不在有效期内，暂不能发送。`,
      });
    return { version: row.version, component: row.body };
  }

  /**
   * One reading of the market-data provider: the figures to render with (so the figures judged fresh are
   * the figures shown), their as-of time, and why they may not be sent. A feed is a network call (bounded
   * by its timeout, cached briefly): a caller holding a transaction should ask `marketDataProblem()` first.
   */
  async function readMarket(): Promise<{ market: MarketDataProvider; asOf?: Date; problem?: string }> {
    const { market } = deps;
    if (market.source === 'sample')
      return deps.sampleMarketDataSendable ? { market } : { market, problem: SAMPLE_PROBLEM };
    if (!market.read) return { market };
    const r = await market.read();
    return {
      market: fixedMarketData({ ...r.values }, market.source),
      ...(r.asOf ? { asOf: r.asOf } : {}),
      ...(r.problem ? { problem: r.problem } : {}),
    };
  }

  /** Renders `component` with the caller's values, today's date and `market`'s figures. */
  const render = (
    component: Component,
    input: {
      channel: Channel;
      client: RenderInput['client'];
      rm?: Record<string, unknown>;
      context?: Record<string, unknown>;
      variantId?: string;
    },
    persona: RenderInput['persona'],
    market: MarketDataProvider,
  ) =>
    renderComponent(component, {
      channel: input.channel,
      client: input.client,
      ...(input.rm ? { rm: input.rm } : {}),
      ...(persona ? { persona } : {}),
      ...(input.context ? { context: input.context } : {}),
      ...(input.variantId ? { variantId: input.variantId } : {}),
      date: deps.clock.now(),
      market,
    });

  /**
   * Renders the newest approved version for sending (bots, welcomes): never a draft, never outside its
   * validity window, never with sample market figures where those are not sendable, never with stale or
   * missing ones (a conflict that says why, retryable: the feed may catch up). `handle` reads the version
   * inside the caller's transaction. Returns the rendering and the version it came from.
   */
  async function renderApproved(
    componentId: string,
    input: SendInput & { channel: Channel },
    handle: Db | Tx = db,
  ): Promise<Rendered & { version: number }> {
    const { version, component } = await approved(componentId, handle);
    // A persona the library does not describe still selects variants written for it by id.
    const persona = input.personaId
      ? { ...deps.library.personas.get(input.personaId), id: input.personaId }
      : undefined;
    let market = deps.market;
    if (usesMarket(component)) {
      const reading = await readMarket();
      if (reading.problem)
        throw new AppError('conflict', {
          message: `${componentId}: ${reading.problem}`,
          zh: `内容 ${componentId} 所需的行情数据暂不可用或已过时，暂不能发送。`,
          retryable: deps.market.source === 'live',
        });
      market = reading.market;
    }
    const rendered = await render(component, input, persona, market);
    return { ...rendered, version };
  }

  return {
    approved,

    renderApproved,

    /**
     * Why content with market figures may not be sent now (sample figures, stale or unreachable data), or
     * undefined when it may: the calendar asks before it schedules a brief, without rendering one.
     */
    marketDataProblem: async (): Promise<string | undefined> => (await readMarket()).problem,

    /** `renderApproved` on the text channel: the text a bot says, with the version and variant it came from. */
    async renderApprovedText(
      componentId: string,
      input: SendInput,
      handle: Db | Tx = db,
    ): Promise<{ text: string; version: number; variantId: string }> {
      const r = await renderApproved(componentId, { ...input, channel: 'text' }, handle);
      const text = r.payload.text;
      if (text === undefined) throw new RenderError('no_channel', `${componentId} rendered no text`);
      return { text, version: r.version, variantId: r.variantId };
    },

    /**
     * Renders a version for a client, as they would see it, with the compliance verdict on the result and
     * whether it is sendable. Stale figures are shown (flagged); with no figures at all the answer is only
     * why it cannot be sent.
     */
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
      const target = input.version ? await repo.findVersion(db, componentId, input.version) : null;
      if (input.version && !target)
        throw new AppError('not_found', {
          message: `no version ${input.version} of ${componentId}`,
          zh: `内容 ${componentId} 没有第 ${input.version} 版。`,
        });
      // A preview may show any version; only an approved one inside its validity window is sendable.
      const chosen = target
        ? { version: target.version, component: target.body, status: target.status }
        : { ...(await approved(componentId)), status: 'approved' as const };
      const persona = input.personaId ? deps.library.personas.get(input.personaId) : undefined;
      if (input.personaId && !persona)
        throw new AppError('bad_request', {
          message: `no persona ${input.personaId}`,
          zh: `没有名为 ${input.personaId} 的人设。`,
        });
      const reading = usesMarket(chosen.component) ? await readMarket() : undefined;
      const unsendableReason =
        chosen.status !== 'approved'
          ? `version ${chosen.version} is ${chosen.status}, not approved`
          : (outsideValidity(chosen.component) ?? reading?.problem);
      const marketAsOf = reading?.asOf ? { marketDataAsOf: reading.asOf.toISOString() } : {};
      let rendered: Rendered;
      try {
        rendered = await render(chosen.component, input, persona, reading?.market ?? deps.market);
      } catch (err) {
        // Without figures (a feed that is down) there is nothing to show: the reason is the answer.
        if (reading?.problem && err instanceof RenderError && err.variable?.startsWith('market.'))
          return {
            version: chosen.version,
            status: chosen.status,
            sendable: false as const,
            unsendableReason: unsendableReason ?? reading.problem,
            componentId,
          };
        if (err instanceof Error && err.name === 'RenderError')
          throw new AppError('bad_request', {
            message: err.message,
            zh:
              err instanceof RenderError && err.variable
                ? `变量 ${err.variable} 没有取值，无法生成该内容。`
                : '无法按所给的变量生成该内容（变量取值无效、没有适用的版本或超出渠道的长度限制），请检查后重试。',
          });
        throw err;
      }
      const compliance = deps.check.check(
        Object.values(rendered.payload).join('\n'),
        chosen.component.productRiskLevel ? { productRiskLevel: chosen.component.productRiskLevel } : {},
      );
      return {
        version: chosen.version,
        status: chosen.status,
        sendable: unsendableReason === undefined,
        ...(unsendableReason ? { unsendableReason } : {}),
        ...rendered,
        ...marketAsOf,
        compliance,
      };
    },

    /**
     * A/B results: how many of each outcome every variant of every version had, counting the clients
     * within `scope` only (a branch sees its own results).
     */
    outcomes: (
      componentId: string,
      scope: Scope,
      page: { after?: readonly [number, string, string]; limit: number },
    ) => repo.outcomeCounts(db, componentId, scope, page),

    /**
     * Records what happened to a rendering (sent, clicked, converted …), for A/B results. A client
     * outside `scope` is not found: an RM reports on their own clients only.
     */
    async recordOutcome(o: OutcomeInput, scope: Scope): Promise<void> {
      if (!(await repo.insertOutcome(db, o, scope))) {
        // The id is left out of the message: it may be an ID or phone number, and messages reach the log.
        throw new AppError('not_found', {
          message: 'no such client in your scope',
          zh: '在您的权限范围内没有该客户。',
        });
      }
    },
  };
}
