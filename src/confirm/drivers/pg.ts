/**
 * A real Postgres server through `pg`. The URL names a database only to connect to: the one thing
 * ever executed there is `CREATE DATABASE migralint_tmp_<random>` and, at the end,
 * `DROP DATABASE` of that same database. Everything else runs inside the throwaway database,
 * which is dropped on close, on error and on SIGINT/SIGTERM (unless `keep`).
 */
import { randomBytes } from 'node:crypto';
import type { Client, ClientConfig } from 'pg';
import type { Connection, Driver, QueryResult } from '../driver.js';
import { RESET_SQL } from '../reset.js';

export const TEMP_PREFIX = 'migralint_tmp_';

type ServerDriver = Driver & { readonly database: string };

/** Open throwaway databases of this process, dropped by the signal handlers. */
const open = new Set<() => Promise<void>>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...open].map((drop) => drop())).finally(() => process.exit(code));
      // A hung server must not keep the process alive forever.
      setTimeout(() => process.exit(code), 10_000).unref();
    });
  }
}

/** The URL with its database replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable URL>';
  }
}

function wrap(client: Client): Connection {
  return {
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
      const r = await client.query(sql, params ? [...params] : undefined);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.rowCount ?? undefined };
    },
  };
}

export async function openServer(url: string, opts: { keep: boolean; onCreated?: (database: string) => void }): Promise<ServerDriver> {
  const pg = (await import('pg')).default;
  const config = (u: string): ClientConfig => ({ connectionString: u, application_name: 'migralint --confirm', connectionTimeoutMillis: 15_000 });
  let target: string;
  try {
    new URL(url);
    target = url;
  } catch {
    throw new Error(`--database-url: not a postgres:// URL`);
  }
  const admin = new pg.Client(config(target));
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`--database-url ${redact(url)}: cannot connect (${(err as Error).message})`);
  }
  const database = `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${database}"`);
  opts.onCreated?.(database);
  const clients: Client[] = [];
  // One drop, however many ask for it (a signal handler and close() may race): both wait for it.
  let dropping: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    if (opts.keep) return Promise.resolve();
    dropping ??= (async () => {
      // FORCE (Postgres 13+) ends the connections still in it, even mid-statement (a signal
      // arrives while a statement runs); older servers need them closed first.
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } catch {
        for (const c of clients) await c.end().catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      }
    })();
    return dropping;
  };
  open.add(drop);
  installSignalHandlers();
  const connect = async (): Promise<Client> => {
    const c = new pg.Client(config(withDatabase(target, database)));
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };
  let main: Client;
  try {
    main = await connect();
  } catch (err) {
    await drop().catch(() => undefined);
    open.delete(drop);
    await admin.end().catch(() => undefined);
    throw err;
  }
  const version = String((await main.query('SHOW server_version')).rows[0]?.server_version ?? '?').split(' ')[0];
  const conn = wrap(main);
  return {
    kind: 'pg',
    label: `PostgreSQL ${version}`,
    dialect: 'postgres',
    database,
    exec: conn.exec,
    query: conn.query,
    async second(): Promise<Connection> {
      return wrap(await connect());
    },
    async reset(): Promise<void> {
      await main.query('ROLLBACK').catch(() => undefined);
      await main.query(RESET_SQL);
    },
    async close(): Promise<void> {
      try {
        await drop();
      } finally {
        open.delete(drop);
        for (const c of clients) await c.end().catch(() => undefined);
        await admin.end().catch(() => undefined);
      }
    },
  };
}
