import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-volatile-default';

const mustFire: Case[] = [
  { name: 'gen_random_uuid()', sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', expect: [[RULE, 1, 19, 1, 66]], message: 'Adding "users"."token" with a value computed for each row' },
  { name: 'a serial column', sql: 'ALTER TABLE users ADD COLUMN n serial;', expect: [[RULE, 1, 19]] },
  { name: 'an identity column', sql: 'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;', expect: [[RULE, 1, 19]] },
  { name: 'a constant default before Postgres 11', sql: "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';", options: { config: { postgresVersion: 10 } }, expect: [[RULE, 1, 19]], message: 'before Postgres 11' },
  {
    name: 'MySQL 5.7: any ADD COLUMN rebuilds the table',
    sql: 'ALTER TABLE t ADD COLUMN c int;',
    options: { dialect: 'mysql', config: { mysqlVersion: '5.7' } },
    expect: [[RULE, 1, 15]],
    message: 'Adding "t"."c" on MySQL 5.7 rebuilds the table: instant ADD COLUMN exists only from MySQL 8.0.12',
  },
  { name: 'MySQL 8.0.11: one release too early', sql: 'ALTER TABLE t ADD COLUMN c int;', options: { dialect: 'mysql', config: { mysqlVersion: '8.0.11' } }, expect: [[RULE, 1, 15]] },
  { name: 'MariaDB 10.2', sql: 'ALTER TABLE t ADD COLUMN c int;', options: { dialect: 'mysql', config: { mysqlVersion: '10.2' } }, expect: [[RULE, 1, 15]], message: 'exists only from MariaDB 10.3.2' },
  { name: 'MySQL 8.0.28: AFTER rebuilds (instant only at the end before 8.0.29)', sql: 'ALTER TABLE t ADD COLUMN c int AFTER b;', options: { dialect: 'mysql', config: { mysqlVersion: '8.0.28' } }, expect: [[RULE, 1, 15]], message: 'at a chosen position (FIRST/AFTER) on MySQL 8.0.28 rebuilds the table' },
  { name: 'MariaDB 10.3: FIRST rebuilds', sql: 'ALTER TABLE t ADD COLUMN c int FIRST;', options: { dialect: 'mysql', config: { mysqlVersion: '10.3.7' } }, expect: [[RULE, 1, 15]], message: 'before MariaDB 10.4' },
  { name: 'MySQL, every version: AUTO_INCREMENT copies the table', sql: 'ALTER TABLE t ADD COLUMN n bigint AUTO_INCREMENT UNIQUE;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 15]], message: 'ALGORITHM=COPY' },
  { name: 'MySQL, every version: a STORED generated column copies the table', sql: 'ALTER TABLE t ADD COLUMN g int AS (a + 1) STORED;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 15]], message: 'ALGORITHM=COPY' },
  {
    name: 'a function an earlier migration created without IMMUTABLE or STABLE: VOLATILE, said for certain',
    migrations: [
      { name: '001_fn.sql', up: "CREATE OR REPLACE FUNCTION now_utc_micro_seconds() RETURNS bigint AS $$ SELECT CAST(extract(epoch FROM now()) * 1000000 AS bigint) $$ LANGUAGE SQL;" },
      { name: '002_col.sql', up: 'ALTER TABLE events ADD COLUMN created_at bigint NOT NULL DEFAULT now_utc_micro_seconds();' },
    ],
    file: 'migrations/002_col.sql',
    expect: [[RULE, 1, 20]],
    message: 'DEFAULT now_utc_micro_seconds(...): now_utc_micro_seconds is VOLATILE as migration 001_fn declares it (a CREATE FUNCTION without IMMUTABLE or STABLE is VOLATILE)',
  },
  {
    name: 'a function declared IMMUTABLE, then made VOLATILE by ALTER FUNCTION',
    migrations: [
      { name: '001_fn.sql', up: "CREATE FUNCTION public.default_plan() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'free' $$;" },
      { name: '002_alter.sql', up: 'ALTER FUNCTION default_plan() VOLATILE;' },
      { name: '003_col.sql', up: 'ALTER TABLE accounts ADD COLUMN plan text DEFAULT default_plan();' },
    ],
    file: 'migrations/003_col.sql',
    expect: [[RULE, 1, 22]],
    message: 'DEFAULT default_plan(...): default_plan is VOLATILE as migration 002_alter declares it, so Postgres evaluates it for every row',
  },
];

const mustNotFire: Case[] = [
  { name: 'constant default on Postgres 11+', sql: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';" },
  { name: 'now() is stable', sql: 'ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT now();' },
  { name: 'DEFAULT NULL', sql: 'ALTER TABLE users ADD COLUMN n int DEFAULT NULL;', options: { config: { postgresVersion: 10 } } },
  { name: 'no default', sql: 'ALTER TABLE users ADD COLUMN token uuid;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();' },
  { name: 'volatile default in CREATE TABLE', sql: 'CREATE TABLE t (id uuid DEFAULT gen_random_uuid());' },
  { name: 'MySQL 8.4 (default): ADD COLUMN is instant', sql: 'ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;', options: { dialect: 'mysql' } },
  { name: 'MySQL 8.0.12: instant from this release', sql: 'ALTER TABLE t ADD COLUMN c int;', options: { dialect: 'mysql', config: { mysqlVersion: '8.0.12' } } },
  { name: 'MySQL 5.7: a VIRTUAL generated column is metadata only', sql: 'ALTER TABLE t ADD COLUMN g int AS (a + 1) VIRTUAL;', options: { dialect: 'mysql', config: { mysqlVersion: '5.7' } } },
  { name: 'MySQL 8.0.29: any position is instant', sql: 'ALTER TABLE t ADD COLUMN c int AFTER b;', options: { dialect: 'mysql', config: { mysqlVersion: '8.0.29' } } },
  { name: 'MySQL 8.0.28: at the end, and a column named first', sql: 'ALTER TABLE t ADD COLUMN first int, ADD COLUMN after_x text DEFAULT \'AFTER b\';', options: { dialect: 'mysql', config: { mysqlVersion: '8.0.28' } } },
  { name: 'MariaDB 10.3.2: instant', sql: 'ALTER TABLE t ADD COLUMN c int;', options: { dialect: 'mysql', config: { mysqlVersion: '10.3.2' } } },
  { name: 'MySQL 5.7: a table created in the migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN c int;', options: { dialect: 'mysql', config: { mysqlVersion: '5.7' } } },
  {
    name: 'a function the chain created IMMUTABLE or STABLE (or made so by ALTER FUNCTION): one value for the whole ADD COLUMN',
    migrations: [
      { name: '001_fn.sql', up: "CREATE FUNCTION default_plan() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'free' $$;\nCREATE FUNCTION app.tenant() RETURNS text AS $$ SELECT current_setting('app.tenant') $$ LANGUAGE sql STABLE;\nCREATE FUNCTION later_fixed() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\nALTER FUNCTION later_fixed() IMMUTABLE;" },
      { name: '002_col.sql', up: 'ALTER TABLE accounts ADD COLUMN plan text DEFAULT default_plan(), ADD COLUMN tenant text DEFAULT app.tenant(), ADD COLUMN n int DEFAULT later_fixed();' },
    ],
  },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

describe(`${RULE}: functions it does not know`, () => {
  it('a user function may be volatile', () =>
    expectFires(RULE, { name: 'fn', sql: 'ALTER TABLE r ADD COLUMN foo jsonb DEFAULT myjsonb();', expect: [[RULE, 1, 15]], message: 'DEFAULT myjsonb(...): unless myjsonb is immutable or stable' }));
  it('known stable built-ins are fine', () => expectSilent(RULE, { name: 'lower', sql: "ALTER TABLE r ADD COLUMN foo text DEFAULT lower('A');" }));
});
