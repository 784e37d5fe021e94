import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-lock-timeout';

const mustFire: Case[] = [
  { name: 'ALTER TABLE on an existing table, reported once', sql: 'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;', expect: [[RULE, 1, 19, 1, 35]], message: 'ACCESS EXCLUSIVE lock on "users"' },
  { name: 'CREATE INDEX takes SHARE', sql: 'SELECT 1;\nCREATE INDEX i ON users (a);', expect: [[RULE, 2, 1]], message: 'SHARE lock' },
  { name: 'a zero timeout does not count', sql: 'SET lock_timeout = 0;\nALTER TABLE t DROP COLUMN a;', expect: [[RULE, 2, 15]] },
  { name: 'RESET undoes it', sql: "SET lock_timeout = '5s';\nRESET lock_timeout;\nALTER TABLE t DROP COLUMN a;", expect: [[RULE, 3, 15]] },
  { name: 'LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE blocks writes', sql: 'LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE;', expect: [[RULE, 1, 1]], message: 'This takes a SHARE ROW EXCLUSIVE lock on "accounts" with no lock_timeout set' },
  { name: 'DROP INDEX of an index the chain never saw: its (existing) table', sql: 'DROP INDEX users_email;', expect: [[RULE, 1, 1]], message: 'an ACCESS EXCLUSIVE lock on the table of index "users_email"' },
  { name: 'REINDEX (CONCURRENTLY false) INDEX', sql: 'REINDEX (CONCURRENTLY false) INDEX users_email;', expect: [[RULE, 1, 1]], message: 'a SHARE lock on the table of index "users_email"' },
  { name: 'LOCK TABLE without a mode is ACCESS EXCLUSIVE', sql: 'LOCK accounts;', expect: [[RULE, 1, 1]], message: 'an ACCESS EXCLUSIVE lock on "accounts"' },
];

const mustNotFire: Case[] = [
  { name: 'SET before', sql: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a int;" },
  { name: 'SET LOCAL before', sql: 'BEGIN;\nSET LOCAL lock_timeout TO 5000;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);' },
  { name: 'non-blocking operations', sql: 'CREATE INDEX CONCURRENTLY i ON users (a);\nALTER TABLE users VALIDATE CONSTRAINT c;' },
  { name: 'SQLite', sql: 'ALTER TABLE users ADD COLUMN a int;', options: { dialect: 'sqlite' } },
  { name: 'DROP INDEX of an index this migration built on its new table', sql: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;' },
  { name: 'DROP INDEX CONCURRENTLY / REINDEX CONCURRENTLY of an unknown index', sql: 'DROP INDEX CONCURRENTLY users_email;\nREINDEX INDEX CONCURRENTLY users_name;' },
  { name: 'LOCK TABLE in a mode that blocks nothing a client does', sql: 'LOCK TABLE accounts IN ROW EXCLUSIVE MODE;\nLOCK TABLE accounts IN ACCESS SHARE MODE;' },
];

/** The rule is opt-in (off by default): every row turns it on, as a user's config would. */
const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));
});
