import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'prefer-bigint';

const mustFire: Case[] = [
  { name: 'in CREATE TABLE', sql: 'CREATE TABLE o (id serial, qty bigint);', expect: [[RULE, 1, 1]] },
  { name: 'in ADD COLUMN', sql: 'ALTER TABLE o ADD COLUMN n smallint;', expect: [[RULE, 1, 15]] },
  { name: 'the type is named: smallint is 16-bit', sql: 'CREATE TABLE o (n int2);', expect: [[RULE, 1, 1]], message: '"o"."n" is a 16-bit integer (int2)' },
  { name: 'an array of int (its values, often ids, outgrow 32 bits the same way)', sql: 'CREATE TABLE o (ids int[]);', expect: [[RULE, 1, 1]], message: '"o"."ids" is an array of 32-bit integers (int4[])' },
  { name: 'on a later line', sql: 'SELECT 1;\nCREATE TABLE o (id serial, qty bigint);', expect: [[RULE, 2, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'other types', sql: 'CREATE TABLE o (id bigint, n int8, m numeric, ids bigint[]);' },
  { name: 'columns that predate the migration are not re-judged', sql: 'ALTER TABLE u ALTER COLUMN x SET DEFAULT 1;' },
  { name: 'in a comment', sql: '-- CREATE TABLE o (id serial, qty bigint);\nSELECT 1;' },
  { name: 'SQLite is not covered', sql: 'CREATE TABLE o (id serial, qty bigint);', options: { dialect: 'sqlite' } },
];

/** The rule is opt-in (off by default): every row turns it on, as a user's config would. */
const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));
});
