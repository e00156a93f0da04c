import { timestamp } from 'drizzle-orm/pg-core';

/** A `timestamp with time zone` column: every instant Helix stores carries its zone. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });
