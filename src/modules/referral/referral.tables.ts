import { sql } from 'drizzle-orm';
import { bigserial, check, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.ts';
import { clients, rms } from '../contacts/contacts.tables.ts';

/**
 * Each client's personal invite code: a WeCom contact-me code (or a group join way) whose `state` names
 * the referrer. One per client; the state starts with "rf-", which channel states may not.
 */
export const referralCodes = pgTable(
  'referral_codes',
  {
    referrer: text('referrer')
      .primaryKey()
      .references(() => clients.externalUserid),
    rm: text('rm')
      .notNull()
      .references(() => rms.userid),
    state: text('state').notNull(),
    kind: text('kind').notNull().default('contact_way'),
    configId: text('config_id'),
    qrCode: text('qr_code'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('referral_codes_state_uq').on(t.state),
    check('referral_codes_state_len', sql`char_length(${t.state}) <= 30 AND ${t.state} LIKE 'rf-%'`),
    check('referral_codes_kind', sql`${t.kind} IN ('contact_way','join_way')`),
  ],
);

/**
 * Who referred whom. A referred client has at most one referrer (the first code they came through). The
 * status moves pending → rewarded when the referred client activates; rejected and review carry a reason.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    referrer: text('referrer').notNull(),
    referred: text('referred').notNull(),
    rm: text('rm').notNull(),
    state: text('state').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    addedAt: timestamptz('added_at').notNull(),
    activatedAt: timestamptz('activated_at'),
    rewardedAt: timestamptz('rewarded_at'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
  },
  (t) => [
    uniqueIndex('referrals_referred_uq').on(t.referred),
    index('referrals_rm_added_idx').on(t.rm, t.addedAt),
    index('referrals_referrer_rewarded_idx').on(t.referrer, t.rewardedAt),
    index('referrals_status_idx').on(t.status, t.id),
    check('referrals_status', sql`${t.status} IN ('pending','rewarded','rejected','review')`),
  ],
);

/** A referral code row. */
export type ReferralCodeRow = typeof referralCodes.$inferSelect;
/** A referral row. */
export type ReferralRow = typeof referrals.$inferSelect;
