import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-vacuum-full';

const mustFire: Case[] = [
  { name: 'VACUUM FULL t', sql: 'VACUUM FULL events;', expect: [[RULE, 1, 1, 1, 19]], message: 'VACUUM FULL rewrites "events" under an ACCESS EXCLUSIVE lock' },
  { name: 'VACUUM (FULL, ANALYZE)', sql: 'VACUUM (FULL, ANALYZE) events;', expect: [[RULE, 1, 1]] },
  { name: 'bare VACUUM FULL', sql: 'VACUUM FULL;', expect: [[RULE, 1, 1]], message: 'every table of the database' },
  { name: 'CLUSTER', sql: 'SELECT 1;\nCLUSTER events USING events_pkey;', expect: [[RULE, 2, 1]], message: 'CLUSTER rewrites "events"' },
];

const mustNotFire: Case[] = [
  { name: 'plain VACUUM', sql: 'VACUUM events;\nVACUUM (ANALYZE) events;' },
  { name: 'ANALYZE', sql: 'ANALYZE events;' },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nVACUUM FULL t;\nCLUSTER t;' },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
