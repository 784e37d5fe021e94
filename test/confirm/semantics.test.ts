/**
 * Every rule's confirmation semantics (src/confirm/semantics.ts), on the real PGlite: locks
 * observed and what they block, rewrites, rows and values touched or lost, renames and lost
 * NOT NULLs seen in the catalog, a lock held across later statements; skipped where nothing can
 * be run; and every registered rule mapped on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { SEMANTICS } from '../../src/confirm/semantics.js';
import { RULES } from '../../src/engine/registry.js';
import { confirmTree, dbmate, only, tree } from './helpers.js';

beforeAll(async () => {
  await (await openPglite()).close();
}, 180_000);

afterAll(async () => {
  await shutdownPglite();
});

const users = dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text);', 'DROP TABLE users;');
const config = (rules: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ rules, ...extra });

describe('confirmation semantics', () => {
  it('maps every registered rule explicitly (a new rule must say what confirms it)', () => {
    const missing = RULES.map((r) => r.meta.id).filter((id) => !(id in SEMANTICS));
    expect(missing).toEqual([]);
  });

  it('locks: DROP INDEX, ADD UNIQUE and REINDEX confirmed by the lock observed and what it blocks; a domain constraint that locks nothing not reproduced', async () => {
    const out = await confirmTree(tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_idx.sql': dbmate('CREATE INDEX CONCURRENTLY users_name_idx ON users (name);', '', 'transaction:false'),
      'db/migrations/003_drop_idx.sql': dbmate('DROP INDEX users_name_idx;'),
      'db/migrations/004_unique.sql': dbmate('ALTER TABLE users ADD CONSTRAINT users_id_key UNIQUE (id);'),
      'db/migrations/005_reindex.sql': dbmate('REINDEX TABLE users;'),
      'db/migrations/006_domain.sql': dbmate('CREATE DOMAIN posint AS int;\nALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 0);'),
    }));
    const drop = only(out, 'require-concurrent-index-drop');
    expect(drop.confirmation).toMatchObject({ status: 'confirmed', locks: expect.arrayContaining([{ relation: 'users', mode: 'AccessExclusiveLock', blocks: ['reads', 'writes', 'DDL'] }]) });
    expect(drop.confirmation!.evidence).toMatch(/^on PGlite 18\.\d+ with 1,000 rows in users: took AccessExclusiveLock on users \(blocks reads, writes, DDL\)/);
    expect(only(out, 'no-add-unique-constraint').confirmation).toMatchObject({ status: 'confirmed', locks: expect.arrayContaining([{ relation: 'users', mode: 'AccessExclusiveLock', blocks: ['reads', 'writes', 'DDL'] }]) });
    // A domain no table uses: its new constraint checks nothing and locks no table.
    const dom = only(out, 'no-domain-constraint');
    expect(dom.confirmation!.status).toBe('not-reproduced');
    expect(dom.confirmation!.evidence).toMatch(/^on PGlite 18\.\d+ with no existing table touched: took no lock on a user relation, nothing that blocks writes/);
    expect(dom.severity).toBe('info');
    const reindex = only(out, 'require-concurrent-reindex');
    expect(reindex.confirmation).toMatchObject({ status: 'confirmed', locks: expect.arrayContaining([{ relation: 'users', mode: 'ShareLock', blocks: ['writes', 'DDL'] }]) });
  });

  it('rewrites: a volatile default and a type change confirmed by the new relfilenode', async () => {
    const out = await confirmTree(tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_volatile.sql': dbmate('ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT clock_timestamp();'),
      'db/migrations/003_type.sql': dbmate('ALTER TABLE users ALTER COLUMN name TYPE jsonb USING to_jsonb(name);'),
    }));
    const vol = only(out, 'no-volatile-default');
    expect(vol.confirmation).toMatchObject({ status: 'confirmed', rewrite: true });
    expect(vol.confirmation!.evidence).toMatch(/with 1,000 rows in users: rewrote users \(new relfilenode\); took AccessExclusiveLock on users/);
    const type = only(out, 'no-column-type-change');
    expect(type.confirmation).toMatchObject({ status: 'confirmed', rewrite: true });
  });

  it('data: UPDATE without WHERE ran over every row; TRUNCATE lost every row', async () => {
    const out = await confirmTree(tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_update.sql': dbmate("UPDATE users SET name = 'x';"),
      'db/migrations/003_truncate.sql': dbmate('TRUNCATE users;'),
    }));
    const dml = only(out, 'no-unbounded-dml');
    expect(dml.confirmation!.status).toBe('confirmed');
    expect(dml.confirmation!.evidence).toMatch(/: it ran over every row \(1,000 in users\), each locked until the transaction ends/);
    const tr = only(out, 'no-truncate');
    expect(tr.confirmation).toMatchObject({ status: 'confirmed', rowsLost: 1000 });
  });

  it('catalog: renames of a table and a column and a dropped NOT NULL, as observed', async () => {
    const out = await confirmTree(tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_col.sql': dbmate('ALTER TABLE users RENAME COLUMN email TO mail;'),
      'db/migrations/003_nn.sql': dbmate('ALTER TABLE users ALTER COLUMN mail DROP NOT NULL;'),
      'db/migrations/004_table.sql': dbmate('ALTER TABLE users RENAME TO people;'),
    }));
    expect(only(out, 'no-rename-column').confirmation!.evidence).toMatch(/with 1,000 rows in users: users\.email renamed to mail \(observed in the catalog\); took AccessExclusiveLock on users/);
    expect(only(out, 'no-rename-column').confirmation!.status).toBe('confirmed');
    expect(only(out, 'no-drop-not-null').confirmation!.evidence).toMatch(/users\.mail now accepts NULL \(observed in the catalog\)/);
    const t = only(out, 'no-rename-table');
    expect(t.confirmation!.status).toBe('confirmed');
    expect(t.confirmation!.evidence).toMatch(/: renamed users → people \(observed in the catalog\)/);
  });

  it('a statement run while an earlier one of its transaction holds ACCESS EXCLUSIVE; advice and file facts skipped; an estimate from tableRows', async () => {
    const out = await confirmTree(tree({
      'migralint.config.json': config({ 'no-statements-after-exclusive-lock': 'warn', 'prefer-bigint': 'warn' }, { tableRows: { users: 20_000_000 } }),
      'db/migrations/001_users.sql': users,
      'db/migrations/002_two.sql': dbmate("ALTER TABLE users ADD COLUMN n int;\nUPDATE users SET name = 'y' WHERE id > 0;"),
    }));
    const after = only(out, 'no-statements-after-exclusive-lock');
    expect(after.confirmation!.status).toBe('confirmed');
    expect(after.confirmation!.evidence).toMatch(/with 1,000 rows in users: it ran while its transaction held AccessExclusiveLock on users \(reads and writes of it wait meanwhile\); [\d.]+ ms \(estimate for 20,000,000 rows in users: ~/);
    expect(after.confirmation!.estimate).toMatchObject({ table: 'users', rows: 20_000_000, basis: expect.stringContaining('an estimate, not a measurement') });
    const advice = out.findings.filter((f) => f.ruleId === 'prefer-bigint');
    expect(advice.length).toBeGreaterThan(0);
    for (const f of advice) expect(f.confirmation).toEqual({ status: 'skipped', evidence: 'a recommendation about the column type: running it shows nothing either way' });
    expect(only(out, 'require-down').confirmation).toEqual({ status: 'skipped', evidence: 'a fact about the files (no down migration): nothing to run' });
  });
});
