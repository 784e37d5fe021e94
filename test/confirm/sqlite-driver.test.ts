import { describe, expect, it } from 'vitest';
import { toDbError } from '../../src/confirm/driver.js';
import { openSqlite } from '../../src/confirm/drivers/sqlite.js';

describe('SQLite confirm driver (real better-sqlite3, in memory)', () => {
  it('names itself with the real SQLite version', async () => {
    const d = await openSqlite();
    expect(d.kind).toBe('sqlite');
    expect(d.dialect).toBe('sqlite');
    expect(d.label).toMatch(/^SQLite 3\.\d+\.\d+$/);
    expect(d.second).toBeUndefined();
    await d.close();
  });

  it('runs several statements with exec, binds ? parameters, counts changed rows', async () => {
    const d = await openSqlite();
    await d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ok BOOLEAN); CREATE INDEX t_name ON t(name);`);
    const ins = await d.query('INSERT INTO t (name, ok) VALUES (?, ?), (?, ?)', ['a', true, 'b', false]);
    expect(ins.rowCount).toBe(2);
    const r = await d.query('SELECT id, name, ok FROM t WHERE name = ? ORDER BY id', ['b']);
    expect(r.rows).toEqual([{ id: 2, name: 'b', ok: 0 }]);
    const upd = await d.query('UPDATE t SET name = ? WHERE id > ?', ['z', 0]);
    expect(upd.rowCount).toBe(2);
    await d.close();
  });

  it('reports the SQLite error code name, and enforces foreign keys', async () => {
    const d = await openSqlite();
    await d.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p(id), n TEXT NOT NULL)');
    const notNull = await d.exec('INSERT INTO c (p_id, n) VALUES (NULL, NULL)').catch(toDbError);
    expect(notNull).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL', message: expect.stringContaining('c.n') });
    const fk = await d.exec(`INSERT INTO c (p_id, n) VALUES (42, 'x')`).catch(toDbError);
    expect(fk).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    const syntax = await d.query('SELEC 1').catch(toDbError);
    expect(syntax).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('syntax error') });
    await d.close();
  });

  it('reset starts over with an empty database; close makes later calls fail cleanly', async () => {
    const d = await openSqlite();
    await d.exec('CREATE TABLE t (x INT); INSERT INTO t VALUES (1)');
    await d.reset();
    const r = await d.query(`SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`);
    expect(r.rows[0]).toEqual({ n: 0 });
    await d.exec('CREATE TABLE t (x INT)'); // the name is free again
    await d.close();
    await expect(d.query('SELECT 1')).rejects.toThrow(/closed/);
    await d.close(); // twice is harmless
  });
});
