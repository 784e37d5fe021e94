import { describe, expect, it } from 'vitest';
import { expectFires, expectSilent, findingsOf, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-rename-column';

const mustFire: Case[] = [
  { name: 'Postgres RENAME COLUMN', sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;', expect: [[RULE, 1, 1, 1, 55]], message: 'Renaming "users"."email" to "email_address"' },
  { name: 'SQLite', sql: 'ALTER TABLE users RENAME COLUMN a TO b;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19]] },
  { name: 'MySQL RENAME COLUMN', sql: 'ALTER TABLE users RENAME COLUMN a TO b;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 19]] },
  { name: 'renamed back, then renamed again to a new name', sql: 'ALTER TABLE t RENAME a TO b;\nALTER TABLE t RENAME b TO a;\nALTER TABLE t RENAME a TO c;', expect: [[RULE, 3, 1]] },
  { name: 'table from an earlier migration', migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (a int);' }, { name: '002_b.sql', up: 'ALTER TABLE t RENAME a TO b;' }], expect: [[RULE, 1, 1]], file: 'migrations/002_b.sql' },
];

const mustNotFire: Case[] = [
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;' },
  { name: 'column added in the same migration', sql: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users RENAME COLUMN tmp TO score;' },
  { name: 'renamed and renamed back in one migration', sql: 'ALTER TABLE t RENAME COLUMN a TO a_tmp;\nALTER TABLE t RENAME COLUMN a_tmp TO a;' },
  { name: 'renaming a table is another rule', sql: 'ALTER TABLE a RENAME TO b;' },
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
  it('a down undoing its up rename (diesel-style up.sql/down.sql) is silent', async () =>
    expect(await inDown({ name: 'down', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE person RENAME COLUMN actor_id TO ap_id;', down: 'ALTER TABLE person RENAME ap_id TO actor_id;' }] })).toEqual([]));
  it('a down undoing a rename of a column whose table the up renamed too is silent', async () =>
    expect(
      await inDown({
        name: 'down',
        migrations: [{
          name: '001_a.sql',
          up: 'ALTER TABLE user_ban RENAME TO person_ban;\nALTER TABLE person_ban RENAME COLUMN user_id TO person_id;',
          down: 'ALTER TABLE person_ban RENAME COLUMN person_id TO user_id;\nALTER TABLE person_ban RENAME TO user_ban;',
        }],
      }),
    ).toEqual([]));
  it('a down renaming a column its up did not rename fires', async () =>
    expect(
      await inDown({ name: 'down', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE person RENAME COLUMN actor_id TO ap_id;', down: 'ALTER TABLE person RENAME COLUMN ap_id TO actor_id;\nALTER TABLE person RENAME COLUMN bio TO about;' }] }),
    ).toEqual([[2, 1]]));
});
