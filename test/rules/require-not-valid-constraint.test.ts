import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-not-valid-constraint';

const mustFire: Case[] = [
  { name: 'CHECK on an existing table', sql: 'ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);', expect: [[RULE, 1, 20, 1, 63]], message: 'Adding CHECK constraint "qty_positive" to "orders" checks every existing row under an ACCESS EXCLUSIVE lock' },
  { name: 'FOREIGN KEY on an existing table', sql: 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);', expect: [[RULE, 1, 20]], message: 'SHARE ROW EXCLUSIVE lock on it and on the referenced table' },
  {
    name: 'table created by an earlier migration',
    migrations: [
      { name: '001_a.sql', up: 'CREATE TABLE t (a int);' },
      { name: '002_b.sql', up: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);' },
    ],
    expect: [[RULE, 1, 15]],
    file: 'migrations/002_b.sql',
  },
  {
    name: 'VALIDATE in the same framework transaction as the NOT VALID add',
    migrations: [{ name: '001_a.sql', up: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;', down: null }],
    expect: [[RULE, 2, 15, 2, 36]],
    message: 'VALIDATE CONSTRAINT "c" runs in the same transaction as the NOT VALID add',
  },
  {
    name: 'VALIDATE inside the same explicit BEGIN ... COMMIT',
    sql: 'BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;',
    expect: [[RULE, 3, 15]],
  },
];

const mustNotFire: Case[] = [
  { name: 'a table this migration emptied', sql: 'DELETE FROM "UserProfile";\nALTER TABLE "UserProfile" ADD CONSTRAINT "UserProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");' },
  { name: 'NOT VALID', sql: 'ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id);' },
  { name: 'constraints inside CREATE TABLE', sql: 'CREATE TABLE t (a int CHECK (a > 0), b int REFERENCES u (id));' },
  { name: 'VALIDATE in a later migration', migrations: [{ name: '001_a.sql', up: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;', down: null }, { name: '002_b.sql', up: 'ALTER TABLE t VALIDATE CONSTRAINT c;', down: null }] },
  { name: 'VALIDATE after a COMMIT', sql: 'BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\nALTER TABLE t VALIDATE CONSTRAINT c;' },
  { name: 'plain SQL files run statement by statement', sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;' },
  { name: 'UNIQUE is another rule', sql: 'ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

describe(`${RULE}: ADD COLUMN ... REFERENCES`, () => {
  it('fires on an existing table', () =>
    expectFires(RULE, { name: 'refs', sql: 'ALTER TABLE emails ADD COLUMN user_id int REFERENCES users (id);', expect: [[RULE, 1, 20]], message: 'with REFERENCES validates the new foreign key at once' }));
  it('is silent on a new table', () => expectSilent(RULE, { name: 'new', sql: 'CREATE TABLE e (a int);\nALTER TABLE e ADD COLUMN user_id int REFERENCES users (id);' }));
});
