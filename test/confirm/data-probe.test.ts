import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/confirm/driver.js';
import { openSqlite } from '../../src/confirm/drivers/sqlite.js';
import { canonicalValue, captureValues, compareCapture, compareValues, tableData } from '../../src/confirm/data-probe.js';
import { DATABASE_URL, NO_SERVER_REASON, testPglite, testServer } from './helpers/pg-drivers.js';

const PG_SETUP = `
CREATE TABLE prices (id int PRIMARY KEY, amount numeric(10,4), label varchar(20), at timestamp, note text);
INSERT INTO prices SELECT g, g + (g % 4) * 0.0025, 'label-' || g, timestamp '2024-03-10 01:00:00' + g * interval '1 hour',
  CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, 40) g;`;
// amount: g%4 = 0 -> g.0000 (exact), 1 -> .0025 (rounds to .00), 2 -> .0050 (rounds to .01), 3 -> .0075 (.01): 30 change.

function postgresCases(name: string, open: () => Promise<Driver>, skip?: string) {
  describe.skipIf(skip !== undefined)(`data probe on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await open();
    });
    afterAll(async () => {
      await d?.close();
    });

    it('counts rows, non-null values and checksums each column independently of row order', async () => {
      await d.reset();
      await d.exec(PG_SETUP);
      const a = await tableData(d, 'public.prices');
      expect(a.rows).toBe(40);
      expect(a.columns.note!.nonNull).toBe(27);
      expect(a.columns.amount!.nonNull).toBe(40);
      await d.exec(`UPDATE prices SET id = -id`); // new row versions in another order, same values
      await d.exec(`UPDATE prices SET id = -id`);
      await d.exec('VACUUM FULL prices'); // a rewrite
      const b = await tableData(d, 'public.prices');
      expect(b).toEqual(a);
      await d.exec(`UPDATE prices SET note = 'changed' WHERE id = 1`);
      const c = await tableData(d, 'public.prices');
      expect(c.columns.note!.checksum).not.toBe(a.columns.note!.checksum);
      expect(c.columns.amount!.checksum).toBe(a.columns.amount!.checksum);
    });

    it('numeric(10,4) -> numeric(10,2): exactly the rounded values change, with an example', async () => {
      await d.reset();
      await d.exec(PG_SETUP);
      const cap = await captureValues(d, 'public.prices');
      await d.exec('ALTER TABLE prices ALTER COLUMN amount TYPE numeric(10,2)');
      const changes = await compareValues(d, cap);
      expect(changes).toEqual([{ column: 'amount', changed: 30, example: { before: '1.0025', after: '1.00' } }]);
    });

    it('a widening type change (numeric(10,4) -> numeric(12,6), int -> bigint) changes nothing', async () => {
      await d.reset();
      await d.exec(PG_SETUP);
      const cap = await captureValues(d, 'public.prices');
      await d.exec('ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12,6), ALTER COLUMN id TYPE bigint');
      expect(await compareValues(d, cap)).toEqual([]);
    });

    it('varchar truncation by an explicit cast is counted; a dropped column is reported as dropped', async () => {
      await d.reset();
      await d.exec(PG_SETUP);
      const cap = await captureValues(d, 'public.prices');
      await d.exec('ALTER TABLE prices ALTER COLUMN label TYPE varchar(7) USING label::varchar(7); ALTER TABLE prices DROP COLUMN note');
      const cmp = await compareCapture(d, cap);
      expect(cmp.changes).toEqual([{ column: 'label', changed: 31, example: { before: 'label-10', after: 'label-1' } }]);
      expect(cmp.droppedColumns).toEqual(['note']);
      expect(cmp.matchedBy).toEqual({ key: ['id'] });
    });

    it('timestamp -> timestamptz: no change in UTC, every value shifted under another zone', async () => {
      await d.reset();
      await d.exec(PG_SETUP);
      const cap = await captureValues(d, 'public.prices', ['at']);
      await d.exec(`SET TimeZone = 'UTC'; ALTER TABLE prices ALTER COLUMN at TYPE timestamptz`);
      expect(await compareValues(d, cap)).toEqual([]);
      await d.reset();
      await d.exec(PG_SETUP);
      const cap2 = await captureValues(d, 'public.prices', ['at']);
      await d.exec(`SET TimeZone = 'America/New_York'; ALTER TABLE prices ALTER COLUMN at TYPE timestamptz`);
      const changes = await compareValues(d, cap2);
      await d.exec(`SET TimeZone = 'UTC'`);
      // 2024-03-10 02:00 does not exist in New York (DST starts): Postgres reads it as 03:00 EDT.
      expect(changes).toEqual([{ column: 'at', changed: 40, example: { before: '2024-03-10 02:00:00', after: '2024-03-10 03:00:00-04' } }]);
    });

    it('without a key, columns are compared as multisets', async () => {
      await d.reset();
      await d.exec(`CREATE TABLE "Log Lines" ("Value" numeric(8,3), "select" text);
        INSERT INTO "Log Lines" SELECT g * 1.001, 'x' FROM generate_series(1, 10) g;`);
      const cap = await captureValues(d, 'public.Log Lines');
      await d.exec(`ALTER TABLE "Log Lines" ALTER COLUMN "Value" TYPE numeric(8,1)`);
      const cmp = await compareCapture(d, cap);
      expect(cmp.matchedBy).toBe('multiset');
      expect(cmp.changes).toEqual([{ column: 'Value', changed: 10, example: { before: '1.001', after: '1.0' } }]);
      await d.exec(`DROP TABLE "Log Lines"`);
      expect((await compareCapture(d, cap)).tableMissing).toBe(true);
    });
  });
}

postgresCases('PGlite', testPglite);
postgresCases('the local server', () => testServer(DATABASE_URL!), DATABASE_URL ? undefined : NO_SERVER_REASON);

describe('data probe on SQLite', () => {
  it('counts, checksums, and compares values across a table rebuild that changes a type', async () => {
    const d = await openSqlite();
    await d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, price REAL, name TEXT, gone TEXT);
      WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 20)
      INSERT INTO t SELECT x, x + 0.25, 'name' || x, CASE WHEN x % 2 = 0 THEN 'g' END FROM g;`);
    const data = await tableData(d, 't');
    expect(data.rows).toBe(20);
    expect(data.columns.gone!.nonNull).toBe(10);
    expect(data.columns.price!.checksum).toMatch(/^[0-9a-f]{32}$/);
    const cap = await captureValues(d, 't');
    await d.exec(`CREATE TABLE t_new (id INTEGER PRIMARY KEY, price INTEGER, name TEXT);
      INSERT INTO t_new SELECT id, CAST(price AS INTEGER), name FROM t; DROP TABLE t; ALTER TABLE t_new RENAME TO t;`);
    const cmp = await compareCapture(d, cap);
    expect(cmp.changes).toEqual([{ column: 'price', changed: 20, example: { before: '1.25', after: '1' } }]);
    expect(cmp.droppedColumns).toEqual(['gone']);
    await d.close();
  });
});

describe('canonical renderings', () => {
  it('equal numbers and instants compare equal, others not', () => {
    expect(canonicalValue('1.5000')).toBe(canonicalValue('1.50'));
    expect(canonicalValue('-0.00')).toBe(canonicalValue('0'));
    expect(canonicalValue('1.5')).not.toBe(canonicalValue('1.05'));
    expect(canonicalValue('2024-03-10 02:30:00')).toBe(canonicalValue('2024-03-10 02:30:00+00'));
    expect(canonicalValue('2024-03-10 10:00:00')).not.toBe(canonicalValue('2024-03-10 10:00:00-05'));
    expect(canonicalValue('2024-03-10 15:00:00')).toBe(canonicalValue('2024-03-10 10:00:00-05'));
    expect(canonicalValue('abc')).toBe('abc');
  });
});
