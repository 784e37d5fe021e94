import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-concurrent-index-drop';

const mustFire: Case[] = [
  { name: 'DROP INDEX of an index that predates the chain', sql: 'DROP INDEX users_email_idx;', expect: [[RULE, 1, 1, 1, 27]], message: 'DROP INDEX "users_email_idx" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock' },
  {
    name: 'names the table when the chain built the index',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);' },
      { name: '002_b.sql', up: 'SELECT 1;\nDROP INDEX IF EXISTS users_email_idx;' },
    ],
    expect: [[RULE, 2, 1]],
    message: 'lock on "users"',
    file: 'migrations/002_b.sql',
  },
  { name: 'dbmate help names the no-transaction header', migrations: [{ name: '001_a.sql', up: 'DROP INDEX a_idx;', down: null }], expect: [[RULE, 1, 1]], help: '-- migrate:up transaction:false' },
];

const mustNotFire: Case[] = [
  { name: 'DROP INDEX CONCURRENTLY', sql: 'DROP INDEX CONCURRENTLY users_email_idx;' },
  { name: 'index created in the same migration', sql: 'CREATE INDEX CONCURRENTLY t_idx ON t (a);\nDROP INDEX t_idx;' },
  { name: 'index of a table created in the same migration', sql: 'CREATE TABLE t (a int);\nCREATE INDEX t_idx ON t (a);\nDROP INDEX t_idx;' },
  { name: 'in a comment', sql: '-- DROP INDEX x;\nSELECT 1;' },
  { name: 'MySQL', sql: 'DROP INDEX idx ON users;', options: { dialect: 'mysql' } },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
