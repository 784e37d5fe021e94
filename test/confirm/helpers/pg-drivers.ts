/**
 * Test-only Postgres drivers behind the confirm Driver interface (PGlite in process, and a random
 * throwaway database on the local server), for the data modules' tests. The product's own drivers
 * live in src/confirm/drivers/ (confirm core); these stay minimal on purpose.
 */
import { randomBytes } from 'node:crypto';
import type { Driver, QueryResult } from '../../../src/confirm/driver.js';

export const DATABASE_URL = process.env.MIGRALINT_TEST_DATABASE_URL;
export const NO_SERVER_REASON = 'MIGRALINT_TEST_DATABASE_URL is unset (a real Postgres server is needed)';

const RESET_SQL = `
DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog','information_schema','pg_toast') AND nspname NOT LIKE 'pg\\_%'
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP;
END $$;
CREATE SCHEMA public;`;

export async function testPglite(): Promise<Driver> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const v = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  return {
    kind: 'pglite',
    dialect: 'postgres',
    label: `PGlite ${v.rows[0]!.v}`,
    async exec(sql) {
      await db.exec(sql);
    },
    async query(sql, params = []): Promise<QueryResult> {
      const r = await db.query<Record<string, unknown>>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows };
    },
    async reset() {
      await db.exec(RESET_SQL);
    },
    async close() {
      await db.close();
    },
  };
}

export async function testServer(url: string): Promise<Driver & { database: string }> {
  const pg = (await import('pg')).default;
  const database = `migralint_tmp_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  const v = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  return {
    kind: 'pg',
    dialect: 'postgres',
    label: `PostgreSQL ${v.rows[0]!.v.split(' ')[0]}`,
    database,
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params = []): Promise<QueryResult> {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? undefined };
    },
    async reset() {
      await client.query(RESET_SQL);
    },
    async close() {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}
