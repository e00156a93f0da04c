import { z } from 'zod';
import { RISK_LEVELS } from '../compliance/compliance.rules.ts';

/** The kinds of component head office ships. */
export const COMPONENT_KINDS = [
  'morning-brief',
  'flash-sale',
  'evening-topic',
  'welcome',
  'greeting-birthday',
  'greeting-festival',
  'event-invite',
  'product-card',
  'persona-opener',
  'risk-disclosure',
  'bot-reply',
  'handoff-card',
] as const;

/**
 * Channel limits, in UTF-8 bytes unless noted. text is WeCom's 2,048-byte text message; markdown 4,096;
 * news title/description as WeCom truncates them; template_card titles as WeCom's card layout shows them
 * whole (26 and 30 characters, counted in characters, not bytes).
 */
export const CHANNEL_LIMITS = {
  text: 2048,
  markdown: 4096,
  newsTitle: 128,
  newsDescription: 512,
  cardTitleChars: 26,
  cardDescChars: 30,
} as const;

/** Where a variable's value comes from when a component is rendered. */
export const VARIABLE_SOURCES = ['client', 'rm', 'persona', 'market', 'context'] as const;

const variableName = z
  .string()
  .regex(
    /^(client|rm|persona|market|context)\.[a-zA-Z][a-zA-Z0-9]{0,31}$|^date$/,
    'must be <source>.<name> or date',
  );

const variableSchema = z
  .object({
    type: z.enum(['string', 'number', 'date', 'money', 'percent']),
    required: z.boolean().default(true),
    /** The longest value accepted (characters); byte limits are linted with values this long. */
    maxLength: z.number().int().min(1).max(500).default(32),
  })
  .strict();

const audienceSchema = z
  .object({
    tiers: z.array(z.string().min(1).max(32)).optional(),
    tagsAnyOf: z.array(z.string().min(1).max(32)).optional(),
    riskLevels: z.array(z.enum(['C1', 'C2', 'C3', 'C4', 'C5'])).optional(),
    personas: z.array(z.string().min(1).max(64)).optional(),
  })
  .strict();

const renderingsSchema = z
  .object({
    text: z.string().min(1).max(10_000).optional(),
    markdown: z.string().min(1).max(20_000).optional(),
    news: z
      .object({
        title: z.string().min(1),
        description: z.string().min(1),
        url: z.string().url(),
        picurl: z.string().url().optional(),
      })
      .strict()
      .optional(),
    template_card: z
      .object({ title: z.string().min(1), desc: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, 'needs at least one channel');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** One component file, as written. */
export const componentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    kind: z.enum(COMPONENT_KINDS),
    title: z.string().min(1).max(64),
    tags: z.array(z.string().min(1).max(32)).max(20).default([]),
    variables: z.record(variableName, variableSchema).default({}),
    audience: audienceSchema.default({}),
    productRiskLevel: z.enum(RISK_LEVELS).optional(),
    validity: z.object({ from: isoDate.optional(), until: isoDate.optional() }).strict().default({}),
    variants: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,32}$/),
            audience: audienceSchema.optional(),
            weight: z.number().int().min(1).max(100).default(1),
            renderings: renderingsSchema,
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'product-card' && !c.productRiskLevel)
      ctx.addIssue({
        code: 'custom',
        path: ['productRiskLevel'],
        message: 'product cards must state the product risk level',
      });
    if (c.validity.from && c.validity.until && c.validity.from > c.validity.until)
      ctx.addIssue({ code: 'custom', path: ['validity', 'until'], message: 'is before validity.from' });
    c.variants.forEach((v, i) => {
      if (c.variants.findIndex((x) => x.id === v.id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'id'],
          message: `duplicate variant id "${v.id}"`,
        });
    });
  });

/** A component as written in its file. */
export type Component = z.output<typeof componentSchema>;
/** Audience rules of a component or variant. */
export type Audience = z.output<typeof audienceSchema>;
/** A variable declaration. */
export type VariableSpec = z.output<typeof variableSchema>;

/** The RM personas (人设) the library writes for. */
export const personasSchema = z
  .object({
    personas: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,64}$/),
            name: z.string().min(1).max(16),
            tone: z.string().min(1).max(200),
            opener: z.string().min(1).max(200),
            signoff: z.string().min(1).max(40),
            emoji: z.boolean(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** One RM persona. */
export type Persona = z.output<typeof personasSchema>['personas'][number];
