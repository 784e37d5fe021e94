import { describe, expect, it } from 'vitest';
import { applyRuleFixes, expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'prefer-robust-stmts';

// A migration of one statement is atomic (it is not reported): rows start with another statement.
const mustFire: Case[] = [
  { name: 'CREATE TABLE', sql: 'SELECT 1;\nCREATE TABLE t (id int);', expect: [[RULE, 2, 1, 2, 24]], message: 'CREATE TABLE without IF NOT EXISTS' },
  { name: 'ADD COLUMN and DROP COLUMN in one ALTER TABLE', sql: 'SELECT 1;\nALTER TABLE users\n  ADD COLUMN x int,\n  DROP COLUMN y;', expect: [[RULE, 3, 3], [RULE, 4, 3]], message: ['ADD COLUMN without IF NOT EXISTS', 'DROP COLUMN without IF EXISTS'] },
  { name: 'CREATE INDEX CONCURRENTLY with a name, even alone (it commits in phases)', sql: 'CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);', expect: [[RULE, 1, 1]] },
  { name: 'DROP TABLE of two tables: one finding', sql: 'SELECT 1;\nDROP TABLE a, b;', expect: [[RULE, 2, 1]], message: 'DROP TABLE without IF EXISTS' },
  { name: 'DROP INDEX, DROP SCHEMA, CREATE SCHEMA', sql: 'DROP INDEX i;\nDROP SCHEMA s;\nCREATE SCHEMA s2;', expect: [[RULE, 1, 1], [RULE, 2, 1], [RULE, 3, 1]] },
  { name: 'DROP CONSTRAINT', sql: 'SELECT 1;\nALTER TABLE users DROP CONSTRAINT users_x_check;', expect: [[RULE, 2, 19]], message: 'DROP CONSTRAINT without IF EXISTS' },
  { name: 'CREATE SEQUENCE, CREATE EXTENSION, DROP VIEW, DROP TYPE', sql: 'CREATE SEQUENCE s;\nCREATE EXTENSION pgcrypto;\nDROP VIEW v;\nDROP TYPE mood;', expect: [[RULE, 1, 1], [RULE, 2, 1], [RULE, 3, 1], [RULE, 4, 1]] },
  { name: 'ALTER TABLE RENAME TO and SET SCHEMA', sql: 'ALTER TABLE a RENAME TO b;\nALTER TABLE c SET SCHEMA archive;', expect: [[RULE, 1, 1], [RULE, 2, 1]], message: ['ALTER TABLE ... RENAME TO without IF EXISTS', 'ALTER TABLE ... SET SCHEMA without IF EXISTS'] },
  { name: 'RENAME COLUMN (no fix: no IF EXISTS form)', sql: 'SELECT 1;\nALTER TABLE a RENAME COLUMN x TO y;', expect: [[RULE, 2, 1]], message: 'RENAME COLUMN "x" has no IF EXISTS form' },
  { name: 'ADD CONSTRAINT without a DROP CONSTRAINT IF EXISTS before it', sql: 'SELECT 1;\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;', expect: [[RULE, 2, 19]], message: 'ADD CONSTRAINT "users_email_key" has no IF NOT EXISTS form' },
  { name: 'a second ADD CONSTRAINT of the name after the drop', sql: 'ALTER TABLE e DROP CONSTRAINT IF EXISTS u;\nALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;\nALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;', expect: [[RULE, 3, 15]] },
  { name: 'CREATE TEMP TABLE (a retry may reuse the session)', sql: 'SELECT 1;\nCREATE TEMPORARY TABLE scratch (id int);', expect: [[RULE, 2, 1]] },
  { name: 'after a COMMIT the rest runs outside the transaction', sql: 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);', expect: [[RULE, 4, 1]] },
  { name: 'SQLite CREATE TABLE and DROP INDEX', sql: 'CREATE TABLE t (id integer);\nDROP INDEX i;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 1], [RULE, 2, 1]] },
  // MySQL commits each DDL statement: a framework transaction does not make the migration re-runnable.
  { name: 'MySQL, even in a framework transaction', migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (id int);\nDROP TABLE old_t;', down: 'SELECT 1;\nDROP TABLE t;' }], options: { dialect: 'mysql' }, expect: [[RULE, 2, 1], [RULE, 1, 1], [RULE, 2, 1]], message: ['DROP TABLE', 'CREATE TABLE', 'DROP TABLE'] },
  { name: 'keyword case and comments between keywords', sql: 'SELECT 1;\ncreate /* new */ table t (id int);', expect: [[RULE, 2, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'IF NOT EXISTS / IF EXISTS everywhere', sql: 'CREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS x int, DROP COLUMN IF EXISTS y, DROP CONSTRAINT IF EXISTS c;\nCREATE INDEX IF NOT EXISTS i ON t (x);\nDROP INDEX IF EXISTS j;\nDROP TABLE IF EXISTS old;\nCREATE SEQUENCE IF NOT EXISTS s;\nDROP VIEW IF EXISTS v;\nALTER TABLE IF EXISTS a RENAME TO b;' },
  { name: 'a migration of one statement (atomic)', sql: 'CREATE TABLE t (id int);' },
  { name: 'in an explicit transaction', sql: 'BEGIN;\nCREATE TABLE t (id int);\nDROP TABLE old;\nCOMMIT;' },
  { name: 'in a framework transaction (dbmate)', migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);', down: 'DROP TABLE u;\nDROP TABLE t;' }] },
  { name: 'a golang-migrate file of several statements (one implicit transaction)', migrations: [{ name: '1_a.up.sql', up: 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);', format: 'golang-migrate' }] },
  { name: 'an unnamed CREATE INDEX (IF NOT EXISTS needs the name)', sql: 'SELECT 1;\nCREATE INDEX ON users (email);' },
  { name: 'CREATE TEMP TABLE ... ON COMMIT DROP (gone with the failed attempt)', sql: 'SELECT 1;\nCREATE TEMP TABLE scratch (id int) ON COMMIT DROP;' },
  { name: 'ADD CONSTRAINT after DROP CONSTRAINT IF EXISTS of the same name', sql: 'ALTER TABLE e DROP CONSTRAINT IF EXISTS fk_user;\nALTER TABLE e ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
  { name: 'statements that re-run as they are (SET NOT NULL, SET DEFAULT, SELECT, INSERT)', sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;\nALTER TABLE t ALTER COLUMN c SET DEFAULT 0;\nSELECT 1;\nINSERT INTO t VALUES (1);' },
  { name: 'SQLite ADD COLUMN (no IF NOT EXISTS there)', sql: 'SELECT 1;\nALTER TABLE t ADD COLUMN x integer;', options: { dialect: 'sqlite' } },
  { name: 'MySQL CREATE INDEX and ADD COLUMN (MariaDB-only clauses)', sql: 'CREATE INDEX i ON t (a);\nALTER TABLE t ADD COLUMN x int;', options: { dialect: 'mysql' } },
  { name: 'in a comment', sql: '-- CREATE TABLE t (id int);\nSELECT 1;\nSELECT 2;' },
];

/** The rule is opt-in (off by default): every row turns it on, as a user's config would. */
const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));

  it('its fixes are safe and insert the clause after the leading keywords', async () => {
    const c = on({ name: 'all', sql: 'create /* new */ table t (id int);\nALTER TABLE users\n  ADD x int,\n  DROP COLUMN y;\nDROP INDEX CONCURRENTLY i;\nDROP TABLE a, b;' });
    const { migrations, applied } = await applyRuleFixes(RULE, c);
    expect(applied).toBe(5);
    expect(migrations[0]!.up).toBe('create /* new */ table IF NOT EXISTS t (id int);\nALTER TABLE users\n  ADD IF NOT EXISTS x int,\n  DROP COLUMN IF EXISTS y;\nDROP INDEX CONCURRENTLY IF EXISTS i;\nDROP TABLE IF EXISTS a, b;');
  });
});
