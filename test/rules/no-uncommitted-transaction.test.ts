import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-uncommitted-transaction';

const mustFire: Case[] = [
  { name: 'plain SQL: BEGIN without COMMIT', sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;', expect: [[RULE, 1, 1, 1, 6]], message: 'This BEGIN is never committed' },
  { name: 'the second transaction is left open', sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;', expect: [[RULE, 4, 1]] },
  { name: 'golang-migrate down file', migrations: [{ name: '1_a.up.sql', format: 'golang-migrate', up: 'BEGIN;\nSELECT 1;\nCOMMIT;', down: 'BEGIN;\nDROP TABLE x;' }], expect: [[RULE, 1, 1]], file: 'migrations/1_a.down.sql' },
  { name: 'MySQL START TRANSACTION', sql: 'START TRANSACTION;\nUPDATE t SET a = 1 WHERE id = 1;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]] },
  { name: 'SQLite', sql: 'BEGIN;\nCREATE TABLE x (a int);', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'BEGIN ... COMMIT', sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;' },
  { name: 'BEGIN ... ROLLBACK', sql: 'BEGIN;\nSELECT 1;\nROLLBACK;' },
  { name: 'no transaction at all', sql: 'ALTER TABLE t ADD COLUMN a int;' },
  { name: 'a wrapped migration: the framework commits (the BEGIN is no-transaction-nesting)', migrations: [{ name: '001_a.sql', text: '-- migrate:up\nBEGIN;\nSELECT 1;\n-- migrate:down\n' }] },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
