import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-concurrent-detach-partition';

const mustFire: Case[] = [
  {
    name: 'DETACH PARTITION on Postgres 14 (the default)',
    sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2020;',
    expect: [[RULE, 1, 26, 1, 60]],
    message: 'Detaching partition "measurements_2020" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "measurements"',
  },
  { name: 'schema-qualified, Postgres 17', sql: 'ALTER TABLE app.m DETACH PARTITION app.m_1;', options: { config: { postgresVersion: 17 } }, expect: [[RULE, 1, 19]] },
];

const mustNotFire: Case[] = [
  { name: 'CONCURRENTLY', sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;' },
  { name: 'FINALIZE', sql: 'ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;' },
  { name: 'Postgres 13 has no concurrent form', sql: 'ALTER TABLE m DETACH PARTITION m_1;', options: { config: { postgresVersion: 13 } } },
  { name: 'parent created in the same migration', sql: 'CREATE TABLE m (a int) PARTITION BY RANGE (a);\nALTER TABLE m DETACH PARTITION m_1;' },
  { name: 'ATTACH PARTITION', sql: "ALTER TABLE m ATTACH PARTITION m_1 FOR VALUES FROM (1) TO (10);" },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
