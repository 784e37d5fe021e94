import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-domain-constraint';

const mustFire: Case[] = [
  { name: 'ALTER DOMAIN ADD CONSTRAINT', sql: 'ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);', expect: [[RULE, 1, 1, 1, 68]], message: 'checks every column of the domain in every table' },
  { name: 'ALTER DOMAIN SET NOT NULL', sql: 'ALTER DOMAIN d SET NOT NULL;', expect: [[RULE, 1, 1]] },
  { name: 'CREATE DOMAIN with a CHECK', sql: 'CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);', expect: [[RULE, 1, 1]], message: 'Domain "positive_int" is created with a CHECK constraint' },
];

const mustNotFire: Case[] = [
  { name: 'CREATE DOMAIN without a constraint', sql: 'CREATE DOMAIN email AS text;' },
  { name: 'DROP CONSTRAINT', sql: 'ALTER DOMAIN d DROP CONSTRAINT c;' },
  { name: 'VALIDATE CONSTRAINT', sql: 'ALTER DOMAIN d VALIDATE CONSTRAINT c;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
