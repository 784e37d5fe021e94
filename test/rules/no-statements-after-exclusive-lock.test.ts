import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-statements-after-exclusive-lock';
const tx = (up: string): Case['migrations'] => [{ name: '001_a.sql', up, down: null }];

const mustFire: Case[] = [
  {
    name: 'an UPDATE after ALTER TABLE in a framework transaction',
    migrations: tx("ALTER TABLE users ADD COLUMN nick text;\nUPDATE accounts SET plan = 'free';\nUPDATE accounts SET x = 1;"),
    expect: [[RULE, 2, 1, 2, 34]],
    message: '"users" is still under the ACCESS EXCLUSIVE lock',
  },
  { name: 'inside an explicit BEGIN in plain SQL', sql: 'BEGIN;\nALTER TABLE t DROP COLUMN a;\nCREATE INDEX b_idx ON t (b);\nCOMMIT;', expect: [[RULE, 3, 1]] },
  { name: 'LOCK TABLE (default mode: ACCESS EXCLUSIVE) then more work', sql: 'BEGIN;\nLOCK TABLE accounts;\nUPDATE accounts SET plan = 1 WHERE id = 2;\nCOMMIT;', expect: [[RULE, 3, 1]], message: '"accounts" is still under the ACCESS EXCLUSIVE lock' },
  { name: 'golang-migrate file with several statements', migrations: [{ name: '001_a.up.sql', up: 'ALTER TABLE t DROP COLUMN a;\nSELECT pg_sleep(1);\nUPDATE t SET b = 1;', format: 'golang-migrate', down: null }], expect: [[RULE, 3, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'lock as the last statement', migrations: tx('CREATE INDEX CONCURRENTLY x ON t (a);\nALTER TABLE users ADD COLUMN nick text;') },
  { name: 'plain SQL without a transaction', sql: 'ALTER TABLE users ADD COLUMN nick text;\nUPDATE accounts SET plan = 1;' },
  { name: 'only a COMMENT and SET follow', migrations: tx("ALTER TABLE users ADD COLUMN nick text;\nCOMMENT ON COLUMN users.nick IS 'x';\nSET lock_timeout = 0;") },
  { name: 'the locked table is new', migrations: tx('CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nUPDATE u SET a = 1;') },
  { name: 'sub-commands of one ALTER TABLE', migrations: tx('ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int;') },
  { name: 'after COMMIT the lock is released', sql: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nUPDATE u SET a = 1;' },
  { name: 'LOCK TABLE IN SHARE MODE is not ACCESS EXCLUSIVE', sql: 'BEGIN;\nLOCK TABLE accounts IN SHARE MODE;\nUPDATE other SET plan = 1 WHERE id = 2;\nCOMMIT;' },
  { name: 'goose NO TRANSACTION', migrations: [{ name: '001_a.sql', format: 'goose', text: '-- +goose NO TRANSACTION\n-- +goose Up\nALTER TABLE users ADD COLUMN a int;\nUPDATE u SET a = 1;\n' }] },
];

/** The rule is opt-in (off by default): every row turns it on, as a user's config would. */
const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));
});
