/**
 * Large runs parse half of the Postgres SQL in a worker thread. The report must be byte for byte
 * the one a single-threaded run gives (MIGRALINT_WORKERS=0), spans included.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

function corpus(files: number): Record<string, string> {
  const tree: Record<string, string> = {};
  for (let i = 1; i <= files; i++) {
    const t = `t${i}`;
    const body = [
      `-- migration ${i}: 'é' and ✓ before statements shift UTF-8 offsets`,
      `CREATE TABLE ${t} (id bigint PRIMARY KEY, note text);`,
      `CREATE INDEX ${t}_note ON ${t} (note);`,
      i > 1 ? `ALTER TABLE t${i - 1} ADD COLUMN flag boolean NOT NULL, DROP COLUMN note;` : 'SELECT 1;',
      i > 1 ? `CREATE INDEX t${i - 1}_id ON t${i - 1} (id);` : 'SELECT 2;',
      `CREATE FUNCTION f${i}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DROP TABLE nothing; RETURN NEW; END $$;`,
      i % 50 === 0 ? 'ALTER TABLE oops ADD COLUMN;' : `UPDATE ${t} SET note = 'x' WHERE id > 0;`,
      `-- ${'padding '.repeat(40)}`,
      i > 1 ? `TRUNCATE t${i - 1};` : `TRUNCATE ${t};`,
    ];
    tree[`migrations/${String(i).padStart(4, '0')}_m.sql`] = `${body.join('\n')}\n`;
  }
  return tree;
}

describe('parallel parsing', () => {
  it('gives the same report with and without the worker thread', () => {
    const dir = writeTree(makeTempDir(), corpus(450));
    const parallel = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    const serial = runCli(['check', '.', '--format', 'json'], { cwd: dir, env: { MIGRALINT_WORKERS: '0' } });
    expect(parallel.stderr).toBe('');
    const report = JSON.parse(parallel.stdout) as { findings: { ruleId: string }[] };
    // Every rule kind shows up, syntax errors included, so both halves were really linted.
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(
      new Set(['no-drop-column', 'require-not-null-backfill', 'require-concurrent-index', 'no-truncate', 'syntax-error']),
    );
    expect(report.findings.length).toBeGreaterThan(1500);
    expect(parallel.stdout).toBe(serial.stdout);
    expect(parallel.status).toBe(serial.status);
  });
});
