import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

const key = z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be lower-case letters, digits and dashes');
const name = z.string().min(1).max(32);
const capacity = z.number().int().min(2).max(2000).default(500);

/** The tier policy file's schema (also the API's answer for the policy). */
export const policySchema = z
  .object({
    aumBands: z
      .array(
        z
          .object({ id: key, name, minCny: z.number().min(0), maxCny: z.number().positive().optional() })
          .strict(),
      )
      .min(1),
    tiers: z
      .array(
        z
          .object({
            id: key,
            name,
            minAumBand: key.optional(),
            minEngagement: z.number().int().min(0).max(100).optional(),
            groupCapacity: capacity,
          })
          .strict(),
      )
      .min(1),
    downgradeGraceDays: z.number().int().min(0).max(365),
    groupReserve: z.number().int().min(0).max(100).default(0),
    interestGroups: z
      .array(
        z
          .object({ id: key, name, tags: z.array(z.string().min(1).max(32)).min(1), groupCapacity: capacity })
          .strict(),
      )
      .default([]),
    circles: z.array(z.object({ id: key, name, groupCapacity: capacity }).strict()).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const bands = p.aumBands;
    for (let i = 0; i < bands.length; i++) {
      const b = bands[i]!;
      const next = bands[i + 1];
      if (b.maxCny !== undefined && b.maxCny <= b.minCny)
        ctx.addIssue({ code: 'custom', path: ['aumBands', i, 'maxCny'], message: 'must be above minCny' });
      if (next && b.maxCny !== next.minCny)
        ctx.addIssue({
          code: 'custom',
          path: ['aumBands', i + 1, 'minCny'],
          message: `must equal the previous band's maxCny (${b.maxCny ?? 'open'}): bands may not overlap or leave gaps`,
        });
      if (!next && b.maxCny !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['aumBands', i, 'maxCny'],
          message: 'the last band must be open-ended',
        });
    }
    if (bands[0] && bands[0].minCny !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['aumBands', 0, 'minCny'],
        message: 'the first band must start at 0',
      });
    const bandIds = new Set(bands.map((b) => b.id));
    p.tiers.forEach((t, i) => {
      if (t.minAumBand && !bandIds.has(t.minAumBand))
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'minAumBand'],
          message: `unknown AUM band "${t.minAumBand}"`,
        });
      if (i === 0 && (t.minAumBand || t.minEngagement !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 0],
          message: 'the lowest tier takes everyone: no entry rule',
        });
      if (i > 0 && !t.minAumBand && t.minEngagement === undefined)
        ctx.addIssue({ code: 'custom', path: ['tiers', i], message: 'needs minAumBand or minEngagement' });
    });
    const seen = new Map<string, string>();
    const check = (id: string, path: (string | number)[]) => {
      const prev = seen.get(id);
      if (prev) ctx.addIssue({ code: 'custom', path, message: `duplicate id "${id}" (also ${prev})` });
      else seen.set(id, path.join('.'));
    };
    for (const [field, list] of [
      ['aumBands', p.aumBands],
      ['tiers', p.tiers],
      ['interestGroups', p.interestGroups],
      ['circles', p.circles],
    ] as const) {
      list.forEach((x, i) => {
        check(field === 'aumBands' ? `band:${x.id}` : x.id, [field, i, 'id']);
      });
    }
  });

/** The tier policy as written in the file. */
export type TierPolicy = z.output<typeof policySchema>;

/** The policy prepared for fast routing: ranks and lookups computed once. */
export type CompiledPolicy = ReturnType<typeof compilePolicy>;

/** Thrown for a policy file that cannot be used; the message names the file, the field and the reason. */
export class TierPolicyError extends Error {}

/** Reads and validates a policy file. */
export function loadTierPolicy(file: string): CompiledPolicy {
  return compilePolicy(loadYamlFile(file, policySchema, (m) => new TierPolicyError(m)));
}

/** Precomputes band ranks, the tier ladder and the tag → interest group map. */
export function compilePolicy(policy: TierPolicy) {
  const bandRank = new Map(policy.aumBands.map((b, i) => [b.id, i]));
  const tierRank = new Map(policy.tiers.map((t, i) => [t.id, i]));
  const interestByTag = new Map<string, string[]>();
  for (const g of policy.interestGroups) {
    for (const t of g.tags) interestByTag.set(t, [...(interestByTag.get(t) ?? []), g.id]);
  }
  const capacities = new Map<string, number>(
    [...policy.tiers, ...policy.interestGroups, ...policy.circles].map((g) => [g.id, g.groupCapacity]),
  );
  return {
    policy,
    bandIds: policy.aumBands.map((b) => b.id),
    bandRank,
    tierRank,
    interestByTag,
    circleIds: new Set(policy.circles.map((c) => c.id)),
    /** Every key a customer group may serve: the tiers, interest groups and circles. */
    groupKeys: new Set(capacities.keys()),
    capacities,
    graceMs: policy.downgradeGraceDays * 24 * 3600 * 1000,
  };
}
