import { createHash } from 'node:crypto';
import { type Audience, CHANNEL_LIMITS, type Component, type VariableSpec } from './content.schemas.ts';

/** A placeholder: `{{client.name}}`, `{{ market.csi300 }}`, `{{date}}`. */
export const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9.]*)\s*\}\}/g;

/** The channels a component renders for. */
export type Channel = 'text' | 'markdown' | 'news' | 'template_card';

/**
 * Market data behind `market.*` variables (index levels, rates …), pluggable per deployment. `source` says
 * whether the figures are real ('live') or stand-ins ('sample'): a client must never be sent sample figures.
 */
export type MarketDataProvider = {
  source: 'live' | 'sample';
  get(key: string): Promise<string | number | undefined>;
  /**
   * One consistent reading of every figure, with its as-of time and, when the figures may not be sent, why
   * (stale, unreachable). Optional: a provider without it (fixed figures) is always fresh.
   */
  read?(): Promise<MarketReading>;
};

/** What a market-data provider holds right now; `problem` set means its figures may not reach a client. */
export type MarketReading = {
  values: Readonly<Record<string, string | number>>;
  asOf?: Date;
  problem?: string;
};

/** A fixed provider of sample figures, for development, the demo and tests. */
export const fixedMarketData = (
  values: Record<string, string | number>,
  source: MarketDataProvider['source'] = 'sample',
): MarketDataProvider => ({
  source,
  get: async (key) => values[key],
});

/** Who a rendering is for and from: the values behind client.*, rm.*, persona.* and context.* variables. */
export type RenderInput = {
  channel: Channel;
  client: {
    externalUserid: string;
    tier?: string | null;
    tags?: readonly string[];
    riskLevel?: string | null;
  } & Record<string, unknown>;
  rm?: Record<string, unknown>;
  persona?: Record<string, unknown> & { id?: string };
  context?: Record<string, unknown>;
  date: Date;
  market: MarketDataProvider;
  /** Renders this variant instead of choosing one for the client (a mass message shares one variant). */
  variantId?: string;
};

/** A rendering failed: a missing variable, no variant for this audience, a channel limit. Never truncated. */
export class RenderError extends Error {
  constructor(
    readonly code: 'missing_variable' | 'no_variant' | 'no_channel' | 'over_limit' | 'bad_value',
    message: string,
    /** The variable at fault, for a missing or bad value: callers tell market figures from the rest. */
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** What a rendering produced and which variant it used (recorded with the outcome, for A/B results). */
export type Rendered = {
  componentId: string;
  variantId: string;
  channel: Channel;
  payload: Record<string, string>;
  /** Set when the rendering shows market figures: where they came from. */
  marketData?: MarketDataProvider['source'];
};

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Formats a value as its declared type reads in Chinese copy. */
export function formatValue(name: string, spec: VariableSpec, value: unknown): string {
  const bad = () => new RenderError('bad_value', `variable ${name} is not a ${spec.type}: ${String(value)}`);
  switch (spec.type) {
    case 'string': {
      const s = String(value);
      if (s.length > spec.maxLength)
        throw new RenderError('bad_value', `variable ${name} is longer than ${spec.maxLength}`);
      return s;
    }
    case 'number':
    case 'money':
    case 'percent': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw bad();
      if (spec.type === 'money')
        return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      if (spec.type === 'percent') return `${n.toFixed(2)}%`;
      return String(n);
    }
    case 'date': {
      const d = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(d.getTime())) throw bad();
      return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
    }
  }
}

/** True when the client matches every rule the audience sets. */
export function audienceMatches(
  a: Audience | undefined,
  client: RenderInput['client'],
  personaId?: string,
): boolean {
  if (!a) return true;
  if (a.tiers && !(client.tier && a.tiers.includes(client.tier))) return false;
  if (a.tagsAnyOf && !a.tagsAnyOf.some((t) => client.tags?.includes(t))) return false;
  if (a.riskLevels && !(client.riskLevel && (a.riskLevels as string[]).includes(client.riskLevel)))
    return false;
  if (a.personas && !(personaId && a.personas.includes(personaId))) return false;
  return true;
}

/**
 * Picks the variant for a client: among variants whose audience matches (those written for the RM's
 * persona first), a weighted choice on a hash of
 * component id + client id, so a client always gets the same variant (stable A/B) and the split follows
 * the weights across clients.
 */
