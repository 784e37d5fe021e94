import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';
import { KNEXFILE_PG, projectFindings } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'no-identifier-too-long';
const L64 = 'a'.repeat(64);
const L63 = 'a'.repeat(63);
// 31 two-byte characters + 2 ASCII: 33 characters, 64 bytes.
const UTF8_64 = `${'é'.repeat(31)}xy`;

const mustFire: Case[] = [
  {
    name: 'a 64-byte table name',
    sql: `CREATE TABLE ${L64} (id int);`,
    expect: [[RULE, 1, 14, 1, 78]],
    message: `The table name "${L64}" is 64 bytes long: Postgres keeps only the first 63 and names it "${L63}"`,
  },
  { name: 'bytes, not characters: 33 characters of 64 UTF-8 bytes', sql: `CREATE TABLE "${UTF8_64}" (id int);`, expect: [[RULE, 1, 14]], message: `is 64 bytes long: Postgres keeps only the first 63 and names it "${'é'.repeat(31)}x"` },
  { name: 'four-byte characters: cut back to 60 bytes', sql: `CREATE TABLE "${'😀'.repeat(16)}" (id int);`, expect: [[RULE, 1, 14]], message: `is 64 bytes long: Postgres keeps only the first 63 and names it "${'😀'.repeat(15)}"` },
  { name: 'a column in CREATE TABLE', sql: `CREATE TABLE t (id int, ${L64} text);`, expect: [[RULE, 1, 25]], message: 'The column of "t" name' },
  { name: 'ADD COLUMN', sql: `ALTER TABLE t ADD COLUMN ${L64} text;`, expect: [[RULE, 1, 26]] },
  { name: 'an index name', sql: `CREATE INDEX CONCURRENTLY ${L64} ON t (a);`, expect: [[RULE, 1, 27]], message: 'The index name' },
  { name: 'a constraint name', sql: `ALTER TABLE t ADD CONSTRAINT ${L64} CHECK (a > 0) NOT VALID;`, expect: [[RULE, 1, 30]], message: 'The constraint name' },
  { name: 'a rename target', sql: `ALTER TABLE t RENAME COLUMN a TO ${L64};`, expect: [[RULE, 1, 34]] },
  { name: 'MySQL: over 64 characters fails', sql: `CREATE TABLE ${'b'.repeat(65)} (id int);`, options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]], message: 'MySQL refuses names over 64 characters' },
];

const mustNotFire: Case[] = [
  { name: 'exactly 63 bytes', sql: `CREATE TABLE ${L63} (${L63} int);\nCREATE INDEX ${L63} ON ${L63} (${L63});` },
  { name: '31 two-byte characters + 1 (63 bytes)', sql: `CREATE TABLE "${'é'.repeat(31)}x" (id int);` },
  { name: 'long names Postgres generates itself (it shortens them)', sql: `CREATE TABLE ${L63} (${L63} int UNIQUE, id int PRIMARY KEY);` },
  { name: 'MySQL: 64 characters are allowed', sql: `CREATE TABLE ${L64} (id int);`, options: { dialect: 'mysql' } },
  { name: 'SQLite has no limit', sql: `CREATE TABLE ${L64} (id int);`, options: { dialect: 'sqlite' } },
  { name: 'a reference to a long name is not a new name', sql: `DROP INDEX CONCURRENTLY ${L64};` },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));

  it("Knex: the generated <table>_<cols>_index name counts", async () => {
    const cols = ['customer_reference_number', 'fulfilment_center_code'];
    const found = await projectFindings({
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_idx.js':
        "exports.up = (knex) =>\n  knex.schema.alterTable('purchase_orders', (t) => {\n" +
        `    t.index(${JSON.stringify(cols)});\n` +
        "    t.index(['a'], 'short_name');\n  });\nexports.down = () => {};\n",
    }, RULE);
    expect(found.map((f) => f.line)).toEqual([3]);
    expect(found[0]!.message).toContain('"purchase_orders_customer_reference_number_fulfilment_center_code_index" is 70 bytes long');
  });
});
