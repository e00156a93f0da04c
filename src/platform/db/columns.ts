import { type SQL, sql } from 'drizzle-orm';
import { timestamp } from 'drizzle-orm/pg-core';

/** A `timestamp with time zone` column: every instant Helix stores carries its zone. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A timestamptz expression as ISO 8601 text in UTC to the microsecond: a JS Date keeps only milliseconds,
 * so a keyset cursor built from one would skip or repeat rows that share a millisecond.
 */
export const isoMicros = (expr: SQL): SQL =>
  sql`to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
