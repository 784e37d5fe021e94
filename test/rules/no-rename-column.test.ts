import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-rename-column';

const mustFire: Case[] = [
  { name: 'Postgres RENAME COLUMN', sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;', expect: [[RULE, 1, 1, 1, 55]], message: 'Renaming "users"."email" to "email_address"' },
  { name: 'SQLite', sql: 'ALTER TABLE users RENAME COLUMN a TO b;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19]] },
  { name: 'MySQL RENAME COLUMN', sql: 'ALTER TABLE users RENAME COLUMN a TO b;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 19]] },
  { name: 'table from an earlier migration', migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (a int);' }, { name: '002_b.sql', up: 'ALTER TABLE t RENAME a TO b;' }], expect: [[RULE, 1, 1]], file: 'migrations/002_b.sql' },
];

const mustNotFire: Case[] = [
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;' },
  { name: 'column added in the same migration', sql: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users RENAME COLUMN tmp TO score;' },
  { name: 'renaming a table is another rule', sql: 'ALTER TABLE a RENAME TO b;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
