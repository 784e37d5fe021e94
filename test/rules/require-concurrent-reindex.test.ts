import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-concurrent-reindex';

const mustFire: Case[] = [
  { name: 'REINDEX INDEX', sql: 'REINDEX INDEX users_email_idx;', expect: [[RULE, 1, 1, 1, 30]], message: 'REINDEX index "users_email_idx" without CONCURRENTLY' },
  { name: 'REINDEX TABLE', sql: 'SELECT 1;\nREINDEX TABLE users;', expect: [[RULE, 2, 1, 2, 20]] },
  { name: 'REINDEX DATABASE', sql: 'REINDEX DATABASE app;', expect: [[RULE, 1, 1]] },
  { name: 'Postgres 11 gets the rebuild-and-swap advice', sql: 'REINDEX TABLE users;', options: { config: { postgresVersion: 11 } }, expect: [[RULE, 1, 1]], message: 'Postgres 11 has no REINDEX CONCURRENTLY', help: 'CREATE INDEX CONCURRENTLY' },
];

const mustNotFire: Case[] = [
  { name: 'REINDEX CONCURRENTLY', sql: 'REINDEX INDEX CONCURRENTLY users_email_idx;' },
  { name: 'REINDEX (CONCURRENTLY) option list', sql: 'REINDEX (VERBOSE, CONCURRENTLY) TABLE users;' },
  { name: 'REINDEX SYSTEM cannot be concurrent', sql: 'REINDEX SYSTEM app;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nREINDEX TABLE t;' },
  { name: 'in a string', sql: "SELECT 'REINDEX TABLE users';" },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
