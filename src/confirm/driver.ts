/**
 * The one interface every confirm driver implements (PGlite, a real server through `pg`,
 * better-sqlite3). Probes, seeding, snapshots and replay speak only to this interface, so they
 * are written once. Drivers are loaded lazily: a run without `--confirm` never imports this
 * folder's drivers.
 */

export type DriverKind = 'pglite' | 'pg' | 'sqlite';

/** A database error as the database reported it. */
export interface DbError {
  /** SQLSTATE (Postgres) or the SQLite error code name (e.g. `SQLITE_CONSTRAINT_NOTNULL`). */
  readonly code: string;
  readonly message: string;
}

export interface QueryResult {
  readonly rows: Record<string, unknown>[];
  /** Rows affected, where the database says. */
  readonly rowCount?: number;
}

export interface Connection {
  /** Run one or more statements; rejects with an error carrying `code` (see `toDbError`). */
  exec(sql: string): Promise<void>;
  /** Run one statement with positional parameters ($1.. for Postgres, ? for SQLite). */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
}

export interface Driver extends Connection {
  readonly kind: DriverKind;
  /** Human name with version, for evidence lines: `PGlite 18.7`, `PostgreSQL 15.19`, `SQLite 3.46.1`. */
  readonly label: string;
  readonly dialect: 'postgres' | 'sqlite';
  /**
   * A second, independent connection to the same database, for observing blocking from outside
   * the migration's transaction. Only the server driver has one; undefined elsewhere.
   */
  second?(): Promise<Connection>;
  /**
   * Make the extensions a chain creates (`CREATE EXTENSION pgcrypto`) available where the driver
   * decides which are: PGlite loads its contrib extensions only when booted with them. Others
   * have what the server has installed.
   */
  provideExtensions?(names: readonly string[]): Promise<void>;
  /** Start over with an empty database (between sets). */
  reset(): Promise<void>;
  /** Release everything; for the server driver, drop the throwaway database (unless kept). */
  close(): Promise<void>;
}

/** Normalise whatever a driver threw into a DbError. */
export function toDbError(e: unknown): DbError {
  const o = (e ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof o.code === 'string' ? o.code : 'unknown';
  const message = typeof o.message === 'string' ? o.message : String(e);
  return { code, message };
}
