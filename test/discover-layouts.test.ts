/**
 * Up/down pairs in separate files, in the version styles projects use beside golang-migrate's
 * own: paired by version, ordered as numbers, downs linted as downs; and the explicit layout
 * flag accepts what it names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

/** A chain in the given naming style: (version, name) → file stem. */
function chain(stem: (version: number, name: string) => string): Record<string, string> {
  return {
    // Versions 2, 9, 10: as text, 10 sorts before 2 and 9; the chain only works in numeric order.
    [`db/${stem(2, 'Initial_Schema')}.up.sql`]: 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
    [`db/${stem(2, 'Initial_Schema')}.down.sql`]: 'DROP TABLE users;\n',
    [`db/${stem(9, 'Drop_Email')}.up.sql`]: '-- the email moved to accounts\nALTER TABLE users DROP COLUMN email;\n',
    [`db/${stem(9, 'Drop_Email')}.down.sql`]: 'ALTER TABLE users ADD COLUMN email text;\n',
    [`db/${stem(10, 'Add_Age')}.up.sql`]: 'ALTER TABLE users ADD COLUMN age int;\n',
    // A 0-byte down under a schema-changing up.
    [`db/${stem(10, 'Add_Age')}.down.sql`]: '',
  };
}

const STYLES: [string, (v: number, name: string) => string][] = [
  ['V0001.Name', (v, n) => `V${String(v).padStart(4, '0')}.${n}`],
  ['V2.Name (unpadded)', (v, n) => `V${v}.${n}`],
  ['001-name', (v, n) => `${String(v).padStart(3, '0')}-${n.toLowerCase().replace(/_/g, '-')}`],
  ['2024_01_NN_name', (v, n) => `2024_01_${String(v).padStart(2, '0')}_${n.toLowerCase()}`],
  ['N_name (golang-migrate)', (v, n) => `${v}_${n.toLowerCase()}`],
];

describe('paired .up.sql/.down.sql layouts', () => {
  for (const [style, stem] of STYLES) {
    it(`${style}: downs are downs, the chain in numeric order`, () => {
      const dir = writeTree(makeTempDir(), chain(stem));
      const expected = [
        // No no-drop-table for the down that drops what its up created; the 0-byte down is reported.
        [`db/${stem(9, 'Drop_Email')}.up.sql`, 2, 19, 'no-drop-column'],
        [`db/${stem(10, 'Add_Age')}.down.sql`, 1, 1, 'require-down'],
      ].sort();
      const auto = runCli(['check', '--format', 'json'], { cwd: dir });
      expect(findingTuples(auto).sort()).toEqual(expected);
      expect(jsonReport(auto).summary.migrations).toBe(3);
      const forced = runCli(['check', 'db', '--migration-format', 'golang-migrate', '--format', 'json'], { cwd: dir });
      expect(findingTuples(forced).sort()).toEqual(expected);
      // One file given: linted in the context of its chain (users.email exists, from version 2).
      const one = runCli(['check', `db/${stem(9, 'Drop_Email')}.up.sql`, '--format', 'json'], { cwd: dir });
      expect(findingTuples(one)).toEqual([[`db/${stem(9, 'Drop_Email')}.up.sql`, 2, 19, 'no-drop-column']]);
      // The same with the layout named (--migration-format, or `format` in the config): the file
      // still has its chain and its down.
      const oneForced = runCli(['check', `db/${stem(9, 'Drop_Email')}.up.sql`, '--migration-format', 'golang-migrate', '--format', 'json'], { cwd: dir });
      expect(oneForced.stdout).toBe(one.stdout);
    });
  }

  it('0001/up.sql + down.sql folders', () => {
    const files: Record<string, string> = {};
    for (const [rel, text] of Object.entries(chain((v) => String(v).padStart(4, '0')))) {
      files[rel.replace(/^db\/(\d+)\.(up|down)\.sql$/, 'db/$1/$2.sql')] = text;
    }
    const dir = writeTree(makeTempDir(), files);
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).sort()).toEqual([
      ['db/0009/up.sql', 2, 19, 'no-drop-column'],
      ['db/0010/down.sql', 1, 1, 'require-down'],
    ]);
  });

  it('ups without downs: each is named where the set has downs; none where it has no down at all', () => {
    const dir = writeTree(makeTempDir(), {
      'db/V1.Init.up.sql': 'CREATE TABLE t (id int);\n',
      'db/V1.Init.down.sql': 'DROP TABLE t;\n',
      'db/V2.Index.up.sql': 'CREATE INDEX t_id ON t (id);\n',
      'db/V3.Drop.up.sql': 'DROP INDEX t_id;\n',
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).map(([f, , , id]) => [f, id])).toEqual([
      ['db/V2.Index.up.sql', 'require-concurrent-index'],
      ['db/V2.Index.up.sql', 'require-down'],
      ['db/V3.Drop.up.sql', 'require-concurrent-index-drop'],
      ['db/V3.Drop.up.sql', 'require-down'],
    ]);
    const upOnly = writeTree(makeTempDir(), {
      'db/V1.Init.up.sql': 'CREATE TABLE t (id int);\n',
      'db/V2.Index.up.sql': 'CREATE INDEX t_id ON t (id);\n',
    });
    expect(findingTuples(runCli(['check', '--format', 'json'], { cwd: upOnly })).map(([f, , , id]) => [f, id])).toEqual([['db/V2.Index.up.sql', 'require-concurrent-index']]);
  });
});

