import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-drop-column';

const mustFire: Case[] = [
  { name: 'DROP COLUMN: the finding is on the sub-command', sql: 'ALTER TABLE users DROP COLUMN email;', expect: [[RULE, 1, 19, 1, 36]], message: 'Dropping column "email" of "users" deletes its data.' },
  { name: 'CASCADE is called out', sql: 'ALTER TABLE users DROP COLUMN email CASCADE;', expect: [[RULE, 1, 19, 1, 44]], message: "CASCADE also drops the views and other tables' foreign keys" },
  { name: 'IF EXISTS still drops the data', sql: 'ALTER TABLE users DROP COLUMN IF EXISTS email;', expect: [[RULE, 1, 19, 1, 46]] },
  { name: 'DROP without the COLUMN keyword', sql: 'ALTER TABLE users DROP email;', expect: [[RULE, 1, 19, 1, 29]] },
  {
    name: 'multi-subcommand ALTER TABLE: each drop on its own sub-command',
    sql: 'ALTER TABLE users ADD COLUMN a int, DROP COLUMN b, DROP COLUMN c;',
    expect: [[RULE, 1, 37, 1, 50], [RULE, 1, 52, 1, 65]],
    message: ['"b"', '"c"'],
  },
  { name: 'ONLY and a quoted schema-qualified name', sql: 'ALTER TABLE ONLY "billing"."Invoices" DROP COLUMN total;', expect: [[RULE, 1, 39, 1, 56]], message: '"billing.Invoices"' },
  { name: 'multi-line ALTER TABLE with CRLF line endings', sql: 'ALTER TABLE users\r\n  ADD COLUMN a int,\r\n  DROP COLUMN b;\r\n', expect: [[RULE, 3, 3, 3, 16]] },
  { name: 'after a multi-byte UTF-8 character in the same statement', sql: "ALTER TABLE t ADD COLUMN x text DEFAULT 'é😀', DROP COLUMN b;", expect: [[RULE, 1, 48, 1, 61]] },
  { name: 'several statements on one line', sql: 'ALTER TABLE a DROP COLUMN x; ALTER TABLE b DROP COLUMN y;', expect: [[RULE, 1, 15, 1, 28], [RULE, 1, 44, 1, 57]] },
  {
    name: 'table created in an EARLIER migration is an existing table',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int, email text);' },
      { name: '002_drop.sql', up: 'ALTER TABLE users DROP COLUMN email;' },
    ],
    expect: [[RULE, 1, 19, 1, 36]],
    file: 'migrations/002_drop.sql',
  },
  {
    name: 'column added in an EARLIER migration holds data by now',
    migrations: [
      { name: '001_add.sql', up: 'ALTER TABLE users ADD COLUMN nickname text;' },
      { name: '002_drop.sql', up: 'ALTER TABLE users DROP COLUMN nickname;' },
    ],
    expect: [[RULE, 1, 19, 1, 39]],
  },
  {
    name: 'a rebuild that leaves a column out of the copy',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE t (id int, name text, legacy text);' },
      {
        name: '002_rebuild.sql',
        up: 'CREATE TABLE t_new (id int, name text);\nINSERT INTO t_new (id, name) SELECT id, name FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;',
      },
    ],
    expect: [[RULE, 2, 1, 2, 52]],
    message: 'leaves out column "legacy"',
  },
  {
    name: 'a down that drops a column its up did not add',
    migrations: [{ name: '001_add.sql', up: 'ALTER TABLE users ADD COLUMN a int;', down: 'ALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN b;' }],
    expect: [[RULE, 2, 19, 2, 32]],
    message: '"b"',
    file: 'migrations/001_add.down.sql',
  },
  {
    name: 'a suppression naming another rule above a multi-line statement',
    sql: '-- migralint-disable-next-line no-drop-table\nALTER TABLE t\n  DROP COLUMN b;',
    expect: [
      ['unused-disable', 1, 1],
      [RULE, 3, 3, 3, 16],
    ],
  },
  { name: 'SQLite', sql: 'ALTER TABLE users DROP COLUMN email;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19, 1, 36]] },
  {
    name: 'the reorder pattern with an UPDATE that copies only some rows, or a value that is not the column',
    sql: 'ALTER TABLE local_site ADD COLUMN actor_name_max_length_new integer DEFAULT 20, ADD COLUMN captcha_enabled_new boolean DEFAULT FALSE;\nUPDATE local_site SET actor_name_max_length_new = actor_name_max_length WHERE id = 1;\nUPDATE local_site SET captcha_enabled_new = NOT captcha_enabled;\nALTER TABLE local_site DROP COLUMN actor_name_max_length, DROP COLUMN captcha_enabled;\nALTER TABLE local_site RENAME COLUMN actor_name_max_length_new TO actor_name_max_length;\nALTER TABLE local_site RENAME COLUMN captcha_enabled_new TO captcha_enabled;',
    expect: [[RULE, 4, 24], [RULE, 4, 59]],
  },
];

