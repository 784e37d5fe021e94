import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-drop-database';

const mustFire: Case[] = [
  { name: 'DROP DATABASE', sql: 'DROP DATABASE analytics;', expect: [[RULE, 1, 1, 1, 24]], message: 'DROP DATABASE "analytics" deletes the whole database' },
  { name: 'IF EXISTS', sql: 'SELECT 1;\nDROP DATABASE IF EXISTS analytics;', expect: [[RULE, 2, 1]] },
  { name: 'MySQL DROP SCHEMA is DROP DATABASE', sql: 'DROP SCHEMA analytics;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'Postgres DROP SCHEMA CASCADE belongs to no-drop-table', sql: 'DROP SCHEMA app CASCADE;' },
  { name: 'CREATE DATABASE', sql: 'CREATE DATABASE analytics;' },
  { name: 'in a string', sql: "SELECT 'DROP DATABASE x';" },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
  it('DROP SCHEMA ... CASCADE is reported once, by no-drop-table', () =>
    expectFires('no-drop-table', { name: 'cascade', sql: 'DROP SCHEMA app CASCADE;', expect: [['no-drop-table', 1, 1]] }));
});
