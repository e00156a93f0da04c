import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server scratch databases go on when DATABASE_URL is not set (benchmarks only). */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function onServer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A throwaway PostgreSQL database named `<prefix>_<random>` on the server of `adminUrl` (default:
 * DATABASE_URL, else the local test server). `drop` removes it, even with connections still open.
 * Free of vitest, so benchmarks run by plain node can use it too.
 */
export async function createScratchDatabase(
  prefix: string,
  adminUrl: string = process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await onServer(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
