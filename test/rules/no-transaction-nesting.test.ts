import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';
import { KNEXFILE_PG, projectFindings } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'no-transaction-nesting';
const dbmate = (body: string, opts = '') => [{ name: '001_a.sql', text: `-- migrate:up${opts}\n${body}\n-- migrate:down\n` }];

const mustFire: Case[] = [
  {
    name: 'dbmate (wrapped): BEGIN and COMMIT',
    migrations: dbmate('BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;'),
    expect: [[RULE, 2, 1], [RULE, 4, 1]],
    message: [
      'BEGIN inside a transaction that is already open (dbmate runs this migration in a transaction (no `transaction:false` on its up marker)): Postgres ignores it with a WARNING',
      'COMMIT ends the transaction the framework opened around the migration (dbmate',
    ],
  },
  {
    name: 'goose (wrapped): the COMMIT; ... BEGIN; trick around a concurrent index',
    migrations: [{ name: '001_a.sql', format: 'goose', text: '-- +goose Up\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;\n' }],
    expect: [[RULE, 2, 1]],
    message: 'COMMIT ends the transaction the framework opened around the migration (goose runs this migration in a transaction',
  },
  {
    name: 'COMMIT and reopen after the migration already changed something (that part commits alone)',
    migrations: dbmate('CREATE TABLE m (a int);\nCOMMIT;\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE n (a int);'),
    options: { dialect: 'sqlite' },
    expect: [[RULE, 3, 1]],
    message: 'COMMIT ends the transaction the framework opened around the migration',
  },
  { name: 'ROLLBACK in a wrapped migration', migrations: dbmate('ALTER TABLE t ADD COLUMN a int;\nROLLBACK;'), expect: [[RULE, 3, 1]], message: 'ROLLBACK ends the transaction' },
  { name: 'plain SQL: BEGIN twice', sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nBEGIN;\nCOMMIT;', expect: [[RULE, 3, 1]], message: 'an earlier BEGIN of this migration is still open' },
  { name: 'COMMIT twice', sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;', expect: [[RULE, 4, 1]], message: 'COMMIT with no transaction open' },
  { name: 'SQLite refuses a nested BEGIN', sql: 'BEGIN;\nBEGIN;\nCOMMIT;', options: { dialect: 'sqlite' }, expect: [[RULE, 2, 1]], message: 'cannot start a transaction within a transaction' },
  { name: 'MySQL commits the open one', sql: 'START TRANSACTION;\nBEGIN;\nCOMMIT;', options: { dialect: 'mysql' }, expect: [[RULE, 2, 1]], message: 'implicit commit' },
];

const mustNotFire: Case[] = [
  { name: 'plain SQL: one BEGIN ... COMMIT', sql: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;' },
  { name: 'golang-migrate: BEGIN ... COMMIT in the file (the usual style)', migrations: [{ name: '1_a.up.sql', format: 'golang-migrate', up: 'BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;', down: 'BEGIN;\nALTER TABLE t DROP COLUMN a;\nCOMMIT;' }] },
  { name: 'dbmate with transaction:false managing its own', migrations: dbmate('BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\nBEGIN;\nCOMMIT;', ' transaction:false') },
  { name: 'goose NO TRANSACTION', migrations: [{ name: '001_a.sql', format: 'goose', text: '-- +goose NO TRANSACTION\n-- +goose Up\nBEGIN;\nSELECT 1;\nCOMMIT;\n' }] },
  { name: 'a wrapped migration without transaction statements', migrations: dbmate('ALTER TABLE t ADD COLUMN a int;') },
  {
    name: 'the commit-and-reopen idiom of SQLite rebuilds (COMMIT; PRAGMA foreign_keys=OFF; BEGIN; ...; COMMIT; PRAGMA ...; BEGIN)',
    migrations: dbmate('COMMIT TRANSACTION;\nPRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;\nCREATE TABLE n (a int);\nCOMMIT TRANSACTION;\nPRAGMA foreign_keys = ON;\nBEGIN TRANSACTION;'),
    options: { dialect: 'sqlite' },
  },
  { name: 'Postgres: COMMIT, SET, BEGIN before anything else', migrations: dbmate("COMMIT;\nSET lock_timeout = '2s';\nBEGIN;\nALTER TABLE t ADD COLUMN a int;") },
  { name: 'two transactions one after the other', sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nROLLBACK;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));

  it('Knex: knex.raw BEGIN in a migration Knex wraps, silent with transaction: false', async () => {
    const found = await projectFindings({
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_a.js': "exports.up = async (knex) => {\n  await knex.raw('BEGIN');\n  await knex.raw('ALTER TABLE t ADD COLUMN a int');\n};\nexports.down = () => {};\n",
      'migrations/20240102000000_b.js': "exports.config = { transaction: false };\nexports.up = async (knex) => {\n  await knex.raw('BEGIN');\n  await knex.raw('ALTER TABLE t ADD COLUMN b int');\n  await knex.raw('COMMIT');\n};\nexports.down = () => {};\n",
    }, RULE);
    expect(found.map((f) => [f.file, f.line])).toEqual([['migrations/20240101000000_a.js', 2]]);
    expect(found[0]!.message).toContain('Knex runs this migration in a transaction');
  });
});