describe('pop/popx migrations written for several databases (<version>_<name>.<dialect>.<up|down>.sql)', () => {
  const tree = () =>
    writeTree(makeTempDir(), {
      'persistence/sql/20240101000000_init.postgres.up.sql': 'CREATE TABLE tuples (id UUID PRIMARY KEY, object text);\n',
      'persistence/sql/20240101000000_init.postgres.down.sql': 'DROP TABLE tuples;\n',
      'persistence/sql/20240101000000_init.mysql.up.sql': 'CREATE TABLE `tuples` (`id` CHAR(36) PRIMARY KEY, `object` VARCHAR(64));\n',
      'persistence/sql/20240101000000_init.mysql.down.sql': 'DROP TABLE `tuples`;\n',
      'persistence/sql/20240101000000_init.sqlite3.up.sql': 'CREATE TABLE tuples (id UUID PRIMARY KEY, object TEXT);\n',
      'persistence/sql/20240101000000_init.sqlite3.down.sql': 'DROP TABLE tuples;\n',
      'persistence/sql/20240101000000_init.cockroach.up.sql': 'CREATE TABLE tuples (id UUID PRIMARY KEY, object STRING);\n',
      'persistence/sql/20240101000000_init.cockroach.down.sql': 'DROP TABLE tuples;\n',
      // For every database, except where one has its own file for the version.
      'persistence/sql/20240102000000_index.up.sql': 'CREATE INDEX tuples_object_idx ON tuples (object);\n',
      'persistence/sql/20240102000000_index.down.sql': 'DROP INDEX tuples_object_idx;\n',
      'persistence/sql/20240102000000_index.mysql.up.sql': 'CREATE INDEX tuples_object_idx ON tuples (object) ALGORITHM=COPY;\n',
      'persistence/sql/20240102000000_index.mysql.down.sql': 'DROP INDEX tuples_object_idx ON tuples;\n',
      'persistence/sql/20240103000000_cleanup.up.sql': '-- the old table goes\nDROP TABLE tuples;\n',
      'persistence/sql/20240103000000_cleanup.down.sql': 'CREATE TABLE tuples (id text);\n',
    });

  it('is one chain, for Postgres unless told otherwise: each version from its Postgres file, else the file for every database', () => {
    const dir = tree();
    const r = runCli(['check', 'persistence', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toContain('dialect assumed: postgres; set --dialect (for persistence/sql)');
    const report = JSON.parse(r.stdout) as { summary: { migrations: number; files: number } };
    expect(report.summary).toMatchObject({ migrations: 3, files: 6 });
    // No syntax error from the other databases' files, no duplicate version between them.
    expect(findingTuples(r)).toEqual([
      ['persistence/sql/20240102000000_index.up.sql', 1, 1, 'require-concurrent-index'],
      ['persistence/sql/20240103000000_cleanup.up.sql', 2, 1, 'no-drop-table'],
    ]);
  });

  it.each([
    ['mysql', [['persistence/sql/20240102000000_index.mysql.up.sql', 1, 1, 'require-concurrent-index'], ['persistence/sql/20240103000000_cleanup.up.sql', 2, 1, 'no-drop-table']]],
    ['sqlite', [['persistence/sql/20240103000000_cleanup.up.sql', 2, 1, 'no-drop-table']]],
  ] as const)('--dialect %s: the chain of that database', (dialect, expected) => {
    const r = runCli(['check', 'persistence', '--format', 'json', '--dialect', dialect], { cwd: tree() });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual(expected);
  });

  it("a file named on the command line for one database is read in that database's chain", () => {
    const r = runCli(['check', 'persistence/sql/20240102000000_index.mysql.up.sql', '--format', 'json'], { cwd: tree() });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([['persistence/sql/20240102000000_index.mysql.up.sql', 1, 1, 'require-concurrent-index']]);
    expect((JSON.parse(r.stdout) as { findings: { message: string }[] }).findings[0]!.message).toMatch(/ALGORITHM=COPY/);
  });
});
