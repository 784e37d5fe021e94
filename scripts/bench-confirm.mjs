#!/usr/bin/env node
/**
 * The confirm benchmark (`npm run bench` runs it after the lint benchmark; alone:
 * `node scripts/bench-confirm.mjs [--url postgres://...]`).
 *
 * A generated 100-migration Postgres chain (new tables, added columns with backfills, indexes,
 * constraints, type changes), timed three ways:
 *   floor    psql creates a database, applies the chain with 1,000 rows inserted into each table
 *            right after it is created, and drops the database;
 *   pglite   `migralint check --confirm` (PGlite boot included), 1,000 seeded rows per table;
 *   server   `migralint check --confirm --database-url URL` on the local server.
 * Goals: PGlite under 20 s; the server at most 10x the floor. Not a test: numbers depend on the
 * machine and its load. The server parts are skipped without psql or a reachable server.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'migralint.js');
const argUrl = process.argv.indexOf('--url');
const URL_ = argUrl > 0 ? process.argv[argUrl + 1] : (process.env.MIGRALINT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

/** Migration k of the chain: five kinds per table, 20 tables. */
function migration(k) {
  const t = `t${Math.floor(k / 5)}`;
  switch (k % 5) {
    case 0:
      return { sql: `CREATE TABLE ${t} (id bigserial PRIMARY KEY, name text NOT NULL, qty int);`, created: t };
    case 1:
      return { sql: `ALTER TABLE ${t} ADD COLUMN note text;\nUPDATE ${t} SET note = name WHERE note IS NULL;` };
    case 2:
      return { sql: `CREATE INDEX ${t}_name_idx ON ${t} (name);` };
    case 3:
      return { sql: `ALTER TABLE ${t} ADD CONSTRAINT ${t}_id_positive CHECK (id > 0) NOT VALID;\nALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_id_positive;` };
    default:
      return { sql: `ALTER TABLE ${t} ALTER COLUMN qty TYPE bigint;` };
  }
}

function generate(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  let floor = '';
  for (let k = 0; k < 100; k++) {
    const m = migration(k);
    writeFileSync(path.join(dir, 'migrations', `${String(k + 1).padStart(3, '0')}_m${k}.sql`), `${m.sql}\n`);
    floor += `${m.sql}\n`;
    if (m.created) floor += `INSERT INTO ${m.created} (name, qty) SELECT 'name ' || g, g FROM generate_series(1, 1000) g;\n`;
  }
  writeFileSync(path.join(dir, 'floor.sql'), floor);
}

function time(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const ms = performance.now() - t0;
  return { ms, r };
}

function withDb(u, db) {
  const x = new URL(u);
  x.pathname = `/${db}`;
  return x.toString();
}

const dir = path.join(ROOT, '.bench', 'confirm-chain');
generate(dir);
const rows = [];
const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
const serverUp = psql.status === 0 && spawnSync('psql', [URL_, '-Atc', 'SELECT 1'], { encoding: 'utf8' }).status === 0;

if (serverUp) {
  const db = `migralint_bench_${process.pid}`;
  const floor = time('bash', ['-c', `psql -q "${URL_}" -c 'CREATE DATABASE ${db}' && psql -q -v ON_ERROR_STOP=1 "${withDb(URL_, db)}" -f floor.sql >/dev/null && psql -q "${URL_}" -c 'DROP DATABASE ${db}'`], { cwd: dir });
  if (floor.r.status !== 0) throw new Error(`psql floor failed: ${floor.r.stderr}`);
  rows.push(['floor: psql create db, apply chain + 1,000 rows per table, drop db', floor.ms]);
}

const run = (label, extra) => {
  const { ms, r } = time(process.execPath, [BIN, 'check', '--confirm', '--format', 'json', '--exit-zero', 'migrations', ...extra], { cwd: dir });
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  const s = report.confirm[0];
  rows.push([`${label}: ${s.applied}/${s.migrations} applied, ${s.confirmed} confirmed, ${s.notReproduced} not reproduced, ${s.skipped} skipped`, ms]);
  return ms;
};
const pglite = run('migralint --confirm on PGlite (boot included)', []);
const server = serverUp ? run('migralint --confirm --database-url (local server)', ['--database-url', URL_]) : undefined;

const width = Math.max(...rows.map(([l]) => l.length));
console.log('confirm benchmark: 100-migration Postgres chain, 1,000 rows per table');
for (const [label, ms] of rows) console.log(`  ${label.padEnd(width)}  ${(ms / 1000).toFixed(2)} s`);
console.log(`  goal PGlite < 20 s: ${pglite < 20_000 ? 'met' : 'NOT met'} (${(pglite / 1000).toFixed(1)} s)`);
if (server !== undefined) {
  const ratio = server / rows[0][1];
  console.log(`  goal server <= 10x floor: ${ratio <= 10 ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x)`);
} else console.log('  server and floor skipped: psql or the server is not reachable');
