import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-drop-not-null';

const mustFire: Case[] = [
  { name: 'DROP NOT NULL on a column that predates the chain', sql: 'ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;', expect: [[RULE, 1, 19, 1, 51]], message: '"users"."phone" becomes nullable' },
  {
    name: 'MySQL MODIFY of a column the chain made NOT NULL',
    migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (a int NOT NULL);' }, { name: '002_b.sql', up: 'ALTER TABLE t MODIFY a int NULL;' }],
    options: { dialect: 'mysql' },
    expect: [[RULE, 1, 15]],
    file: 'migrations/002_b.sql',
  },
];

const mustNotFire: Case[] = [
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER a DROP NOT NULL;' },
  { name: 'column known to be nullable already', migrations: [{ name: '001_a.sql', up: 'CREATE TABLE t (a int);' }, { name: '002_b.sql', up: 'ALTER TABLE t ALTER a DROP NOT NULL;' }] },
  { name: 'MySQL MODIFY of a column of unknown nullability', sql: 'ALTER TABLE t MODIFY a varchar(20);', options: { dialect: 'mysql' } },
  { name: 'SET NOT NULL', sql: 'ALTER TABLE t ALTER a SET NOT NULL;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

describe(`${RULE} in downs`, () => {
  it('a down undoing its up SET NOT NULL is silent', () =>
    expectSilent(RULE, { name: 'down', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE users ALTER nick SET NOT NULL;', down: 'ALTER TABLE users ALTER nick DROP NOT NULL;' }] }));
  it('a down undoing its up SET NOT NULL on a column the up renamed first is silent', () =>
    expectSilent(RULE, {
      name: 'down',
      migrations: [{
        name: '001_a.sql',
        up: 'ALTER TABLE mod_sticky_post RENAME COLUMN stickied TO featured;\nALTER TABLE mod_sticky_post ALTER COLUMN featured SET NOT NULL;\nALTER TABLE mod_sticky_post RENAME TO mod_feature_post;',
        down: 'ALTER TABLE mod_feature_post RENAME COLUMN featured TO stickied;\nALTER TABLE mod_feature_post ALTER COLUMN stickied DROP NOT NULL;\nALTER TABLE mod_feature_post RENAME TO mod_sticky_post;',
      }],
    }));
  it('a down dropping NOT NULL its up did not set fires', () =>
    expectFires(RULE, { name: 'down', migrations: [{ name: '001_a.sql', up: 'SELECT 1;', down: 'ALTER TABLE users ALTER nick DROP NOT NULL;' }], expect: [[RULE, 1, 19]], file: 'migrations/001_a.down.sql' }));
});
