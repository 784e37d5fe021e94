/**
 * The Knex fixture set, interpreted statically and linted with the real engine and rules:
 * the must-fire and must-not cases written in fixtures/knex/basic.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './helpers/lint-sql.js';
import { lint } from '../src/engine/lint.js';
import { RULES } from '../src/engine/registry.js';
import type { MigrationSet, RawFinding } from '../src/model.js';
import { loadKnex } from '../src/sources/knex.js';
import { LoadContext } from '../src/sources/set-builder.js';

const ROOT = resolve(import.meta.dirname, '../fixtures/knex/basic');

/** The fixture set through the real Knex loader (static interpretation, raw SQL parsing). */
async function loadSet(): Promise<{ set: MigrationSet; rawErrors: RawFinding[] }> {
  const dir = join(ROOT, 'migrations');
  const files = readdirSync(dir).map((name) => join(dir, name));
  const set = await loadKnex({ format: 'knex', root: dir, files, dialect: 'postgres', dialectForced: false }, new LoadContext(resolve(ROOT, '../../..')));
  return { set, rawErrors: set.migrations.flatMap((m) => m.loadFindings ?? []) };
}

describe('fixtures/knex/basic', () => {
  it('lints the chain: must-fire and must-not cases', async () => {
    const { set, rawErrors } = await loadSet();
    expect(rawErrors).toEqual([]);
    const { findings, analyzable } = await lint([set], RULES, DEFAULT_CONFIG);
    const got = findings.map((f) => [f.ruleId, f.span.file.relPath.split('/').pop(), f.span.file.text.slice(f.span.start, f.span.end)]);
    expect(got).toEqual([
      // Must fire. (Must not: the constant-default NOT NULL column, and the down dropping what the up added.)
      ['require-not-null-backfill', '20240102090000_add_status.js', "table.string('nickname').notNullable()"],
      ['require-concurrent-index', '20240102090000_add_status.js', "table.index('status')"],
      ['require-down', '20240103090000_drop_legacy.ts', 'async function up(knex: Knex): Promise<void> {'],
      ['no-drop-table', '20240103090000_drop_legacy.ts', 'knex.schema.dropTable("legacy_sessions")'],
      ['no-drop-column', '20240103090000_drop_legacy.ts', 'table.dropColumn("legacy_name")'],
      ['no-truncate', '20240103090000_drop_legacy.ts', 'TRUNCATE audit_log'],
      // Reported, not skipped: what cannot be known without running the file.
      ['unanalyzable-statement', '20240105090000_archive_tables.js', 'knex.schema.renameTable(name, `${name}_archive`)'],
      ['unanalyzable-statement', '20240105090000_archive_tables.js', "archiveTable(knex, 'orders')"],
      ['unanalyzable-statement', '20240105090000_archive_tables.js', 'knex.schema.renameTable(`${name}_archive`, name)'],
    ]);
    // Must not fire anywhere: the index inside createTable, the down dropping the up's tables,
    // CREATE INDEX CONCURRENTLY in a migration that opts out of the transaction.
    expect(analyzable).toEqual({ analyzed: 16, total: 19 });
  });

  it('reads the transaction opt-out and the missing down', async () => {
    const { set } = await loadSet();
    const byName = new Map(set.migrations.map((m) => [m.name, m]));
    expect(byName.get('20240104090000_concurrent_index.ts')!.transaction).toBe('none');
    expect(byName.get('20240101090000_create_users.js')!.transaction).toBe('transaction');
    expect(byName.get('20240103090000_drop_legacy.ts')!.downState).toBe('missing');
  });

  it('the same migration without `config.transaction = false` is flagged', async () => {
    const { set } = await loadSet();
    const m = set.migrations.find((x) => x.name === '20240104090000_concurrent_index.ts')!;
    const inTx: MigrationSet = { ...set, migrations: [{ ...m, transaction: 'transaction' }] };
    const { findings } = await lint([inTx], RULES, DEFAULT_CONFIG);
    expect(findings.map((f) => f.ruleId)).toContain('no-concurrent-in-transaction');
  });
});
