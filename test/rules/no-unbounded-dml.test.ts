import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-unbounded-dml';

const mustFire: Case[] = [
  { name: 'UPDATE without WHERE', sql: "UPDATE users SET plan = 'free';", expect: [[RULE, 1, 1, 1, 31]], message: 'UPDATE without WHERE on "users" touches every row' },
  { name: 'DELETE without WHERE', sql: 'SELECT 1;\nDELETE FROM sessions;', expect: [[RULE, 2, 1]], message: 'DELETE without WHERE' },
  {
    name: 'DELETE without WHERE in a data-modifying CTE (moving rows to an archive), pointed at the DELETE',
    sql: 'WITH moved AS (\n  DELETE FROM sessions RETURNING *\n)\nINSERT INTO sessions_archive SELECT * FROM moved;',
    expect: [[RULE, 2, 3, 2, 35]],
    message: 'DELETE without WHERE on "sessions" touches every row',
  },
  { name: 'UPDATE without WHERE in a CTE of an INSERT ... SELECT', sql: "INSERT INTO audit (n)\nWITH u AS (UPDATE users SET plan = 'free' RETURNING 1) SELECT count(*) FROM u;", expect: [[RULE, 2, 12, 2, 54]] },
  { name: 'MySQL', sql: 'UPDATE users SET a = 1;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]] },
  { name: 'SQLite', sql: 'DELETE FROM users;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'with a WHERE', sql: "UPDATE users SET plan = 'free' WHERE plan IS NULL;\nDELETE FROM sessions WHERE expires_at < now();" },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;\nDELETE FROM t;' },
  { name: 'a CTE DELETE with a WHERE', sql: "WITH moved AS (DELETE FROM sessions WHERE expires_at < now() RETURNING *)\nINSERT INTO sessions_archive SELECT * FROM moved;" },
  { name: 'in a function body', sql: 'CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM t $$;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});

describe(`${RULE}: backfills`, () => {
  it('filling a column added by the same migration is silent', () =>
    expectSilent(RULE, { name: 'same', sql: "ALTER TABLE users ADD COLUMN nick text;\nUPDATE users SET nick = name;" }));
  it('filling a column added by an earlier migration fires', () =>
    expectFires(RULE, {
      name: 'earlier',
      migrations: [{ name: '001_a.sql', up: 'ALTER TABLE users ADD COLUMN nick text;' }, { name: '002_b.sql', up: 'UPDATE users SET nick = name;' }],
      expect: [[RULE, 1, 1]],
      file: 'migrations/002_b.sql',
    }));
});