const mustNotFire: Case[] = [
  {
    name: 'columns re-created in a new order: copied by an UPDATE of every row, dropped, the copy renamed into place',
    sql: 'ALTER TABLE local_site ADD COLUMN actor_name_max_length_new integer DEFAULT 20, ADD COLUMN captcha_enabled_new boolean DEFAULT FALSE;\nUPDATE local_site SET (actor_name_max_length_new, captcha_enabled_new) = (actor_name_max_length, captcha_enabled);\nALTER TABLE local_site DROP COLUMN actor_name_max_length, DROP COLUMN captcha_enabled;\nALTER TABLE local_site RENAME COLUMN actor_name_max_length_new TO actor_name_max_length;\nALTER TABLE local_site RENAME COLUMN captcha_enabled_new TO captcha_enabled;',
  },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int, tmp int);\nALTER TABLE t DROP COLUMN tmp;' },
  { name: 'column added in the same migration', sql: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;' },
  { name: 'column added and dropped in one statement', sql: 'ALTER TABLE users ADD COLUMN tmp int, DROP COLUMN tmp;' },
  {
    name: 'a down that drops the column its up added',
    migrations: [{ name: '001_add.sql', up: 'ALTER TABLE users ADD COLUMN a int;', down: 'ALTER TABLE users DROP COLUMN a;' }],
  },
  {
    name: 'a dbmate down that drops the column its up added',
    migrations: [{ name: '001_add.sql', text: '-- migrate:up\nALTER TABLE users ADD COLUMN a int;\n-- migrate:down\nALTER TABLE users DROP COLUMN IF EXISTS a;\n' }],
  },
  {
    name: 'a rebuild that copies every column',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE t (id int, name text);' },
      { name: '002_rebuild.sql', up: 'CREATE TABLE t_new (id int, name text);\nINSERT INTO t_new (id, name) SELECT id, name FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;' },
    ],
  },
  {
    name: 'a rebuild that copies with SELECT *',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE t (id int, name text);' },
      { name: '002_rebuild.sql', up: 'CREATE TABLE t_new (id int, name text);\nINSERT INTO t_new SELECT * FROM t;\nDROP TABLE t;' },
    ],
  },
  { name: 'DROP COLUMN in comments and string literals', sql: "-- ALTER TABLE users DROP COLUMN email;\n/* DROP COLUMN x */\nSELECT 'ALTER TABLE users DROP COLUMN email';" },
  { name: 'DROP COLUMN in a $$ function body', sql: "CREATE FUNCTION f() RETURNS void AS $$ BEGIN ALTER TABLE users DROP COLUMN email; END $$ LANGUAGE plpgsql;" },
  { name: 'dropping a constraint, a default or NOT NULL', sql: 'ALTER TABLE users DROP CONSTRAINT users_email_key, ALTER COLUMN a DROP DEFAULT, ALTER COLUMN b DROP NOT NULL;' },
  { name: 'renaming a column', sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;' },
  { name: 'suppressed above a multi-line statement (finding on a later line)', sql: '-- migralint-disable-next-line no-drop-column\nALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b;' },
  { name: 'suppressed for the whole file', sql: '-- migralint-disable no-drop-column\nALTER TABLE t DROP COLUMN a;\nALTER TABLE u DROP COLUMN b;' },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
