/**
 * --statement-timeout really bounds a statement: on PGlite (which cannot interrupt a running
 * statement itself: the driver's watchdog stops its worker and rebuilds the state) and on the
 * real server (Postgres's own statement_timeout). The statement that sleeps fails with 57014,
 * the run goes on, and the later migrations still apply on the state before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import type { ConfirmOptions } from '../../src/confirm/run.js';
import { confirmTree, dbmate, NO_SERVER, only, SERVER_URL, tree } from './helpers.js';

beforeAll(async () => {
  await (await openPglite()).close();
}, 180_000);

afterAll(async () => {
  await shutdownPglite();
});

function sleepingChain(): string {
  return tree({
    'db/migrations/001_items.sql': dbmate('CREATE TABLE items (id bigserial PRIMARY KEY, sku text NOT NULL, note text);'),
    // One sleep per statement (an uncorrelated subquery runs once), far longer than the timeout.
    'db/migrations/002_sleep.sql': dbmate("UPDATE items SET note = (SELECT 'slept' FROM pg_sleep(30));"),
    'db/migrations/003_more.sql': dbmate('ALTER TABLE items ADD COLUMN extra int;\nCREATE INDEX items_sku_idx ON items (sku);'),
  });
}

const TIMEOUT = /^canceling statement due to statement timeout/;

const DRIVERS: [string, Partial<ConfirmOptions>][] = [['PGlite', {}], ...(SERVER_URL ? [['the server', { databaseUrl: SERVER_URL }] as [string, Partial<ConfirmOptions>]] : [])];

describe.each(DRIVERS)('--statement-timeout on %s', (_name, driver) => {
  it('stops a statement that sleeps past the timeout with 57014, and the chain goes on from the state before it', async () => {
    const started = performance.now();
    const out = await confirmTree(sleepingChain(), { ...driver, statementTimeoutMs: 1000 });
    const elapsed = performance.now() - started;
    // Stopped after about a second (plus, on PGlite, a new boot): far from the 30 s it asks for.
    expect(elapsed).toBeLessThan(28_000);
    const dml = only(out, 'no-unbounded-dml');
    expect(dml.confirmation).toMatchObject({ error: { sqlstate: '57014' } });
    expect((dml.confirmation!.error as { message: string }).message).toMatch(TIMEOUT);
    expect(dml.confirmation!.evidence).toMatch(/ERROR 57014: canceling statement due to statement timeout/);
    // On the emptied table the subquery never runs (no row to set): the statement only times out
    // with rows, which is what migration-fails-with-rows says, and the chain applies all three.
    const rows = only(out, 'migration-fails-with-rows');
    expect(rows.message).toMatch(/fails once the tables hold rows \(1,000 rows in items\): ERROR 57014: canceling statement due to statement timeout/);
    expect(out.summaries[0]).toMatchObject({ migrations: 3, applied: 3, failed: 0 });
    // Migration 3 ran on the state after it (on PGlite: rebuilt in a new worker): its index on the existing, re-seeded table is measured.
    const idx = only(out, 'require-concurrent-index');
    expect(idx.confirmation).toMatchObject({ status: 'confirmed', locks: [{ relation: 'items', mode: 'ShareLock', blocks: ['writes', 'DDL'] }] });
    expect(idx.confirmation!.evidence).toMatch(/with 1,000 rows in items/);
  }, 120_000);
});

if (!SERVER_URL) it.skip(`the server case (${NO_SERVER})`, () => undefined);
