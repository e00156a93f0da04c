import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireLockFile } from '../process-files.ts';
import * as schema from './schema.ts';

/** The Drizzle handle every repository takes; the same type whether PostgreSQL or PGlite is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle, passed down so a unit of work commits or rolls back as one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** An open database plus the operations composition roots need around it. */
export type Database = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies committed SQL migrations; safe to run from several processes at once. */
  migrate: () => Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping: () => Promise<void>;
  /** Opens the pool's minimum connections now, so the first requests do not pay for connecting. */
  warm: () => Promise<void>;
  close: () => Promise<void>;
};

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
// Arbitrary, fixed key: serialises migrations across processes that start together.
const MIGRATION_LOCK_KEY = 746_019_001;

/** Every bounded wait on PostgreSQL (see DATABASE_*_TIMEOUT_MS in config.ts). */
export type DbTimeouts = {
  connectMs: number;
  statementMs: number;
  queryMs: number;
  idleInTransactionMs: number;
  keepAliveDelayMs: number;
};

const DEFAULT_TIMEOUTS: DbTimeouts = {
  connectMs: 3000,
  statementMs: 15_000,
  queryMs: 20_000,
  idleInTransactionMs: 60_000,
  keepAliveDelayMs: 10_000,
};

/** Opens PostgreSQL when `url` is set, else embedded PGlite under `pgliteDir` (or in memory for 'memory://'). */
export async function openDatabase(opts: {
  url?: string | undefined;
  poolMax?: number;
  poolMin?: number;
  pgliteDir: string;
  /**
   * An in-memory PGlite starts from this dump (`dumpDataDir('none')` of a migrated database) instead of
   * running initdb: about a second instead of three. Migrations still run after it, so an old seed is
   * brought up to date; it is ignored for a database on disk.
   */
  pgliteSeedFile?: string | undefined;
  timeouts?: Partial<DbTimeouts>;
}): Promise<Database> {
  if (opts.url) {
    const max = opts.poolMax ?? 10;
    return openPostgres(opts.url, max, Math.min(opts.poolMin ?? 0, max), {
      ...DEFAULT_TIMEOUTS,
      ...opts.timeouts,
    });
  }
  return openPglite(opts.pgliteDir, opts.pgliteSeedFile);
}

function openPostgres(url: string, max: number, min: number, t: DbTimeouts): Database {
  // `min` connections are kept open: after a quiet spell the next burst does not start by reconnecting.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    min,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: t.connectMs,
    // A connection that stops answering (a frozen proxy, a dead peer behind a firewall) fails its query
    // after query_timeout instead of hanging forever; keepalive finds dead peers between queries.
    query_timeout: t.queryMs,
    statement_timeout: t.statementMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: t.keepAliveDelayMs,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    async warm() {
      const clients = await Promise.all(Array.from({ length: min }, () => pool.connect()));
      for (const c of clients) c.release();
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string, seedFile: string | undefined): Promise<Database> {
  const inMemory = dir === 'memory://';
  // PGlite is a database inside this process: a second process opening the same directory would see a
  // stale copy and overwrite the first one's writes. One process at a time holds the directory.
  const unlock = inMemory
    ? () => {}
    : acquireLockFile(
        `${dir}.lock`,
        `The embedded database ${dir}`,
        'Stop that process first, use its HTTP API instead, or set DATABASE_URL so that several processes share one PostgreSQL.',
      );
  let client: PGlite;
  try {
    if (!inMemory) mkdirSync(dir, { recursive: true });
    client = !inMemory
      ? new PGlite(dir)
      : seedFile
        ? new PGlite({ loadDataDir: new Blob([readFileSync(seedFile)]) })
        : new PGlite();
    await client.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  guardAgainstQueriesOutsideTransaction(client);
  const pgliteDb = drizzlePglite(client, { schema });
  const db = pgliteDb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    // PGlite is one in-process connection, so there is nobody to race with.
    migrate: () => migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_DIR }),
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    warm: async () => {},
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * PGlite is one connection: while a transaction holds it, a query on the root handle from inside that
 * transaction's own work waits for the transaction, which waits for the query, and the whole database
 * freezes. PostgreSQL hides the bug by handing out a second connection. Inside a transaction's callback,
 * the root handle therefore throws at once, naming the mistake, so a service that ignores the `tx` it was
 * given fails its tests on either driver instead of hanging in production on the embedded default.
 */
function guardAgainstQueriesOutsideTransaction(client: PGlite): void {
  const open = new AsyncLocalStorage<{ open: boolean }>();
  const refuse = (): never => {
    throw new Error('query on the root database handle inside an open transaction; use the transaction');
  };
  const transaction = client.transaction.bind(client);
  client.transaction = (fn) => {
    if (open.getStore()?.open) refuse();
    return transaction(async (tx) => {
      const scope = { open: true };
      try {
        return await open.run(scope, () => fn(tx));
      } finally {
        // Work the callback left running (rare) may use the root handle once the transaction is over.
        scope.open = false;
      }
    });
  };
  const query = client.query.bind(client);
  client.query = ((...args: Parameters<typeof query>) => {
    if (open.getStore()?.open) refuse();
    return query(...args);
  }) as typeof client.query;
  const exec = client.exec.bind(client);
  client.exec = (...args: Parameters<typeof exec>) => {
    if (open.getStore()?.open) refuse();
    return exec(...args);
  };
}

/** Runs raw SQL and returns its rows; both drivers (pg and PGlite) return `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
