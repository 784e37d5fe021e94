import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-concurrent-in-transaction';
const CIC = 'CREATE INDEX CONCURRENTLY i ON t (a);';

const mustFire: Case[] = [
  {
    name: 'inside an explicit BEGIN ... COMMIT',
    sql: `BEGIN;\n${CIC}\nCOMMIT;`,
    expect: [[RULE, 2, 1, 2, 37]],
    message: 'CREATE INDEX CONCURRENTLY inside an explicit BEGIN ... COMMIT block fails: "cannot run inside a transaction block"',
  },
  { name: 'DROP INDEX CONCURRENTLY after START TRANSACTION', sql: 'START TRANSACTION;\nDROP INDEX CONCURRENTLY i;', expect: [[RULE, 2, 1, 2, 26]], message: 'DROP INDEX CONCURRENTLY inside' },
  { name: 'a transaction reopened after ROLLBACK', sql: `BEGIN;\nROLLBACK;\nBEGIN;\n${CIC}\nCOMMIT;`, expect: [[RULE, 4, 1, 4, 37]] },
  { name: 'BEGIN, index and COMMIT on one line', sql: `BEGIN; ${CIC} COMMIT;`, expect: [[RULE, 1, 8, 1, 44]] },
  { name: 'CRLF line endings and a multi-byte comment above', sql: `BEGIN;\r\n-- Index für die Suche ✓\r\n${CIC}\r\nCOMMIT;\r\n`, expect: [[RULE, 3, 1, 3, 37]] },
  {
    name: 'dbmate runs each migration in a transaction',
    migrations: [{ name: '001_index.sql', up: CIC, down: 'DROP INDEX i;' }],
    expect: [[RULE, 1, 1, 1, 37]],
    message: 'dbmate runs this migration in a transaction',
    help: '`-- migrate:up transaction:false`',
  },
  {
    name: 'dbmate file: up and down both in a transaction',
    migrations: [{ name: '001_index.sql', text: `-- migrate:up\n${CIC}\n-- migrate:down\nDROP INDEX CONCURRENTLY i;\n` }],
    expect: [[RULE, 2, 1, 2, 37], [RULE, 4, 1, 4, 26]],
  },
  {
    name: 'goose without NO TRANSACTION',
    migrations: [{ name: '001_index.sql', format: 'goose', text: `-- +goose Up\n${CIC}\n\n-- +goose Down\nDROP INDEX i;\n` }],
    expect: [[RULE, 2, 1, 2, 37]],
    help: '-- +goose NO TRANSACTION',
  },
  { name: 'sql-migrate without notransaction', migrations: [{ name: '001_index.sql', format: 'sql-migrate', text: `-- +migrate Up\n${CIC}\n` }], expect: [[RULE, 2, 1, 2, 37]], help: 'notransaction' },
  { name: 'diesel without run_in_transaction = false', migrations: [{ name: '001_index.sql', format: 'diesel', up: CIC, down: 'DROP INDEX i;' }], expect: [[RULE, 1, 1, 1, 37]], help: 'run_in_transaction = false' },
  { name: "drizzle-kit's migrator runs everything in one transaction", sql: CIC, options: { format: 'drizzle' }, expect: [[RULE, 1, 1, 1, 37]], message: "drizzle-kit's migrator runs all pending migrations in one transaction" },
  {
    name: 'Flyway: CONCURRENTLY mixed with other statements',
    sql: `SET lock_timeout = '2s';\n${CIC}`,
    options: { format: 'flyway' },
    expect: [[RULE, 2, 1, 2, 37]],
    message: 'mixes CREATE INDEX CONCURRENTLY with other statements',
  },
  { name: 'a suppression naming another rule', sql: `BEGIN;\n-- migralint-disable-next-line require-concurrent-index\n${CIC}\nCOMMIT;`, expect: [['unused-disable', 2, 1], [RULE, 3, 1, 3, 37]] },
];

mustFire.push(
  {
    name: 'golang-migrate: with other statements in the same file (one implicit transaction)',
    migrations: [{ name: '001_index.up.sql', format: 'golang-migrate', transaction: 'unknown', up: `ALTER TABLE t ADD COLUMN b int;\n${CIC}`, down: 'DROP INDEX CONCURRENTLY i;' }],
    expect: [[RULE, 2, 1, 2, 37]],
    message: "golang-migrate's Postgres driver sends the whole file as one query",
  },
  {
    name: 'Prisma: with other statements in migration.sql',
    migrations: [{ name: '20240101000000_index', format: 'prisma', transaction: 'unknown', up: `${CIC}\nCREATE INDEX CONCURRENTLY j ON t (b);` }],
    expect: [
      [RULE, 1, 1, 1, 37],
      [RULE, 2, 1, 2, 37],
    ],
    message: 'Prisma Migrate sends the whole migration.sql as one script',
  },
);

const mustNotFire: Case[] = [
  { name: 'plain SQL file without BEGIN (run statement by statement)', sql: CIC },
  { name: 'after the transaction was committed', sql: `BEGIN;\nSELECT 1;\nCOMMIT;\n${CIC}` },
  { name: 'dbmate with transaction:false', migrations: [{ name: '001_index.sql', text: `-- migrate:up transaction:false\n${CIC}\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n` }] },
  { name: 'goose NO TRANSACTION', migrations: [{ name: '001_index.sql', format: 'goose', text: `-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n` }] },
  { name: 'sql-migrate notransaction', migrations: [{ name: '001_index.sql', format: 'sql-migrate', text: `-- +migrate Up notransaction\n${CIC}\n` }] },
  { name: 'diesel with run_in_transaction = false', migrations: [{ name: '001_index.sql', format: 'diesel', transaction: 'none', up: CIC, down: 'DROP INDEX CONCURRENTLY i;' }] },
  { name: 'Flyway: a script of only concurrent index statements runs outside a transaction', sql: `${CIC}\nDROP INDEX CONCURRENTLY old_i;`, options: { format: 'flyway' } },
  { name: 'golang-migrate: alone in its file', migrations: [{ name: '001_index.up.sql', format: 'golang-migrate', transaction: 'unknown', up: CIC, down: 'DROP INDEX CONCURRENTLY i;' }] },
  { name: 'Prisma: alone in its migration.sql', migrations: [{ name: '20240101000000_index', format: 'prisma', transaction: 'unknown', up: CIC }] },
  { name: 'a plain CREATE INDEX inside a transaction', sql: 'BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;' },
  { name: 'CONCURRENTLY in comments and strings', sql: `BEGIN;\n-- ${CIC}\nSELECT '${CIC.replace(';', '')}';\nCOMMIT;` },
  { name: 'suppressed', sql: `BEGIN;\n-- migralint-disable-next-line no-concurrent-in-transaction\n${CIC}\nCOMMIT;` },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});

describe('no-concurrent-in-transaction: an explicit COMMIT ends the framework transaction', () => {
  it('CONCURRENTLY after COMMIT, before BEGIN, is silent', () =>
    expectSilent('no-concurrent-in-transaction', {
      name: 'commit',
      migrations: [{ name: '001_a.sql', up: 'COMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;\nSELECT 1;', down: null }],
    }));
});
