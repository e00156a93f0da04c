import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Every WeCom callback Helix acknowledged, stored before the 200 goes out. `(source, dedup_key)` makes
 * retries idempotent; `status` makes processing exactly-once (a job flips it inside its own transaction).
 */
export const inbox = pgTable(
  'inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').$type<InboxSource>().notNull(),
    dedupKey: text('dedup_key').notNull(),
    kind: text('kind').notNull(),
    msgId: text('msg_id'),
    plaintext: text('plaintext').notNull(),
    status: text('status').$type<InboxStatus>().notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbox_source_dedup_key_uq').on(t.source, t.dedupKey),
    index('inbox_pending_idx').on(t.receivedAt).where(sql`${t.status} = 'received'`),
    // /metrics counts the dead letters on every scrape; the partial index keeps that off the whole table.
    index('inbox_dead_idx').on(t.id).where(sql`${t.status} = 'dead'`),
  ],
);

/** Where a callback came from: the self-built app (XML) or the AI bot (JSON). */
export type InboxSource = 'app' | 'bot';
/**
 * received → processed, or → dead (the dead letters) once its attempts are spent; `last_error` says why.
 * Dead rows are kept (never pruned) for ops to inspect and replay by hand.
 */
export type InboxStatus = 'received' | 'processed' | 'dead';

/** Admin API tokens. Only a SHA-256 of the secret is stored; the secret is shown once, at creation. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  branchScope: text('branch_scope'),
  tokenHash: text('token_hash').notNull().unique(),
  tokenPrefix: text('token_prefix').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Approximate: updated at most once a minute per token (tokens.ts). */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  /** Null: the token never expires. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * Console and sidebar sessions of staff signed in with WeCom. Only a SHA-256 of the cookie's secret is
 * stored; `csrf_token` is the value writes must echo in X-CSRF-Token (it is not secret from its holder).
 */
export const webSessions = pgTable('web_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  sessionHash: text('session_hash').notNull().unique(),
  csrfToken: text('csrf_token').notNull(),
  /** The WeCom userid signed in. */
  userid: text('userid').notNull(),
  role: text('role').$type<Role>().notNull(),
  branchScope: text('branch_scope'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** The roles an API token can hold. */
export const ROLES = ['admin', 'ops', 'compliance', 'rm'] as const;
/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** Append-only record of who changed what. A trigger (migration 0001) rejects UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId)],
);
