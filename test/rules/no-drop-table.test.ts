import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-drop-table';

const mustFire: Case[] = [
  {
    name: 'MySQL DROP PARTITION (verified on MariaDB: the rows of the partitions are gone)',
    sql: 'ALTER TABLE events DROP PARTITION p2019, p2020;',
    options: { dialect: 'mysql' },
    expect: [[RULE, 1, 1]],
    message: 'DROP PARTITION "p2019", "p2020" of "events" deletes those partitions and every row in them.',
  },
  { name: 'plain DROP TABLE', sql: 'DROP TABLE users;', expect: [[RULE, 1, 1, 1, 17]], message: 'Dropping table "users" deletes all of its rows.' },
  { name: 'CASCADE is called out', sql: 'DROP TABLE users CASCADE;', expect: [[RULE, 1, 1, 1, 25]], message: 'CASCADE also drops every view and foreign key constraint' },
  { name: 'IF EXISTS still drops the rows', sql: 'DROP TABLE IF EXISTS legacy;', expect: [[RULE, 1, 1, 1, 28]], message: '"legacy"' },
  { name: 'schema-qualified name', sql: 'DROP TABLE audit.events;', expect: [[RULE, 1, 1, 1, 24]], message: '"audit.events"' },
  { name: 'statement spread over lines', sql: 'DROP TABLE\n  users\n  CASCADE;', expect: [[RULE, 1, 1, 3, 10]] },
  { name: 'DROP TABLE in a DO block (it runs now), static EXECUTE included', sql: "DO $body$ BEGIN EXECUTE 'DROP TABLE users'; DROP TABLE x; END $body$;", expect: [[RULE, 1, 26, 1, 42], [RULE, 1, 45, 1, 57]], message: ['"users"', '"x"'] },
  { name: 'last statement without ; ends before a trailing comment', sql: 'DROP TABLE users -- gone\n', expect: [[RULE, 1, 1, 1, 17]] },
  {
    name: 'table created in an EARLIER migration is an existing table',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int);' },
      { name: '002_drop.sql', up: 'SELECT 1;\nDROP TABLE users;' },
    ],
    expect: [[RULE, 2, 1, 2, 17]],
    file: 'migrations/002_drop.sql',
  },
  {
    name: 'only the tables this migration did not create are reported',
    sql: 'CREATE TABLE scratch (id int);\nDROP TABLE scratch, users;',
    expect: [[RULE, 2, 1, 2, 26]],
    message: 'Dropping table "users"',
  },
  { name: 'a same-named table in another schema does not count', sql: 'CREATE TABLE archive.users (id int);\nDROP TABLE users;', expect: [[RULE, 2, 1, 2, 17]] },
  { name: 'quoted names are case-sensitive', sql: 'CREATE TABLE "Users" (id int);\nDROP TABLE users;', expect: [[RULE, 2, 1, 2, 17]] },
  { name: 'after a multi-byte UTF-8 character on an earlier line', sql: "INSERT INTO notes VALUES ('héllo 😀');\nDROP TABLE users;", expect: [[RULE, 2, 1, 2, 17]] },
  { name: 'after a multi-byte UTF-8 character on the same line', sql: "SELECT '😀'; DROP TABLE users;", expect: [[RULE, 1, 14, 1, 30]] },
  { name: 'CRLF line endings', sql: 'SELECT 1;\r\n\r\nDROP TABLE users;\r\n', expect: [[RULE, 3, 1, 3, 17]] },
  { name: 'several statements on one line', sql: 'SELECT 1; DROP TABLE a; DROP TABLE b;', expect: [[RULE, 1, 11, 1, 23], [RULE, 1, 25, 1, 37]], message: ['"a"', '"b"'] },
  {
    name: 'a down that drops something its up did not create',
    migrations: [{ name: '001_create.sql', up: 'CREATE TABLE a (id int);', down: 'DROP TABLE a;\nDROP TABLE b;' }],
    expect: [[RULE, 2, 1, 2, 13]],
    message: 'The matching up migration did not create it.',
    file: 'migrations/001_create.down.sql',
  },
  {
    name: 'a dbmate file: the down section is located in the shared file',
    migrations: [{ name: '001_create.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\nDROP TABLE b;\n' }],
    expect: [[RULE, 6, 1, 6, 13]],
    message: '"b"',
  },
  {
    name: 'a suppression naming another rule does not hide it',
    sql: '-- migralint-disable-next-line no-drop-column\nDROP TABLE users;',
    expect: [
      ['unused-disable', 1, 1],
      [RULE, 2, 1, 2, 17],
    ],
  },
  { name: 'statements after a syntax error are still linted', sql: 'SELEC 1;\nDROP TABLE users;', expect: [['syntax-error', 1, 1], [RULE, 2, 1, 2, 17]] },
  { name: 'DROP SCHEMA ... CASCADE drops every table in it', sql: 'DROP SCHEMA legacy CASCADE;', expect: [[RULE, 1, 1, 1, 27]], message: 'DROP SCHEMA "legacy" CASCADE drops every table in it' },
  {
    name: 'DROP SCHEMA ... CASCADE names the tables the chain knows in it',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE legacy.a (id int);' },
      { name: '002_drop.sql', up: 'DROP SCHEMA IF EXISTS legacy, "Other" CASCADE;' },
    ],
    expect: [[RULE, 1, 1, 1, 46], [RULE, 1, 1, 1, 46]],
    message: ['"legacy" CASCADE drops every table in it ("a")', '"Other"'],
    file: 'migrations/002_drop.sql',
  },
  { name: 'DROP SCHEMA public CASCADE (the reset idiom)', sql: 'DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;', expect: [[RULE, 1, 1, 1, 27]] },
  { name: 'SQLite', sql: 'DROP TABLE users;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 1, 1, 17]] },
  { name: 'MySQL', sql: 'DROP TABLE users;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1, 1, 17]] },
  {
    name: 'a rebuild copying two parts that leave rows out (name = x, then name = y)',
    migrations: [{ name: '0000_a.sql', up: 'CREATE TABLE `group` (`id` text PRIMARY KEY NOT NULL, `name` text NOT NULL, `owner_id` text);' }, { name: '0025_b.sql', up: `CREATE TABLE \`__new_group\` (\`id\` text PRIMARY KEY NOT NULL, \`name\` text NOT NULL, \`owner_id\` text, \`position\` integer NOT NULL);\nINSERT INTO \`__new_group\`("id", "name", "owner_id", "position") SELECT "id", "name", "owner_id", -1 FROM \`group\` WHERE "name" = 'everyone';\nINSERT INTO \`__new_group\`("id", "name", "owner_id", "position") SELECT "id", "name", "owner_id", ROW_NUMBER() OVER(ORDER BY "name") FROM \`group\` WHERE "name" = 'admins';\nDROP TABLE \`group\`;\nALTER TABLE \`__new_group\` RENAME TO \`group\`;` }],
    options: { dialect: 'sqlite' },
    expect: [[RULE, 4, 1]],
    file: 'migrations/0025_b.sql',
  },
];

const mustNotFire: Case[] = [
  {
    name: 'MySQL DROP PARTITION of a table this migration created, and TRUNCATE PARTITION (another rule)',
    sql: 'CREATE TABLE events (id int, y int) PARTITION BY RANGE (y) (PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN (3000));\nALTER TABLE events DROP PARTITION p0;\nALTER TABLE logs TRUNCATE PARTITION p1;',
    options: { dialect: 'mysql' },
  },
  {
    name: 'a rebuild copying the rows in two complementary parts (WHERE name = x, then name <> x, on a NOT NULL column)',
    migrations: [{ name: '0000_a.sql', up: 'CREATE TABLE `group` (`id` text PRIMARY KEY NOT NULL, `name` text NOT NULL, `owner_id` text);' }, { name: '0025_b.sql', up: `CREATE TABLE \`__new_group\` (\`id\` text PRIMARY KEY NOT NULL, \`name\` text NOT NULL, \`owner_id\` text, \`position\` integer NOT NULL);\nINSERT INTO \`__new_group\`("id", "name", "owner_id", "position") SELECT "id", "name", "owner_id", -1 FROM \`group\` WHERE "name" = 'everyone';\nINSERT INTO \`__new_group\`("id", "name", "owner_id", "position") SELECT "id", "name", "owner_id", ROW_NUMBER() OVER(ORDER BY "name") FROM \`group\` WHERE "name" != 'everyone';\nDROP TABLE \`group\`;\nALTER TABLE \`__new_group\` RENAME TO \`group\`;` }],
    options: { dialect: 'sqlite' },
  },
  {
    name: 'a full rebuild of a table an earlier migration filled from a filtered copy (the filter is that migration\'s business)',
    migrations: [
      { name: '0054_a.sql', up: 'CREATE TABLE page_component (id integer PRIMARY KEY, workspace_id integer NOT NULL);\nINSERT INTO page_component (id, workspace_id) SELECT m.id, m.workspace_id FROM monitor m WHERE m.workspace_id IS NOT NULL;' },
      { name: '0055_b.sql', up: 'CREATE TABLE __new_page_component (id integer PRIMARY KEY, workspace_id integer NOT NULL);\nINSERT INTO __new_page_component (id, workspace_id) SELECT id, workspace_id FROM page_component;\nDROP TABLE page_component;\nALTER TABLE __new_page_component RENAME TO page_component;' },
    ],
    options: { dialect: 'sqlite' },
  },
  { name: 'table created in the same migration', sql: 'CREATE TABLE tmp (id int);\nINSERT INTO tmp VALUES (1);\nDROP TABLE tmp;' },
  { name: 'table created IF NOT EXISTS in the same migration', sql: 'CREATE TABLE IF NOT EXISTS tmp (id int);\nDROP TABLE tmp;' },
  { name: 'temporary table created in the same migration', sql: 'CREATE TEMP TABLE tmp (id int);\nDROP TABLE tmp;' },
  { name: 'table created with CREATE TABLE AS in the same migration', sql: 'CREATE TABLE snapshot AS SELECT * FROM users;\nDROP TABLE snapshot;' },
  { name: 'table created and renamed in the same migration', sql: 'CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;\nDROP TABLE b;' },
  { name: 'schema-qualified create, unqualified drop (public)', sql: 'CREATE TABLE public.tmp (id int);\nDROP TABLE tmp;' },
  { name: 'DROP TABLE in a line comment', sql: '-- DROP TABLE users;\nSELECT 1;' },
  { name: 'DROP TABLE in a block comment', sql: '/* DROP TABLE users; */\nSELECT 1;' },
  { name: 'DROP TABLE in a string literal', sql: "SELECT 'DROP TABLE users;';\nINSERT INTO log (msg) VALUES ('we DROP TABLE users; here');" },
  {
    name: 'DROP TABLE in a $$ function body',
    sql: 'CREATE FUNCTION purge() RETURNS void AS $$\nBEGIN\n  DROP TABLE users;\nEND\n$$ LANGUAGE plpgsql;',
  },
  { name: 'other objects: views, indexes, sequences', sql: 'DROP VIEW v;\nDROP MATERIALIZED VIEW mv;\nDROP INDEX i;\nDROP SEQUENCE s;' },
  {
    name: 'a down that drops the table its up created',
    migrations: [{ name: '001_create.sql', up: 'CREATE TABLE a (id int);', down: 'DROP TABLE a;' }],
  },
  {
    name: 'a dbmate down that drops the table its up created',
    migrations: [{ name: '001_create.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE IF EXISTS a CASCADE;\n' }],
  },
  {
    name: 'the rebuild pattern: copy into a new table, drop the old one',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE t (id int, name text);' },
      { name: '002_rebuild.sql', up: 'CREATE TABLE t_new (id int, name text);\nINSERT INTO t_new (id, name) SELECT id, name FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;' },
    ],
  },
  { name: 'DROP SCHEMA without CASCADE is refused while it holds anything', sql: 'DROP SCHEMA legacy;\nDROP SCHEMA IF EXISTS old RESTRICT;' },
  { name: 'DROP SCHEMA ... CASCADE of a schema created in the same migration', sql: 'CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\nDROP SCHEMA app CASCADE;' },
  {
    name: 'a down that drops the schema its up created',
    migrations: [{ name: '001_create.sql', up: 'CREATE SCHEMA AUTHORIZATION app;\nCREATE TABLE app.t (id int);', down: 'DROP SCHEMA app CASCADE;' }],
  },
  { name: 'suppressed with disable-next-line', sql: '-- migralint-disable-next-line no-drop-table\nDROP TABLE users;' },
  { name: 'suppressed with a reason after --', sql: '-- migralint-disable-next-line no-drop-table -- archived in TICKET-12\nDROP TABLE users;' },
  { name: 'suppressed for the whole file', sql: '-- migralint-disable no-drop-table\nSELECT 1;\nDROP TABLE a;\nDROP TABLE b;' },
  { name: 'turned off in the config', sql: 'DROP TABLE users;', options: { config: { rules: { [RULE]: 'off' } } } },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
