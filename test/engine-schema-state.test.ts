/**
 * Statements that change the schema without the usual CREATE/ALTER/DROP TABLE shapes still move
 * the schema state: SELECT ... INTO, CREATE SCHEMA ... CREATE TABLE, ALTER TABLE ... SET SCHEMA,
 * CREATE TABLE ... AS / LIKE, renames; and a table the chain dropped or renamed away is gone.
 */
import { describe, expect, it } from 'vitest';
import { lintSql, type TestFinding } from './helpers/lint-sql.js';

const rows = (fs: TestFinding[]) => fs.map((f) => [f.ruleId, f.file, f.line, f.column]);

describe('schema state', () => {
  it('SELECT ... INTO creates a new table: indexing it blocks nobody', async () => {
    expect(await lintSql([{ name: '001_x.sql', up: 'SELECT id, total INTO order_totals FROM orders;\nCREATE INDEX ON order_totals (id);' }])).toEqual([]);
  });

  it('CREATE SCHEMA s CREATE TABLE t ... creates s.t: indexing it blocks nobody; dropping s.t loses nothing', async () => {
    expect(await lintSql([{ name: '001_x.sql', up: 'CREATE SCHEMA audit CREATE TABLE events (id int) CREATE INDEX events_id ON events (id);\nCREATE INDEX ON audit.events (id);\nDROP TABLE audit.events;' }])).toEqual([]);
  });

  it('ALTER TABLE ... SET SCHEMA moves the table: a new table stays new, an old one stays old', async () => {
    expect(await lintSql([{ name: '001_x.sql', up: 'CREATE TABLE staging (id int);\nALTER TABLE staging SET SCHEMA archive;\nCREATE INDEX ON archive.staging (id);' }])).toEqual([]);
    const found = await lintSql([
      { name: '001_x.sql', up: 'CREATE TABLE staging (id int);' },
      { name: '002_x.sql', up: 'ALTER TABLE staging SET SCHEMA archive;\nCREATE INDEX ON archive.staging (id);\nDROP TABLE IF EXISTS staging;' },
    ]);
    // Moving an existing table breaks clients that name it by its old (search_path) name; the index
    // is on a table with rows; the DROP TABLE IF EXISTS staging drops nothing any more.
    expect(rows(found)).toEqual([
      ['no-rename-table', 'migrations/002_x.sql', 1, 1],
      ['require-concurrent-index', 'migrations/002_x.sql', 2, 1],
    ]);
  });

  it('CREATE TABLE ... (LIKE other) gets its columns: a copy into it then a drop of the original is a rebuild', async () => {
    const found = await lintSql([
      { name: '001_x.sql', up: 'CREATE TABLE events (id int NOT NULL, kind text, payload jsonb);' },
      { name: '002_x.sql', up: 'CREATE TABLE events_new (LIKE events INCLUDING ALL);\nALTER TABLE events_new DROP COLUMN payload;\nINSERT INTO events_new SELECT id, kind FROM events;\nDROP TABLE events;\nALTER TABLE events_new RENAME TO events;' },
    ]);
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/002_x.sql', 3, 1]]);
    expect(found[0]!.message).toBe('Rebuilding "events" leaves out column "payload": the data in it is lost when the old table is dropped.');
  });

  it.each([
    ['dropped', 'DROP TABLE legacy;'],
    ['renamed', 'ALTER TABLE legacy RENAME TO legacy_v2;'],
    ['moved to another schema', 'ALTER TABLE legacy SET SCHEMA old;'],
  ])('a table %s earlier in the chain is gone: a later DROP TABLE IF EXISTS drops nothing', async (_n, first) => {
    const found = await lintSql([
      { name: '001_x.sql', up: 'CREATE TABLE legacy (id int);' },
      { name: '002_x.sql', up: first },
      { name: '003_x.sql', up: 'DROP TABLE IF EXISTS legacy;' },
    ]);
    expect(found.filter((f) => f.file === 'migrations/003_x.sql')).toEqual([]);
  });

  it('a table renamed away and then created again under the name does exist', async () => {
    const found = await lintSql([
      { name: '001_x.sql', up: 'ALTER TABLE legacy RENAME TO legacy_v2;\nCREATE TABLE legacy (id int);' },
      { name: '002_x.sql', up: 'DROP TABLE IF EXISTS legacy;' },
    ]);
    expect(rows(found)).toEqual([['no-drop-table', 'migrations/002_x.sql', 1, 1]]);
  });

  it('DROP TABLE IF EXISTS of a table the chain never saw still fires (it may exist)', async () => {
    expect(rows(await lintSql([{ name: '001_x.sql', up: 'DROP TABLE IF EXISTS legacy;' }]))).toEqual([['no-drop-table', 'migrations/001_x.sql', 1, 1]]);
  });

  it('SQLite: a table dropped earlier is gone whatever the case of its name', async () => {
    const found = await lintSql(
      [
        { name: '001_x.sql', up: 'CREATE TABLE "Legacy" (id integer);' },
        { name: '002_x.sql', up: 'DROP TABLE "Legacy";' },
        { name: '003_x.sql', up: 'DROP TABLE IF EXISTS legacy;' },
      ],
      { dialect: 'sqlite' },
    );
    expect(rows(found)).toEqual([['no-drop-table', 'migrations/002_x.sql', 1, 1]]);
    expect(found[0]!.message).toContain('"Legacy"');
  });
});

describe('table names in messages', () => {
  it('each finding shows the name as its statement wrote it; public. and unqualified are one table', async () => {
    const found = await lintSql([
      { name: '001_x.sql', up: 'CREATE TABLE post_aggregates (id int, score int);' },
      { name: '002_x.sql', up: 'CREATE INDEX ON public.post_aggregates (score);\nALTER TABLE post_aggregates DROP COLUMN score;' },
      { name: '003_x.sql', up: 'CREATE TABLE public.post_aggregates_new (id int);\nCREATE INDEX ON post_aggregates_new (id);' },
    ]);
    expect(rows(found)).toEqual([
      ['require-concurrent-index', 'migrations/002_x.sql', 1, 1],
      ['no-drop-column', 'migrations/002_x.sql', 2, 29],
    ]);
    expect(found[0]!.message).toContain('"public.post_aggregates"');
    expect(found[1]!.message).toContain('"post_aggregates"');
  });
});
