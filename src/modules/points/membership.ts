import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

const levelSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(16),
  minPoints: z.number().int().min(0),
  minTier: z.string().min(1).max(32).optional(),
  benefits: z.array(z.string().trim().min(1).max(60)).max(20),
});

const membershipSchema = z.strictObject({
  levels: z
    .array(levelSchema)
    .min(1)
    .superRefine((levels, ctx) => {
      if (levels[0] && levels[0].minPoints !== 0) {
        ctx.addIssue({ code: 'custom', path: [0, 'minPoints'], message: 'the lowest level must start at 0' });
      }
      const ids = new Set<string>();
      levels.forEach((l, i) => {
        if (ids.has(l.id))
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${l.id}"` });
        ids.add(l.id);
        const prev = levels[i - 1];
        if (prev && l.minPoints <= prev.minPoints) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'minPoints'],
            message: 'levels are listed lowest first: minPoints must rise',
          });
        }
      });
    }),
});

/** A membership level as the file writes it. */
export type MembershipLevel = z.output<typeof levelSchema>;

/** Thrown for a membership file that cannot be used; the message names the file, the field and the reason. */
export class MembershipFileError extends Error {}

/** The membership levels, ready to answer `membershipOf`. */
export type Membership = ReturnType<typeof compileMembership>;

/**
 * Prepares the levels: `tierIds` are the tier policy's tiers, lowest first, so a level's `minTier` means
 * that tier or above. A `minTier` that is not a tier is an error here, at start.
 */
export function compileMembership(levels: readonly MembershipLevel[], tierIds: readonly string[], file = '') {
  const tierRank = new Map(tierIds.map((t, i) => [t, i]));
  const unknown = levels.flatMap((l, i) =>
    l.minTier !== undefined && !tierRank.has(l.minTier)
      ? [`${file}: levels.${i}.minTier: unknown tier "${l.minTier}" (tiers: ${tierIds.join(', ')})`]
      : [],
  );
  if (unknown.length > 0) throw new MembershipFileError(unknown.join('\n'));
  return {
    levels,
    /** The highest level a client with this balance and tier qualifies for. */
    membershipOf(balance: number, tier: string | null): MembershipLevel {
      const rank = tier === null ? undefined : tierRank.get(tier);
      let held = levels[0] as MembershipLevel;
      for (const l of levels) {
        const byPoints = balance >= l.minPoints;
        const minRank = l.minTier === undefined ? undefined : tierRank.get(l.minTier);
        const byTier = rank !== undefined && minRank !== undefined && rank >= minRank;
        if (byPoints || byTier) held = l;
      }
      return held;
    },
  };
}

/** Reads and validates `content-library/points/membership.yaml` against the tier policy's tiers. */
export function loadMembership(file: string, tierIds: readonly string[]): Membership {
  const parsed = loadYamlFile(file, membershipSchema, (m) => new MembershipFileError(m));
  return compileMembership(parsed.levels, tierIds, file);
}
