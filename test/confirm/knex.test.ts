/**
 * Knex chains under --confirm: replayed through the SQL knex compiles from the statically read
 * calls (no migration file is ever run), end to end; and the hostile fixtures, which would write
 * a sentinel file if any of their code ran, confirmed without it appearing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { HOSTILE_ROOT, HOSTILE_SETS, sentinel } from '../helpers/hostile.js';
import { RULE_TEST_DRIVER, confirmTree, only, tree } from './helpers.js';

afterAll(() => shutdownPglite());

describe('--confirm on Knex migrations', () => {
  it('confirms a Knex chain end to end (NOT NULL add fails with rows, dropColumn loses values, the down is verified)', async () => {
    const dir = tree({
      'knexfile.js': "module.exports = { client: 'pg', migrations: { directory: './migrations' } };\n",
      'migrations/20240101000000_users.js': "exports.up = (knex) => knex.schema.createTable('users', (t) => { t.increments('id'); t.string('email'); t.string('name'); });\nexports.down = (knex) => knex.schema.dropTable('users');\n",
      'migrations/20240102000000_status.js': "exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.string('status').notNullable(); });\nexports.down = (knex) => knex.schema.alterTable('users', (t) => { t.dropColumn('status'); });\n",
      'migrations/20240103000000_drop.js': "exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.dropColumn('name'); });\nexports.down = (knex) => knex.schema.alterTable('users', (t) => { t.string('name'); });\n",
    });
    const out = await confirmTree(dir, RULE_TEST_DRIVER);
    const nn = only(out, 'require-not-null-backfill');
    expect(nn.confirmation).toMatchObject({ status: 'confirmed', error: { sqlstate: '23502' } });
    expect(nn.span.file.relPath).toBe('migrations/20240102000000_status.js');
    const drop = only(out, 'no-drop-column');
    expect(drop.confirmation!.status).toBe('confirmed');
    expect(drop.confirmation!.evidence).toMatch(/lost [\d,]+ non-null values of users\.name/);
    expect(out.summaries[0]).toMatchObject({ migrations: 3, applied: 3, downsVerified: 3, rollback: 'whole chain rolled back to the empty start' });
  });

  it.each(HOSTILE_SETS)('confirms the hostile %s fixtures without running any of their code', async (set) => {
    const s = sentinel();
    try {
      const dir = tree({});
      cpSync(path.join(HOSTILE_ROOT, set), path.join(dir, set), { recursive: true });
      const out = await confirmTree(dir, { ...RULE_TEST_DRIVER, seedRows: 10 });
      s.assertUntouched();
      // Every finding got a status; what could not be read statically was not run.
      for (const f of out.findings) expect(['confirmed', 'not-reproduced', 'skipped']).toContain(f.confirmation?.status);
      for (const f of out.findings.filter((x) => x.ruleId === 'unanalyzable-statement')) expect(f.confirmation!.status).toBe('skipped');
    } finally {
      s.dispose();
    }
  });
});
