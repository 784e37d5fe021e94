import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'prefer-identity';

const mustFire: Case[] = [
  { name: 'in CREATE TABLE', sql: 'CREATE TABLE u (id bigserial PRIMARY KEY);', expect: [[RULE, 1, 1]] },
  { name: 'in ADD COLUMN', sql: 'ALTER TABLE u ADD COLUMN n serial;', expect: [[RULE, 1, 15]] },
  { name: 'on a later line', sql: 'SELECT 1;\nCREATE TABLE u (id bigserial PRIMARY KEY);', expect: [[RULE, 2, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'other types', sql: 'CREATE TABLE u (id bigint GENERATED ALWAYS AS IDENTITY, n bigint);' },
  { name: 'columns that predate the migration are not re-judged', sql: 'ALTER TABLE u ALTER COLUMN x SET DEFAULT 1;' },
  { name: 'in a comment', sql: '-- CREATE TABLE u (id bigserial PRIMARY KEY);\nSELECT 1;' },
  { name: 'SQLite is not covered', sql: 'CREATE TABLE u (id bigserial PRIMARY KEY);', options: { dialect: 'sqlite' } },
];

/** The rule is opt-in (off by default): every row turns it on, as a user's config would. */
const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));
});
