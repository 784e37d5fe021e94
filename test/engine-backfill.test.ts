import { describe, expect, it } from 'vitest';
import { coversNulls, versioned } from '../src/engine/backfill.js';
import type { Predicate } from '../src/model.js';

const isNull = (column: string): Predicate => ({ kind: 'null-test', column, negated: false });
const notNull = (column: string): Predicate => ({ kind: 'null-test', column, negated: true });
const cmp = (column: string, op: '=' | '<>' | '<' | '<=' | '>' | '>=', value: number | string | boolean): Predicate => ({ kind: 'compare', column, op, value });
const or = (...args: Predicate[]): Predicate => ({ kind: 'or', args });
const and = (...args: Predicate[]): Predicate => ({ kind: 'and', args });
const not = (arg: Predicate): Predicate => ({ kind: 'not', arg });
const TRUE: Predicate = { kind: 'const', value: true };
const UNKNOWN: Predicate = { kind: 'unknown' };

describe('coversNulls: every row where the column is NULL matches one of the WHERE clauses', () => {
  it.each<[string, Predicate[]]>([
    ['no WHERE', [TRUE]],
    ['c IS NULL', [isNull('c')]],
    ["c IS NULL OR c = ''", [or(isNull('c'), cmp('c', '=', ''))]],
    ['c IS NULL AND TRUE', [and(isNull('c'), TRUE)]],
    ['NOT (c IS NOT NULL)', [not(notNull('c'))]],
    ['a > 0, then a <= 0 OR a IS NULL', [cmp('a', '>', 0), or(cmp('a', '<=', 0), isNull('a'))]],
    ['a = 1, a <> 1, a IS NULL', [cmp('a', '=', 1), cmp('a', '<>', 1), isNull('a')]],
    ["k = 'x', k <> 'x' OR k IS NULL", [cmp('k', '=', 'x'), or(cmp('k', '<>', 'x'), isNull('k'))]],
    ['b, NOT b, b IS NULL (a boolean column)', [cmp('b', '=', true), not(cmp('b', '=', true)), isNull('b')]],
    ['c IS NULL OR <unknown>', [or(isNull('c'), UNKNOWN)]],
  ])('covers: %s', (_name, covers) => {
    expect(coversNulls('c', covers.map((p) => versioned(p, () => 0)))).toBe(true);
  });

  it.each<[string, Predicate[]]>([
    ['nothing', []],
    ["c = '' (NULL, not TRUE, on a NULL row)", [cmp('c', '=', '')]],
    ['c IS NOT NULL', [notNull('c')]],
    ['c IS NULL AND a < 10', [and(isNull('c'), cmp('a', '<', 10))]],
    ['a > 0, a < 0 (a = 0 left)', [cmp('a', '>', 0), cmp('a', '<', 0)]],
    ['a > 0, a <= 0 (NULL a left)', [cmp('a', '>', 0), cmp('a', '<=', 0)]],
    ['an unknown condition', [UNKNOWN]],
    ['an unknown and its negation (never assumed complementary)', [UNKNOWN, not(UNKNOWN)]],
    ["strings compared with < (not decided)", [cmp('k', '<', 'm'), or(cmp('k', '>=', 'm'), isNull('k'))]],
    ['FALSE', [{ kind: 'const', value: false }]],
  ])('does not cover: %s', (_name, covers) => {
    expect(coversNulls('c', covers.map((p) => versioned(p, () => 0)))).toBe(false);
  });

  it('every version of the column itself is NULL on a row that is NULL now', () => {
    expect(coversNulls('c', [or(cmp('c#0', '=', ''), isNull('c#3'))])).toBe(true);
  });

  it('conditions on different versions of a column are independent', () => {
    const before = versioned(cmp('a', '>', 0), () => 0);
    const after = versioned(or(cmp('a', '<=', 0), isNull('a')), () => 1);
    expect(coversNulls('c', [before, after])).toBe(false);
    expect(coversNulls('c', [before, versioned(or(cmp('a', '<=', 0), isNull('a')), () => 0)])).toBe(true);
  });
});
