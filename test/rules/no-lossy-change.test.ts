/** no-lossy-change fires only under --confirm: per-row values before and after a type change. */
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { RULE_TEST_DRIVER, confirmTree, dbmate, positions, tree } from '../confirm/helpers.js';

const RULE = 'no-lossy-change';
afterAll(() => shutdownPglite());

const rows = "CREATE TABLE t (id int PRIMARY KEY, amount double precision, label text, at timestamptz);\nINSERT INTO t VALUES (1, 1.23456789, 'abcdef', '2024-01-01 12:30:00+00'), (2, 2.5, 'ab', '2024-06-01 00:00:00+00'), (3, NULL, NULL, NULL);";

describe(RULE, () => {
  it('fires on float narrowing, text truncation by USING and a time zone shift, with the exact count and an example', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_t.sql': dbmate(rows, 'DROP TABLE t;'),
        'db/migrations/002_narrow.sql': dbmate('ALTER TABLE t ALTER COLUMN amount TYPE real;', 'ALTER TABLE t ALTER COLUMN amount TYPE double precision;'),
        'db/migrations/003_truncate.sql': dbmate('ALTER TABLE t ALTER COLUMN label TYPE varchar(3) USING left(label, 3);', 'ALTER TABLE t ALTER COLUMN label TYPE text;'),
        'db/migrations/004_tz.sql': dbmate("ALTER TABLE t ALTER COLUMN at TYPE date;", 'ALTER TABLE t ALTER COLUMN at TYPE timestamptz;'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 0 },
    );
    expect(positions(out, RULE)).toEqual([
      ['db/migrations/002_narrow.sql', 2, 1],
      ['db/migrations/003_truncate.sql', 2, 1],
      ['db/migrations/004_tz.sql', 2, 1],
    ]);
    const [narrow, trunc, tz] = out.findings.filter((f) => f.ruleId === RULE);
    expect(narrow!.message).toBe('1 value of existing rows in t.amount changed (e.g. "1.23456789" became "1.2345679"): the rows survive, their data does not.');
    expect(trunc!.message).toBe('1 value of existing rows in t.label changed (e.g. "abcdef" became "abc"): the rows survive, their data does not.');
    expect(tz!.message).toMatch(/^2 values of existing rows in t\.at changed/);
    expect(narrow!.confirmation).toMatchObject({ status: 'confirmed', valuesChanged: 1, rewrite: true });
  });

  it('does not fire on widening changes, nor where the values survive', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_t.sql': dbmate(rows, 'DROP TABLE t;'),
        'db/migrations/002_widen.sql': dbmate('ALTER TABLE t ALTER COLUMN label TYPE varchar(100);\nALTER TABLE t ALTER COLUMN id TYPE bigint;', 'ALTER TABLE t ALTER COLUMN id TYPE int;\nALTER TABLE t ALTER COLUMN label TYPE text;'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 0 },
    );
    expect(positions(out, RULE)).toEqual([]);
  });
});
