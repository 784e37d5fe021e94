import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';
import { KNEXFILE_PG, projectFindings } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'no-missing-dependency';

const mustFire: Case[] = [
  {
    name: 'an index on a table renamed away by an earlier migration',
    migrations: [
      { name: '001_a.sql', up: 'ALTER TABLE users RENAME TO accounts;' },
      { name: '002_b.sql', up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);' },
    ],
    expect: [[RULE, 1, 1]],
    file: 'migrations/002_b.sql',
    message: 'Table "users" no longer exists at this point: it was renamed to "accounts" by migration 001_a, so this statement fails.',
  },
  {
    name: 'ALTER of a table dropped earlier in the migration',
    sql: 'DROP TABLE legacy;\nALTER TABLE legacy ADD COLUMN a int;',
    expect: [[RULE, 2, 20]],
    message: 'it was dropped earlier in this migration',
  },
  {
    name: 'a column dropped by an earlier migration, updated later',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (id int, a int);' },
      { name: '002_b.sql', up: 'ALTER TABLE t DROP COLUMN a;' },
      { name: '003_c.sql', up: 'UPDATE t SET a = 1 WHERE id = 2;' },
    ],
    expect: [[RULE, 1, 1]],
    file: 'migrations/003_c.sql',
    message: 'Column "t"."a" no longer exists at this point: it was dropped by migration 002_b',
  },
  {
    name: 'a column renamed away, then used under its old name',
    sql: 'ALTER TABLE t RENAME COLUMN name TO full_name;\nCREATE INDEX CONCURRENTLY t_name ON t (name);',
    expect: [[RULE, 2, 1]],
    message: 'renamed to "full_name"',
  },
  {
    name: 'a down that uses a column an earlier migration removed (the down runs against the state after its up)',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (id int, legacy int);', down: 'DROP TABLE t;' },
      { name: '002_b.sql', up: 'ALTER TABLE t DROP COLUMN legacy;', down: 'ALTER TABLE t ADD COLUMN legacy int;' },
      { name: '003_c.sql', up: 'ALTER TABLE t ADD COLUMN b int;', down: 'ALTER TABLE t DROP COLUMN b;\nALTER TABLE t ALTER COLUMN legacy SET NOT NULL;' },
    ],
    expect: [[RULE, 2, 15]],
    file: 'migrations/003_c.down.sql',
    message: 'Column "t"."legacy" no longer exists at this point: it was dropped by migration 002_b',
  },
  {
    name: 'a down that uses the old name its own up renamed away',
    migrations: [{ name: '001_a.sql', up: 'ALTER TABLE t RENAME COLUMN a TO b;', down: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;\nALTER TABLE t RENAME COLUMN b TO a;' }],
    expect: [[RULE, 1, 15]],
    file: 'migrations/001_a.down.sql',
    message: 'it was renamed to "b" by the up of this migration',
  },
  { name: 'DROP INDEX of an index dropped before', sql: 'DROP INDEX CONCURRENTLY i;\nDROP INDEX CONCURRENTLY i;', expect: [[RULE, 2, 1]], message: 'Index "i" no longer exists' },
  { name: 'SQLite: table names without case', sql: 'DROP TABLE Legacy;\nINSERT INTO legacy (a) VALUES (1);', options: { dialect: 'sqlite' }, expect: [[RULE, 2, 1]] },
  { name: 'MySQL RENAME TABLE', sql: 'RENAME TABLE a TO b;\nALTER TABLE a ADD COLUMN c int;', options: { dialect: 'mysql' }, expect: [[RULE, 2, 15]] },
];

const mustNotFire: Case[] = [
  { name: 'a table the chain never saw (it may exist in the database)', sql: 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY i ON users (a);' },
  {
    name: 'a DO block that touches the table only IF EXISTS (SELECT ... information_schema.tables)',
    sql: "CREATE TABLE t (id int, a int);\nDROP TABLE t;\nDO $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 't') THEN\n    ALTER TABLE t DROP COLUMN a;\n  END IF;\nEND $$;",
  },
  { name: 'dropped, then created again', sql: 'DROP TABLE t;\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;' },
  { name: 'DROP ... IF EXISTS of what is gone', sql: 'DROP TABLE t;\nDROP TABLE IF EXISTS t;\nALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN IF EXISTS a;\nDROP INDEX CONCURRENTLY i;\nDROP INDEX CONCURRENTLY IF EXISTS i;' },
  { name: 'a column dropped, then added again', sql: 'ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a bigint;\nUPDATE t SET a = 1 WHERE id = 1;' },
  {
    name: 'the SQLite rebuild: new table renamed over the old name',
    sql: 'CREATE TABLE t_new (id int, a int);\nINSERT INTO t_new (id, a) SELECT id, a FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\nCREATE INDEX t_a ON t (a);',
    options: { dialect: 'sqlite' },
  },
  {
    name: "a down that undoes its up's rename before using the name",
    migrations: [{ name: '001_a.sql', up: 'ALTER TABLE t RENAME TO u;', down: 'ALTER TABLE u RENAME TO t;\nALTER TABLE t ADD COLUMN x int;' }],
  },
  {
    name: 'a down that re-adds the column its up dropped',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (id int, a int);', down: 'DROP TABLE t;' },
      { name: '002_b.sql', up: 'ALTER TABLE t DROP COLUMN a;', down: 'ALTER TABLE t ADD COLUMN a int;\nUPDATE t SET a = 0 WHERE a IS NULL;' },
    ],
  },
  { name: 'the renamed table under its new name', sql: 'ALTER TABLE users RENAME TO accounts;\nCREATE INDEX CONCURRENTLY i ON accounts (email);' },
  { name: 'a rename swap through a temporary name', sql: 'ALTER TABLE a RENAME TO tmp;\nALTER TABLE b RENAME TO a;\nALTER TABLE tmp RENAME TO b;\nALTER TABLE a ADD COLUMN x int;\nALTER TABLE b ADD COLUMN y int;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));

  it('Knex: an index on a table an earlier migration renamed', async () => {
    const found = await projectFindings({
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_a.js': "exports.up = (knex) => knex.schema.renameTable('users', 'accounts');\nexports.down = (knex) => knex.schema.renameTable('accounts', 'users');\n",
      'migrations/20240102000000_b.js': "exports.up = (knex) => knex.schema.alterTable('users', (t) => {\n  t.index(['email']);\n});\nexports.down = () => {};\n",
    }, RULE);
    expect(found.map((f) => [f.file, f.line])).toEqual([['migrations/20240102000000_b.js', 2]]);
  });
});
