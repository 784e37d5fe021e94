/**
 * A run over a directory with enough Postgres SQL parses on two threads (src/sql/parse-pool.ts;
 * on by default with 4 cores or more, MIGRALINT_PARSE_WORKER=1 forces it here):
 * its report must be the one a single thread gives, byte for byte, with the chain's state carried
 * across the blocks each thread parsed, syntax errors, multibyte text and the ASTs rules read.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, formatResult, loadConfig } from '../src/index.js';
import { VERSION } from '../src/package-info.js';
import { makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(() => removeTempDirs());

/**
 * `count` migrations (300: over the worker's 256 KiB threshold), each touching tables of earlier
 * ones; `padLines` lines of padding each.
 */
function bigSet(count = 300, padLines = 12): string {
  const dir = makeTempDir('migralint-worker-');
  const files: Record<string, string> = {};
  const pad = `-- ${'padding: ünïcödé 日本語 '.repeat(24)}\n`;
  for (let i = 1; i <= count; i++) {
    const name = `migrations/${String(i).padStart(4, '0')}_m${i}.sql`;
    const prev = `t_${Math.max(1, i - 7)}`;
    const lines = [
      pad.repeat(padLines),
      `CREATE TABLE t_${i} (id bigint PRIMARY KEY, note text DEFAULT 'é${i}');`,
      `ALTER TABLE ${prev} ADD COLUMN c_${i} integer NOT NULL;`,
      `CREATE INDEX idx_${i} ON ${prev} (id);`,
      `ALTER TABLE ${prev} ADD COLUMN v_${i} integer DEFAULT my_func_${i}();`,
      i % 50 === 0 ? `CREATE DOMAIN d_${i} AS integer CHECK (VALUE > 0);` : `COMMENT ON TABLE t_${i} IS 'ok';`,
      i % 97 === 0 ? `ALTER TABLE ${prev} ADD COLUMN oops integer NOT NULL DEFAULT;` : `UPDATE t_${i} SET note = 'x' WHERE id = ${i};`,
      // Drops tables later migrations still alter: no-missing-dependency, carried across threads.
      i % 3 === 0 ? `DROP TABLE t_${i - 1};` : `SELECT 1;`,
      // DO blocks (their PL/pgSQL parsed by the worker too): SQL inside them is linted at its place.
      i % 10 === 0 ? `DO $$\nBEGIN\n  -- ünïcödé\n  ALTER TABLE ${prev} ADD COLUMN d_${i} integer NOT NULL;\nEND\n$$;` : `SELECT 2;`,
      i % 10 === 5 ? `DO LANGUAGE plpgsql $do$ BEGIN EXECUTE 'CREATE INDEX j_${i} ON ${prev} (id)'; IF true THEN TRUNCATE ${prev}; END IF; END $do$;` : `SELECT 3;`,
      i % 30 === 7 ? `DO $$ BEGIN NOT VALID PL/pgSQL; END $$;` : `SELECT 4;`,
      // A templated section (a Go template's placeholder): masked, and parsed on the main thread.
      i % 100 === 50 ? `CREATE INDEX k_${i} ON {{ index .Options "Namespace" }}.${prev} (id);` : `SELECT 5;`,
    ];
    files[name] = lines.join('\n') + '\n';
  }
  writeTree(dir, files);
  return dir;
}

describe('the parse worker', () => {
  // =all: the worker parses every section it can (the walk claims none); =1: the two threads share.
  it.each([
    ['all', /the parse worker parsed 294 of 300 Postgres sections/],
    ['1', /the parse worker parsed \d+ of 300 Postgres sections/],
  ])('gives the report a single thread gives (MIGRALINT_PARSE_WORKER=%s)', async (mode, used) => {
    const dir = bigSet();
    const cli = runCli(['check', 'migrations', '--format', 'json', '--dialect', 'postgres'], { cwd: dir, env: { MIGRALINT_DEBUG: '1', MIGRALINT_PARSE_WORKER: mode } });
    // The 3 sections with a syntax error are parsed again on the main thread, which reports it; the
    // 3 templated ones are left to it.
    expect(cli.stderr).toMatch(used);
    expect(cli.stderr).not.toMatch(/failed or stalled/);
    // In process, from the sources, nothing starts a worker: one thread.
    const config = await loadConfig(dir);
    const single = await check([path.join(dir, 'migrations')], { cwd: dir, config, dialect: 'postgres' });
    const json = JSON.parse(cli.stdout) as { findings: { ruleId: string }[] };
    expect(new Set(json.findings.map((f) => f.ruleId))).toEqual(new Set(['syntax-error', 'require-not-null-backfill', 'require-concurrent-index', 'no-drop-table', 'no-volatile-default', 'no-domain-constraint', 'no-missing-dependency', 'no-truncate']));
    expect(cli.stdout).toBe(formatResult(single, 'json', { color: false, version: VERSION }));
    expect(cli.status).toBe(1);
  });

  it('is started once the SQL is known to be large when the directory has too few files to guess it', async () => {
    // 150 files (under the boot's guess of 200) of ~3.5 KiB: over 256 KiB.
    const dir = bigSet(150, 6);
    const cli = runCli(['check', 'migrations', '--format', 'json', '--dialect', 'postgres'], { cwd: dir, env: { MIGRALINT_DEBUG: '1', MIGRALINT_PARSE_WORKER: 'all' } });
    // One section with a syntax error and two templated ones are the main thread's.
    expect(cli.stderr).toMatch(/the parse worker parsed 147 of 150 Postgres sections/);
    const config = await loadConfig(dir);
    const single = await check([path.join(dir, 'migrations')], { cwd: dir, config, dialect: 'postgres' });
    expect(cli.stdout).toBe(formatResult(single, 'json', { color: false, version: VERSION }));
  });

  it('is not started for a run over files (a pre-commit hook)', () => {
    const dir = bigSet();
    const cli = runCli(['check', 'migrations/0300_m300.sql', '--format', 'json', '--dialect', 'postgres'], { cwd: dir, env: { MIGRALINT_DEBUG: '1', MIGRALINT_PARSE_WORKER: '1' } });
    expect(cli.stderr).not.toMatch(/parse worker/);
    expect((JSON.parse(cli.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });
});
