import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { removeTempDirs, makeTempDir, writeTree } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';
import { KNEXFILE_PG } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'require-table-schema';

const mustFire: Case[] = [
  { name: 'CREATE TABLE', sql: 'CREATE TABLE users (id bigint);', expect: [[RULE, 1, 1]], message: 'Table "users" is named without a schema' },
  { name: 'ALTER TABLE with two sub-commands: once', sql: 'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int;', expect: [[RULE, 1, 1]] },
  { name: 'DROP TABLE', sql: 'DROP TABLE users;', expect: [[RULE, 1, 1]] },
  { name: 'CREATE TABLE AS', sql: 'CREATE TABLE t AS SELECT 1;', expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  { name: 'qualified names', sql: 'CREATE TABLE public.users (id bigint);\nALTER TABLE public.users ADD COLUMN a int;\nDROP TABLE public.users;\nCREATE TABLE public.t AS SELECT 1;' },
  { name: 'temporary tables live in their own schema', sql: 'CREATE TEMP TABLE m (id int4) ON COMMIT DROP;\nCREATE TEMPORARY TABLE o (id int4);\nCREATE TEMP TABLE p AS SELECT 1;' },
  { name: 'DML is not DDL', sql: 'UPDATE users SET a = 1 WHERE id = 2;' },
];

const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));

  it('Knex: createTable without withSchema, and with it', async () => {
    const dir = writeTree(makeTempDir(), {
      'knexfile.js': KNEXFILE_PG,
      'migrations/20240101000000_a.js': "exports.up = async (knex) => {\n  await knex.schema.createTable('a', (t) => { t.bigIncrements('id'); });\n  await knex.schema.withSchema('app').createTable('b', (t) => { t.bigIncrements('id'); });\n};\nexports.down = () => {};\n",
    });
    const result = await check(['.'], { cwd: dir, config: { rules: { [RULE]: 'warn' }, ignore: [], postgresVersion: 14 } });
    expect(result.findings.filter((f) => f.ruleId === RULE).map((f) => f.message)).toEqual([expect.stringContaining('Table "a"')]);
  });
});
