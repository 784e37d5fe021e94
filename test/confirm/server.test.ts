/**
 * check --confirm against the real local Postgres server. Each run creates its own
 * migralint_tmp_* database; assertions look only at the names this file's runs created (other
 * engineers' tests use the same server at the same time).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayChain } from '../../src/confirm/chain.js';
import { openServer } from '../../src/confirm/drivers/pg.js';
import { loadSafety } from '../../src/confirm/safety.js';
import { discover } from '../../src/discover/discover.js';
import { BIN } from '../helpers/cli.js';
import { NO_SERVER, SERVER_URL, confirmTree, dbmate, only, tree } from './helpers.js';

const url = SERVER_URL ?? '';
const admin = new pg.Client({ connectionString: url });

async function databases(names: readonly string[]): Promise<string[]> {
  const r = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1::text[]) ORDER BY 1', [names]);
  return r.rows.map((row: { datname: string }) => row.datname);
}

function withDb(u: string, db: string): string {
  const x = new URL(u);
  x.pathname = `/${db}`;
  return x.toString();
}

const users = dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, email text, name text);', 'DROP TABLE users;');

describe.skipIf(!SERVER_URL)(`--confirm --database-url on the real server${SERVER_URL ? '' : ` (skipped: ${NO_SERVER})`}`, () => {
  const sentinel = `migralint_sentinel_${randomBytes(4).toString('hex')}`;
  const checksum = async (): Promise<string> => {
    const c = new pg.Client({ connectionString: withDb(url, sentinel) });
    await c.connect();
    try {
      const data = await c.query(`SELECT md5(string_agg(id::text || ':' || body, ',' ORDER BY id)) AS d FROM keepme`);
      const schema = await c.query(`SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)) AS s FROM information_schema.columns WHERE table_schema = 'public'`);
      return `${data.rows[0].d}/${schema.rows[0].s}`;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${sentinel}`);
    const c = new pg.Client({ connectionString: withDb(url, sentinel) });
    await c.connect();
    await c.query(`CREATE TABLE keepme (id int PRIMARY KEY, body text); INSERT INTO keepme SELECT g, 'row ' || g FROM generate_series(1, 100) g; CREATE TABLE users (id int)`);
    await c.end();
    await loadSafety();
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${sentinel} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  it('confirms a non-concurrent index: ShareLock, the INSERT from a second connection blocked, the SELECT not; drops its database; touches no other', async () => {
    const before = await checksum();
    const created: string[] = [];
    const sentinelFile = path.join(tree({}), 'SENTINEL');
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_idx.sql': dbmate(`CREATE INDEX users_email_idx ON users (email);\nCOPY users TO PROGRAM 'touch ${sentinelFile}';\nDROP TABLE IF EXISTS keepme;`, 'DROP INDEX users_email_idx;'),
    });
    const out = await confirmTree(dir, { databaseUrl: url, onDatabase: (n) => created.push(n) });
    const f = only(out, 'require-concurrent-index');
    expect(f.confirmation).toMatchObject({
      status: 'confirmed',
      locks: [{ relation: 'users', mode: 'ShareLock', blocks: ['writes', 'DDL'] }],
      blocked: [
        { relation: 'users', query: 'SELECT', blocked: false },
        { relation: 'users', query: 'INSERT', blocked: true },
      ],
    });
    expect(f.confirmation!.evidence).toMatch(/^on PostgreSQL \d+\.\d+ with 1,000 rows in users: took ShareLock on users \(blocks writes, DDL\); from a second connection, SELECT on users went through, INSERT on users was blocked/);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^migralint_tmp_[0-9a-f]{12}$/);
    expect(await databases(created)).toEqual([]);
    expect(await checksum()).toBe(before);
    expect(existsSync(sentinelFile)).toBe(false);
  });

  it('replays a templated chain in a schema made for its placeholder, inside the throwaway database only', async () => {
    const ns = '{{ index .Options "Namespace" }}';
    const created: string[] = [];
    const dir = tree({
      'migrations/1_users.up.sql': `CREATE TABLE ${ns}.users (id bigint PRIMARY KEY, email text);\n`,
      'migrations/1_users.down.sql': `DROP TABLE ${ns}.users;\n`,
      'migrations/2_idx.up.sql': `CREATE INDEX users_email ON ${ns}.users (email);\n`,
      'migrations/2_idx.down.sql': `DROP INDEX ${ns}.users_email;\n`,
    });
    const out = await confirmTree(dir, { databaseUrl: url, onDatabase: (n) => created.push(n) });
    expect(out.summaries[0]).toMatchObject({ applied: 2, downsVerified: 2, placeholderSchemas: ['namespace'] });
    expect(only(out, 'require-concurrent-index').confirmation).toMatchObject({ status: 'confirmed', locks: [{ relation: 'namespace.users', mode: 'ShareLock' }] });
    expect(await databases(created)).toEqual([]);
    // The server's own database never got the schema.
    expect((await admin.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'namespace'")).rows[0].n).toBe(0);
  });

  it('observes that CREATE INDEX CONCURRENTLY does not block writes', async () => {
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_idx.sql': dbmate('CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', 'DROP INDEX CONCURRENTLY users_email_idx;', 'transaction:false'),
    });
    const found = await discover(['.'], { cwd: dir, ignore: [] });
    const driver = await openServer(url, { keep: false });
    try {
      const chain = await replayChain(found.sets[0]!, driver, await driver.second!(), { seedRows: 1000, seed: 1, timeoutMs: 60_000 });
      const run = chain.runs.find((r) => r.step.sql.startsWith('CREATE INDEX CONCURRENTLY'))!;
      expect(run.outcome).toBe('ok');
      expect(run.blocked).toEqual([
        { relation: 'users', query: 'SELECT', blocked: false },
        { relation: 'users', query: 'INSERT', blocked: false },
      ]);
    } finally {
      await driver.close();
    }
    expect(await databases([driver.database])).toEqual([]);
  });

  it('--keep keeps the throwaway database and names it', async () => {
    const notices: string[] = [];
    const created: string[] = [];
    const dir = tree({ 'db/migrations/001_users.sql': users });
    await confirmTree(dir, { databaseUrl: url, keep: true, notice: (l) => notices.push(l), onDatabase: (n) => created.push(n) });
    try {
      expect(notices).toEqual([`migralint: --keep: the throwaway database ${created[0]} is kept`]);
      expect(await databases(created)).toEqual(created);
    } finally {
      for (const d of created) await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('drops its database when the run is killed with %s mid-chain', async (signal) => {
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_slow.sql': dbmate('SELECT pg_sleep(30);\nALTER TABLE users ADD COLUMN x int;', 'ALTER TABLE users DROP COLUMN x;'),
    });
    const child = spawn(process.execPath, [BIN, 'check', '--confirm', '--database-url', url, '--format', 'json', '.'], { cwd: dir, env: { ...process.env, MIGRALINT_TEST_ANNOUNCE_DB: '1', NO_COLOR: '1' } });
    let stderr = '';
    const name = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /throwaway database (migralint_tmp_[0-9a-f]+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited before creating a database: ${stderr}`)));
    });
    // Wait until the chain is inside the slow statement of migration 2.
    for (let i = 0; i < 200; i++) {
      const r = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%'`, [name]);
      if (r.rows.length > 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(await databases([name])).toEqual([name]);
    const sentinelBefore = await checksum();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    expect(code, stderr).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(await databases([name]), stderr).toEqual([]);
    // Every other database is untouched, also by a killed run: the sentinel's data and schema.
    expect(await checksum()).toBe(sentinelBefore);
  }, 60_000);

  it('never runs COPY ... TO PROGRAM on the server (the file it would create never appears), and the rest of the migration runs', async () => {
    // The server runs on this machine: a program it ran would create this file.
    const marker = path.join('/tmp', `migralint-copy-${randomBytes(4).toString('hex')}`);
    const out = await confirmTree(tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_copy.sql': dbmate(`COPY users TO PROGRAM 'touch ${marker}';\nALTER TABLE users ADD COLUMN x int;`, 'ALTER TABLE users DROP COLUMN x;'),
    }), { databaseUrl: url });
    expect(existsSync(marker)).toBe(false);
    expect(out.summaries[0]).toMatchObject({ applied: 2, downsVerified: 2 });
    expect(out.summaries[0]!.notRun).toEqual(['db/migrations/002_copy.sql:2: not run for safety: COPY ... TO PROGRAM runs a program on the server']);
  });
});