export function chooseVariant(c: Component, client: RenderInput['client'], personaId?: string) {
  const matching = c.variants.filter((v) => audienceMatches(v.audience, client, personaId));
  // A variant written for the RM's persona takes precedence over the general ones, so a persona's own
  // wording replaces the general text instead of splitting with it like an A/B pair.
  const forPersona = matching.filter((v) => v.audience?.personas);
  const eligible = forPersona.length > 0 ? forPersona : matching;
  if (eligible.length === 0)
    throw new RenderError('no_variant', `${c.id}: no variant for this client's audience`);
  const total = eligible.reduce((s, v) => s + v.weight, 0);
  const h = createHash('sha256').update(`${c.id}\u0000${client.externalUserid}`).digest().readUInt32BE(0);
  let point = h % total;
  for (const v of eligible) {
    if (point < v.weight) return v;
    point -= v.weight;
  }
  return eligible[eligible.length - 1] as (typeof eligible)[number];
}

/** Fills one template; every placeholder must be declared (lint checks) and have a value if required. */
export function fill(template: string, values: Map<string, string>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => values.get(name) ?? '');
}

/** Checks a rendered payload against its channel's limits. Returns the problems (empty when it fits). */
export function limitProblems(channel: Channel, payload: Record<string, string>): string[] {
  const p: string[] = [];
  const over = (field: string, n: number, max: number, unit: string) => {
    if (n > max) p.push(`${channel}.${field} is ${n} ${unit}, over the limit of ${max}`);
  };
  if (channel === 'text') over('text', bytes(payload.text ?? ''), CHANNEL_LIMITS.text, 'bytes');
  if (channel === 'markdown')
    over('markdown', bytes(payload.markdown ?? ''), CHANNEL_LIMITS.markdown, 'bytes');
  if (channel === 'news') {
    over('title', bytes(payload.title ?? ''), CHANNEL_LIMITS.newsTitle, 'bytes');
    over('description', bytes(payload.description ?? ''), CHANNEL_LIMITS.newsDescription, 'bytes');
  }
  if (channel === 'template_card') {
    over('title', [...(payload.title ?? '')].length, CHANNEL_LIMITS.cardTitleChars, 'characters');
    over('desc', [...(payload.desc ?? '')].length, CHANNEL_LIMITS.cardDescChars, 'characters');
  }
  return p;
}

/** The payload fields of a variant's rendering for one channel, before filling. */
export function channelTemplates(
  r: Component['variants'][number]['renderings'],
  channel: Channel,
): Record<string, string> | undefined {
  if (channel === 'text') return r.text ? { text: r.text } : undefined;
  if (channel === 'markdown') return r.markdown ? { markdown: r.markdown } : undefined;
  if (channel === 'news') return r.news ? { ...r.news } : undefined;
  return r.template_card ? { ...r.template_card } : undefined;
}

/**
 * Renders a component for one client on one channel. A required variable without a value, a channel the
 * component does not have, or a result over the channel's limit is a RenderError; nothing is truncated.
 */
export async function renderComponent(c: Component, input: RenderInput): Promise<Rendered> {
  const variant = input.variantId
    ? c.variants.find((v) => v.id === input.variantId)
    : chooseVariant(c, input.client, input.persona?.id);
  if (!variant) throw new RenderError('no_variant', `${c.id} has no variant ${input.variantId}`);
  const templates = channelTemplates(variant.renderings, input.channel);
  if (!templates)
    throw new RenderError('no_channel', `${c.id}/${variant.id} has no ${input.channel} rendering`);
  const values = new Map<string, string>();
  let usedMarket = false;
  for (const [name, spec] of Object.entries(c.variables)) {
    const [source, key] = name === 'date' ? ['date', ''] : (name.split('.') as [string, string]);
    const raw =
      source === 'date'
        ? input.date
        : source === 'market'
          ? await input.market.get(key)
          : (
              {
                client: input.client,
                rm: input.rm,
                persona: input.persona,
                context: input.context,
              } as Record<string, Record<string, unknown> | undefined>
            )[source]?.[key];
    if (raw === undefined || raw === null || raw === '') {
      if (spec.required)
        throw new RenderError('missing_variable', `${c.id}: variable ${name} has no value`, name);
      values.set(name, '');
      continue;
    }
    if (source === 'market') usedMarket = true;
    values.set(name, formatValue(name, spec, raw));
  }
  const payload = Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, fill(t, values)]));
  const problems = limitProblems(input.channel, payload);
  if (problems.length > 0)
    throw new RenderError('over_limit', `${c.id}/${variant.id}: ${problems.join('; ')}`);
  return {
    componentId: c.id,
    variantId: variant.id,
    channel: input.channel,
    payload,
    ...(usedMarket ? { marketData: input.market.source } : {}),
  };
}
