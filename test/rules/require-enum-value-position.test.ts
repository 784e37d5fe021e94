import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-enum-value-position';

const mustFire: Case[] = [
  { name: 'ADD VALUE without a position', sql: "SELECT 1;\nALTER TYPE mood ADD VALUE 'meh';", expect: [[RULE, 2, 1]], message: `ADD VALUE 'meh' to enum "mood" without BEFORE or AFTER` },
  { name: 'IF NOT EXISTS, schema-qualified', sql: "ALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'meh';", expect: [[RULE, 1, 1]], message: '"app.mood"' },
];

const mustNotFire: Case[] = [
  { name: 'BEFORE', sql: "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy';" },
  { name: 'AFTER', sql: "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad';" },
  { name: 'RENAME VALUE', sql: "ALTER TYPE mood RENAME VALUE 'meh' TO 'so-so';" },
  { name: 'other ALTER TYPE', sql: 'ALTER TYPE mood OWNER TO app;' },
];

const on = (c: Case): Case => ({ ...c, options: { ...c.options, config: { ...c.options?.config, rules: { [RULE]: 'warn' } } } });

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire.map(on))('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire.map(on))('$name', (c) => expectSilent(RULE, c)));
  it('is off by default', () => expectSilent(RULE, mustFire[0]!));
});
