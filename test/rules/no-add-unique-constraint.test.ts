import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-add-unique-constraint';

const mustFire: Case[] = [
  { name: 'a table emptied, then filled again, in this migration', sql: 'TRUNCATE profiles;\nINSERT INTO profiles (id) SELECT id FROM users;\nALTER TABLE profiles ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);', expect: [[RULE, 3, 22]] },
  { name: 'ADD CONSTRAINT ... UNIQUE', sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', expect: [[RULE, 1, 19, 1, 64]], message: 'Adding a UNIQUE constraint "users_email_key" to "users" builds its index under an ACCESS EXCLUSIVE lock' },
  { name: 'ADD PRIMARY KEY', sql: 'SELECT 1;\nALTER TABLE users ADD PRIMARY KEY (id);', expect: [[RULE, 2, 19]], message: 'a PRIMARY KEY' },
];

const mustNotFire: Case[] = [
  { name: 'a table this migration emptied with DELETE without WHERE (Prisma: profiles dropped, then re-keyed)', sql: 'DELETE FROM "UserProfile";\nALTER TABLE "UserProfile" DROP CONSTRAINT "UserProfile_pkey", ADD CONSTRAINT "UserProfile_pkey" PRIMARY KEY ("id");' },
  { name: 'UNIQUE USING INDEX', sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;' },
  { name: 'PRIMARY KEY USING INDEX', sql: 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD UNIQUE (a);' },
  { name: 'UNIQUE inside CREATE TABLE', sql: 'CREATE TABLE t (a int UNIQUE, PRIMARY KEY (a));' },
  { name: 'MySQL builds unique indexes online', sql: 'ALTER TABLE users ADD UNIQUE (email);', options: { dialect: 'mysql' } },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

describe(`${RULE}: inline in ADD COLUMN`, () => {
  it('UNIQUE column', () => expectFires(RULE, { name: 'u', sql: 'ALTER TABLE foo ADD COLUMN bar text UNIQUE;', expect: [[RULE, 1, 17]], message: 'as UNIQUE' }));
  it('SERIAL PRIMARY KEY column', () => expectFires(RULE, { name: 'pk', sql: 'ALTER TABLE a ADD COLUMN b serial PRIMARY KEY;', expect: [[RULE, 1, 15]], message: 'as PRIMARY KEY' }));
  it('new table', () => expectSilent(RULE, { name: 'new', sql: 'CREATE TABLE foo (a int);\nALTER TABLE foo ADD COLUMN bar text UNIQUE;' }));
});
