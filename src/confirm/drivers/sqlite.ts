/**
 * The SQLite confirm driver: an in-memory better-sqlite3 database behind the Driver interface.
 *
 * better-sqlite3 is an optional peer dependency (it compiles from source on install, which a user
 * who only lints Postgres should not pay), so it is imported here, lazily, and only when a SQLite
 * set is confirmed. When it is missing, `openSqlite` throws one line naming the install command.
 */
import type { Connection, Driver, QueryResult } from '../driver.js';

/** The part of better-sqlite3's API this driver uses (kept local so dist/ types need no @types). */
interface Statement {
  readonly reader: boolean;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { changes: number };
}
interface Database {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  pragma(sql: string): unknown;
  close(): unknown;
}
type DatabaseCtor = new (filename: string) => Database;

export const SQLITE_INSTALL_HINT = 'npm install --save-dev better-sqlite3@^12';

let ctorPromise: Promise<DatabaseCtor> | undefined;

async function loadBetterSqlite(): Promise<DatabaseCtor> {
  ctorPromise ??= (async () => {
    try {
      const mod = (await import('better-sqlite3')) as unknown as { default: DatabaseCtor };
      return mod.default;
    } catch (e) {
      const why = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? 'it is not installed' : 'it failed to load';
      throw new Error(`SQLite confirm needs better-sqlite3 (${why}): run \`${SQLITE_INSTALL_HINT}\``);
    }
  })();
  try {
    return await ctorPromise;
  } catch (e) {
    ctorPromise = undefined; // let a later call retry (e.g. after the user installed it)
    throw e;
  }
}

/** better-sqlite3 binds numbers, bigints, strings, Buffers and null; map the rest. */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Uint8Array)) return JSON.stringify(v);
  return v;
}

function open(Ctor: DatabaseCtor): Database {
  const db = new Ctor(':memory:');
  // Foreign keys are enforced, as Prisma, Django, Rails and most SQLite apps configure it, so a
  // migration that breaks existing rows' references fails here as it would in production.
  db.pragma('foreign_keys = ON');
  return db;
}

export async function openSqlite(): Promise<Driver> {
  const Ctor = await loadBetterSqlite();
  let db: Database | undefined = open(Ctor);
  const version = String((db.prepare('SELECT sqlite_version() AS v').all()[0] as { v: unknown }).v);
  const live = (): Database => {
    if (!db) throw Object.assign(new Error('the SQLite confirm database is closed'), { code: 'closed' });
    return db;
  };
  const conn: Connection = {
    async exec(sql: string): Promise<void> {
      live().exec(sql);
    },
    async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
      const stmt = live().prepare(sql);
      const args = params.map(bindable);
      if (stmt.reader) {
        const rows = stmt.all(...args);
        return { rows, rowCount: rows.length };
      }
      const info = stmt.run(...args);
      return { rows: [], rowCount: info.changes };
    },
  };
  return {
    kind: 'sqlite',
    dialect: 'sqlite',
    label: `SQLite ${version}`,
    exec: conn.exec,
    query: conn.query,
    async reset(): Promise<void> {
      live().close();
      db = open(Ctor);
    },
    async close(): Promise<void> {
      if (db) db.close();
      db = undefined;
    },
  };
}
