/** migration-fails-with-rows fires only under --confirm: fails on seeded rows, succeeds on empty tables. */
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { RULE_TEST_DRIVER, confirmTree, dbmate, positions, tree } from '../confirm/helpers.js';

const RULE = 'migration-fails-with-rows';
afterAll(() => shutdownPglite());

describe(RULE, () => {
  it('fires on a unique index over duplicates, a CHECK the rows break, a failing cast, an FK the rows break', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_t.sql': dbmate(
          "CREATE TABLE parents (id int PRIMARY KEY);\n" +
            ['t', 'c', 'k', 'f'].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, code text, qty int, parent_id int);\nINSERT INTO ${t} SELECT g, 'dup', -g, g + 1000 FROM generate_series(1, 20) g;`).join('\n'),
          'DROP TABLE t, c, k, f;\nDROP TABLE parents;',
        ),
        'db/migrations/002_unique.sql': dbmate('-- migralint-disable-next-line require-concurrent-index\nCREATE UNIQUE INDEX t_code_key ON t (code);', 'DROP INDEX t_code_key;'),
        'db/migrations/003_check.sql': dbmate('ALTER TABLE c ADD CONSTRAINT qty_positive CHECK (qty > 0);', 'ALTER TABLE c DROP CONSTRAINT qty_positive;'),
        'db/migrations/004_cast.sql': dbmate('ALTER TABLE k ALTER COLUMN code TYPE int USING code::int;', 'ALTER TABLE k ALTER COLUMN code TYPE text;'),
        'db/migrations/005_fk.sql': dbmate('ALTER TABLE f ADD CONSTRAINT f_parent_fk FOREIGN KEY (parent_id) REFERENCES parents (id);', 'ALTER TABLE f DROP CONSTRAINT f_parent_fk;'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 0 },
    );
    expect(positions(out, RULE)).toEqual([
      ['db/migrations/002_unique.sql', 3, 1],
      ['db/migrations/003_check.sql', 2, 1],
      ['db/migrations/004_cast.sql', 2, 1],
      ['db/migrations/005_fk.sql', 2, 1],
    ]);
    const codes = out.findings.filter((f) => f.ruleId === RULE).map((f) => (f.confirmation!.error as { sqlstate: string }).sqlstate);
    expect(codes).toEqual(['23505', '23514', '22P02', '23503']);
    expect(out.findings.find((f) => f.ruleId === RULE)!.message).toMatch(/^This statement succeeds on an empty database but fails once the tables hold rows \(20 rows in t\): ERROR 23505: could not create unique index "t_code_key"/);
  });

  it('does not fire when the rows satisfy the change, or when the migration fails on an empty database too', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_t.sql': dbmate("CREATE TABLE t (id int PRIMARY KEY, code text, qty int);\nINSERT INTO t SELECT g, 'c' || g, g FROM generate_series(1, 20) g;", 'DROP TABLE t;'),
        'db/migrations/002_ok.sql': dbmate('-- migralint-disable-next-line require-concurrent-index\nCREATE UNIQUE INDEX t_code_key ON t (code);\nALTER TABLE t ADD CONSTRAINT qty_positive CHECK (qty > 0);\nALTER TABLE t ADD COLUMN flag boolean NOT NULL DEFAULT false;', 'ALTER TABLE t DROP COLUMN flag;\nALTER TABLE t DROP CONSTRAINT qty_positive;\nDROP INDEX t_code_key;'),
        'db/migrations/003_broken.sql': dbmate('ALTER TABLE missing ADD COLUMN x int;', 'SELECT 1;'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 0 },
    );
    expect(positions(out, RULE)).toEqual([]);
    expect(out.summaries[0]!.failures).toEqual(['003_broken.sql: ERROR 42P01: relation "missing" does not exist']);
  });
});
