import { describe, expect, it } from 'vitest';
import { expectFires, expectSilent, findingsOf, type Case } from '../helpers/lint-sql.js';

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
  {
    name: 'renamed away and back in one migration (Drizzle SQLite output)',
    sql: 'ALTER TABLE `section` RENAME TO `__section_old`;\nALTER TABLE `__section_old` RENAME TO `section`;',
    options: { dialect: 'sqlite' },
  },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

/** Findings in the down file only: the up's own rename is reported as usual. */
async function inDown(c: Case): Promise<[number, number][]> {
  return (await findingsOf(RULE, c)).filter((f) => f.file.endsWith('.down.sql')).map((f) => [f.line, f.column]);
}

describe(`${RULE} in downs`, () => {
  it('a down undoing its up rename is silent', async () =>
    expect(await inDown({ name: 'down', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE mod_add RENAME TO admin_add;', down: 'ALTER TABLE admin_add RENAME TO mod_add;' }] })).toEqual([]));
  it('a down renaming a table to a name it did not have before the up fires', async () =>
    expect(await inDown({ name: 'down', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE mod_add RENAME TO admin_add;', down: 'ALTER TABLE admin_add RENAME TO moderator_add;' }] })).toEqual([[1, 1]]));
});
