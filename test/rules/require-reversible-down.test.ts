/** require-reversible-down fires only under --confirm, from the schema before the up and after the down. */
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { check } from '../../src/check.js';
import { loadConfig } from '../../src/engine/config.js';
import { RULE_TEST_DRIVER, confirmTree, dbmate, positions, tree } from '../confirm/helpers.js';

const RULE = 'require-reversible-down';
afterAll(() => shutdownPglite());

const base = dbmate('CREATE TABLE items (id int PRIMARY KEY, sku text, price numeric(10,2));', 'DROP TABLE items;');

describe(RULE, () => {
  it('fires where the down leaves an index, a column type or a constraint behind, listing the differences', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_items.sql': base,
        'db/migrations/002_idx.sql': dbmate('-- migralint-disable-next-line require-concurrent-index\nCREATE INDEX items_sku_idx ON items (sku);', 'SELECT 1;'),
        'db/migrations/003_type.sql': dbmate('ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2);', "ALTER TABLE items ALTER COLUMN price SET DEFAULT 0;"),
        'db/migrations/004_fails.sql': dbmate('ALTER TABLE items ADD COLUMN note text;', 'ALTER TABLE items DROP COLUMN notes;'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 10 },
    );
    expect(positions(out, RULE)).toEqual([
      ['db/migrations/002_idx.sql', 5, 1],
      ['db/migrations/003_type.sql', 4, 1],
      ['db/migrations/004_fails.sql', 4, 1],
    ]);
    const [idx, type, fails] = out.findings.filter((f) => f.ruleId === RULE);
    expect(idx!.message).toMatch(/^The down of 002_idx\.sql leaves the schema different from before its up: .*items_sku_idx/);
    expect(type!.message).toMatch(/items\.price/);
    expect(fails!.message).toBe('The down of 004_fails.sql fails right after its up: ERROR 42703: column "notes" of relation "items" does not exist');
    expect(fails!.confirmation!.status).toBe('confirmed');
  });

  it('does not fire for downs that undo their up, nor in a run without --confirm', async () => {
    const dir = tree({
      'db/migrations/001_items.sql': base,
      'db/migrations/002_idx.sql': dbmate('-- migralint-disable-next-line require-concurrent-index\nCREATE INDEX items_sku_idx ON items (sku);\nALTER TABLE items ADD COLUMN note text DEFAULT \'x\' NOT NULL;', 'ALTER TABLE items DROP COLUMN note;\nDROP INDEX items_sku_idx;'),
      'db/migrations/003_type.sql': dbmate('ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2);', 'ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2);'),
    });
    const out = await confirmTree(dir, { ...RULE_TEST_DRIVER, seedRows: 10 });
    expect(positions(out, RULE)).toEqual([]);
    expect(out.summaries[0]).toMatchObject({ downsVerified: 3, rollback: 'whole chain rolled back to the empty start' });
    const config = await loadConfig(dir);
    const bad = tree({ 'db/migrations/001_items.sql': dbmate('CREATE TABLE t (id int);', 'SELECT 1;') });
    expect((await check(['.'], { cwd: bad, config })).findings.map((f) => f.ruleId)).not.toContain(RULE);
  });

  it('fires when rolling the whole chain back does not return to the empty start', async () => {
    const out = await confirmTree(
      tree({
        'db/migrations/001_items.sql': dbmate('CREATE TABLE items (id int PRIMARY KEY);\nCREATE SEQUENCE items_seq;', 'DROP TABLE items;\nDROP SEQUENCE items_seq;'),
        'db/migrations/002_audit.sql': dbmate('CREATE TABLE audit (id int);', 'DROP TABLE audit;\nCREATE TABLE audit_archive (id int);'),
      }),
      { ...RULE_TEST_DRIVER, seedRows: 10 },
    );
    const messages = out.findings.filter((f) => f.ruleId === RULE).map((f) => f.message);
    expect(messages.some((m) => m.startsWith('The down of 002_audit.sql leaves the schema different from before its up:') && m.includes('audit_archive'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Rolling the whole chain back (every down, newest first) does not return to the empty start:') && m.includes('audit_archive'))).toBe(true);
  });
});
