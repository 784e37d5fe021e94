import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-rename-table';

const mustFire: Case[] = [
  { name: 'Postgres', sql: 'ALTER TABLE users RENAME TO accounts;', expect: [[RULE, 1, 1, 1, 37]], message: 'Renaming table "users" to "accounts"' },
  { name: 'MySQL RENAME TABLE', sql: 'RENAME TABLE users TO accounts;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 14]] },
  { name: 'SQLite', sql: 'ALTER TABLE users RENAME TO accounts;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19]] },
];

const mustNotFire: Case[] = [
  { name: 'table created in the same migration', sql: 'CREATE TABLE tmp (a int);\nALTER TABLE tmp RENAME TO t2;' },
  {
    name: 'the SQLite rebuild: new table renamed over the old one',
    sql: 'CREATE TABLE new_t (a int);\nINSERT INTO new_t SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;',
    options: { dialect: 'sqlite' },
  },
  {
    name: 'the rename-first rebuild: the old name is created again',
    sql: 'ALTER TABLE users RENAME TO _users_old;\nCREATE TABLE users (id integer);\nINSERT INTO users (id) SELECT id FROM _users_old;\nDROP TABLE _users_old;',
    options: { dialect: 'sqlite' },
  },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
