import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';
import { KNEXFILE_PG, projectFindings } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'no-duplicate-column';

const mustFire: Case[] = [
  { name: 'twice in CREATE TABLE', sql: 'CREATE TABLE t (id int, name text, name varchar(20));', expect: [[RULE, 1, 1]], message: 'Column "name" is declared twice in CREATE TABLE "t"' },
  {
    name: 'ADD COLUMN of a column an earlier migration created',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (id int, email text);' },
      { name: '002_b.sql', up: 'ALTER TABLE t ADD COLUMN email text;' },
    ],
    expect: [[RULE, 1, 15]],
    file: 'migrations/002_b.sql',
    message: '"t" already has a column "email" (added by migration 001_a): ADD COLUMN "email" fails',
  },
  { name: 'added twice in one migration', sql: 'ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN a int;', expect: [[RULE, 2, 15]], message: 'earlier in this migration' },
  { name: 'after a rename onto that name', sql: 'ALTER TABLE t RENAME COLUMN old TO a;\nALTER TABLE t ADD COLUMN a int;', expect: [[RULE, 2, 15]] },
  { name: 'MySQL, names compare without case', sql: 'CREATE TABLE t (id int, Email text);\nALTER TABLE t ADD COLUMN email text;', options: { dialect: 'mysql' }, expect: [[RULE, 2, 15]] },
  { name: 'SQLite', sql: 'CREATE TABLE t (id int, a int, a text);', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 1]] },
  { name: 'UPDATE SET a column twice', sql: 'SELECT 1;\nUPDATE k SET a = 1, b = 2, a = 3 WHERE id = 1;', expect: [[RULE, 2, 1]], message: 'Column "a" is assigned twice in UPDATE ... SET: Postgres refuses the statement' },
  { name: 'UPDATE SET (a, b) = (...) and a again', sql: 'UPDATE k SET (a, b) = (1, 2), a = 3 WHERE id = 1;', expect: [[RULE, 1, 1]] },
  { name: 'a whole column and a field of it', sql: 'UPDATE k SET a = row(1, 2), a.x = 1 WHERE id = 1;', expect: [[RULE, 1, 1]] },
  { name: 'bare names fold: a and A', sql: 'UPDATE k SET a = 1, A = 2 WHERE id = 1;', expect: [[RULE, 1, 1]] },
  { name: 'INSERT (a, a)', sql: 'INSERT INTO t (a, a) VALUES (1, 2);', expect: [[RULE, 1, 1]], message: 'in the INSERT column list' },
  { name: 'ON CONFLICT DO UPDATE SET a twice', sql: 'INSERT INTO k (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1, a = 2;', expect: [[RULE, 1, 1]], message: 'ON CONFLICT DO UPDATE SET' },
  { name: "MERGE's INSERT", sql: 'MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (a, a) VALUES (1, 2);', expect: [[RULE, 1, 1]], message: "MERGE's INSERT column list" },
  { name: 'CREATE VIEW with a column list naming a twice', sql: 'CREATE VIEW v (a, a) AS SELECT 1, 2;', expect: [[RULE, 1, 1]], message: 'CREATE VIEW gives two columns the name "a"' },
  { name: 'CREATE VIEW joining two id columns', sql: 'CREATE VIEW v AS SELECT t.id, u.id FROM t JOIN u ON u.t_id = t.id;', expect: [[RULE, 1, 1]], message: '"id"' },
  { name: 'CREATE TABLE AS with two unnamed expressions (both ?column?)', sql: 'CREATE TABLE x AS SELECT a + 1, b + 1 FROM t;', expect: [[RULE, 1, 1]], message: 'CREATE TABLE ... AS gives two columns the name "?column?"' },
  { name: 'SELECT INTO', sql: 'SELECT 1 AS a, 2 AS a INTO z;', expect: [[RULE, 1, 1]], message: 'SELECT ... INTO' },
  { name: 'CREATE FOREIGN TABLE', sql: 'CREATE FOREIGN TABLE ft (a int, a text) SERVER s;', expect: [[RULE, 1, 1]], message: 'CREATE FOREIGN TABLE' },
  { name: 'MySQL INSERT (a, A)', sql: 'INSERT INTO t (a, A) VALUES (1, 2);', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'ADD COLUMN IF NOT EXISTS', sql: 'CREATE TABLE t (id int, a int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS a int;' },
  { name: 'a table the chain does not know (it may or may not have the column)', sql: 'ALTER TABLE t ADD COLUMN a int;' },
  { name: 'dropped, then added again', sql: 'CREATE TABLE t (id int, a int);\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a bigint;' },
  { name: 'renamed away, then added again', sql: 'CREATE TABLE t (id int, a int);\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t ADD COLUMN a int;' },
  { name: 'Postgres: quoted "A" and a are two columns', sql: 'CREATE TABLE t (id int, "A" int, a int);' },
  {
    name: 'the down re-adds what its up dropped',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (id int, a int);', down: 'DROP TABLE t;' },
      { name: '002_b.sql', up: 'ALTER TABLE t DROP COLUMN a;', down: 'ALTER TABLE t ADD COLUMN a int;' },
    ],
  },
  { name: 'distinct parts of one column, and quoted "A" beside a', sql: 'UPDATE k SET a.x = 1, a.y = 2 WHERE id = 1;\nUPDATE k SET a[1] = 1, a[2] = 2 WHERE id = 1;\nUPDATE k SET "A" = 1, A = 2 WHERE id = 1;\nINSERT INTO k (a, b) VALUES (1, 2);' },
  { name: 'views whose columns are named apart, or unknowable (*)', sql: 'CREATE VIEW v (a, b) AS SELECT 1, 2;\nCREATE VIEW w AS SELECT t.id, u.id AS u_id FROM t JOIN u ON true;\nCREATE VIEW x AS SELECT * FROM t JOIN u ON true;\nCREATE VIEW y AS SELECT a FROM t UNION SELECT a FROM u;' },
  { name: 'a plain SELECT may repeat a name', sql: 'SELECT 1 AS a, 2 AS a;' },
  { name: 'SQLite and MySQL keep the last of two UPDATE assignments', sql: 'UPDATE k SET a = 1, a = 2 WHERE id = 1;', options: { dialect: 'sqlite' } },
  {
    name: 'a DO block that adds the column only IF NOT EXISTS (SELECT ... information_schema.columns)',
    sql: "CREATE TABLE t (id int, a int);\nDO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'a') THEN\n    ALTER TABLE t ADD COLUMN a int;\n  END IF;\nEND $$;",
  },
  { name: 'a DO block that adds it in an exception handler', sql: 'CREATE TABLE t (id int, a int);\nDO $$\nBEGIN\n  ALTER TABLE t ADD COLUMN b int;\nEXCEPTION WHEN duplicate_column THEN\n  ALTER TABLE t ADD COLUMN a int;\nEND $$;' },
  {
    name: 'a column of a table the chain created, used before the migration that adds it (the use is what fails, not the ADD)',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE users (id int);' },
      { name: '002_b.sql', up: 'ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;' },
      { name: '003_c.sql', up: 'ALTER TABLE users ADD COLUMN nickname text;' },
    ],
  },
  { name: 'the same column name in two tables', sql: 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nALTER TABLE b ADD COLUMN name text;\nALTER TABLE a ADD COLUMN name text;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));

  it('Knex: the same column twice in createTable, and a column added again in alterTable', async () => {
    const found = await projectFindings({
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_a.js': "exports.up = (knex) => knex.schema.createTable('t', (t) => {\n  t.increments('id');\n  t.string('email');\n  t.text('email');\n});\nexports.down = (knex) => knex.schema.dropTable('t');\n",
      'migrations/20240102000000_b.js': "exports.up = (knex) => knex.schema.alterTable('t', (t) => {\n  t.string('id');\n  t.string('name');\n});\nexports.down = () => {};\n",
    }, RULE);
    expect(found.map((f) => [f.file, f.line])).toEqual([['migrations/20240101000000_a.js', 1], ['migrations/20240102000000_b.js', 2]]);
  });

  it('Knex: an ADD COLUMN under hasColumn() runs only when the column is missing (silent); the same call unguarded fires', async () => {
    const guarded = "exports.up = (knex) => knex.schema.hasColumn('t', 'a').then((exists) => {\n  if (!exists) {\n    return knex.schema.alterTable('t', (t) => {\n      t.string('a');\n    });\n  }\n});\nexports.down = () => {};\n";
    const found = await projectFindings({
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_a.js': "exports.up = (knex) => knex.schema.createTable('t', (t) => {\n  t.increments('id');\n  t.string('a');\n});\nexports.down = (knex) => knex.schema.dropTable('t');\n",
      'migrations/20240102000000_b.js': guarded,
      'migrations/20240103000000_c.js': "exports.up = (knex) => knex.schema.alterTable('t', (t) => {\n  t.string('a');\n});\nexports.down = () => {};\n",
    }, RULE);
    expect(found.map((f) => [f.file, f.line])).toEqual([['migrations/20240103000000_c.js', 2]]);
  });
});
