import { sql } from 'drizzle-orm';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { type Db, queryRows } from '../../src/platform/db/client.ts';
import type { Role } from '../../src/platform/db/schema.ts';

/** What one seeded branch holds. */
export type BranchSeed = {
  branch: string;
  rm: string;
  client: string;
  channel: string;
  conversation: number;
  /** The A/B variant the client's recorded outcome carries. */
  variant: string;
  /** A birthday touch due on the RM's task list. */
  touch: number;
};

/** The calendar entry whose one occurrence reached both branches' clients (a delivery each). */
export const SEEDED_ENTRY = 'scope-probe-entry';

/** The A/B component the seeded outcomes belong to. */
export const SEEDED_COMPONENT = 'scope-probe';

/**
 * Seeds branches BR-A and BR-B, each with an RM, a client it owns (lt50k), a channel of that RM, an
 * open hand-off to it and one recorded content outcome; and issues tokens: per branch an ops token
 * scoped to it and an RM token named after its RM, plus one admin and one compliance token.
 */
export async function seedTwoBranches(db: Db) {
  const seed = (b: 'a' | 'b'): BranchSeed => ({
    branch: `BR-${b.toUpperCase()}`,
    rm: `rm-${b}`,
    client: `wm-${b}`,
    channel: `ch-${b}`,
    conversation: 0,
    variant: `variant-${b}`,
    touch: 0,
  });
  const branches = { A: seed('a'), B: seed('b') };
  for (const s of Object.values(branches)) {
    await queryRows(db, sql`INSERT INTO rms (userid, name, branch) VALUES (${s.rm}, ${s.rm}, ${s.branch})`);
    await queryRows(
      db,
      sql`INSERT INTO channels (id, name, state, rm_userids, created_by)
          VALUES (${s.channel}, ${s.channel}, ${s.channel}, ARRAY[${s.rm}]::text[], 'seed')`,
    );
    await queryRows(
      db,
      sql`INSERT INTO clients (external_userid, owner_rm, channel_id, aum_band)
          VALUES (${s.client}, ${s.rm}, ${s.channel}, 'lt50k')`,
    );
    const [conv] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO conversations (chat_id, client_userid, owner_state, rm_userid)
          VALUES (${`chat-${s.branch}`}, ${s.client}, 'pending-human', ${s.rm}) RETURNING id::int AS id`,
    );
    s.conversation = conv?.id ?? 0;
    await queryRows(
      db,
      sql`INSERT INTO content_outcomes (component_id, version, variant_id, external_userid, channel, outcome)
          VALUES (${SEEDED_COMPONENT}, 1, ${s.variant}, ${s.client}, 'text', 'sent')`,
    );
  }

  const body = {
    name: '范围探针',
    componentId: 'morning-brief-daily',
    channel: 'single',
    audience: { tiers: ['basic'] },
    schedule: { kind: 'cron', cron: '0 8 * * *' },
    skip: 'none',
    owner: 'seed',
  };
  await queryRows(
    db,
    sql`INSERT INTO calendar_entries (id, body, created_by) VALUES (${SEEDED_ENTRY}, ${JSON.stringify(body)}::jsonb, 'seed')`,
  );
  const [occ] = await queryRows<{ id: number }>(
    db,
    sql`INSERT INTO calendar_occurrences (entry_id, scheduled_at, entry_version, status)
        VALUES (${SEEDED_ENTRY}, now(), 1, 'done') RETURNING id::int AS id`,
  );
  for (const s of Object.values(branches)) {
    await queryRows(
      db,
      sql`INSERT INTO deliveries (occurrence_id, recipient, kind, rm, status, created_at, updated_at)
          VALUES (${occ?.id ?? 0}, ${s.client}, 'single', ${s.rm}, 'pending', now(), now())`,
    );
    const [touch] = await queryRows<{ id: number }>(
      db,
      sql`INSERT INTO touches (rm, external_userid, kind, emotional, status, due_date, title, ref, created_at)
          VALUES (${s.rm}, ${s.client}, 'birthday', true, 'due', current_date, '生日祝福', ${`seed:${s.branch}`}, now())
          RETURNING id::int AS id`,
    );
    s.touch = touch?.id ?? 0;
  }

  const service = createTokenService({ db, audit: createAuditRepository() });
  const issue = async (role: Role, name: string, branchScope: string | null) =>
    (await service.create({ name, role, branchScope, actor: 'test' })).secret;
  const admin = await issue('admin', 'admin', null);
  const compliance = await issue('compliance', 'compliance', null);
  const tokens = {} as Record<'A' | 'B', Record<Role, string>>;
  for (const b of ['A', 'B'] as const) {
    const s = branches[b];
    tokens[b] = {
      admin,
      compliance,
      ops: await issue('ops', `ops-${s.branch}`, s.branch),
      rm: await issue('rm', s.rm, null),
    };
  }
  return { branches, tokens, occurrence: occ?.id ?? 0 };
}
