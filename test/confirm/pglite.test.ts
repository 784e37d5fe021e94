/**
 * check --confirm on the real PGlite: every finding gets a status from what the database did.
 * One PGlite boot serves the whole file (the driver keeps one instance per process).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayChain } from '../../src/confirm/chain.js';
import { openPglite, shutdownPglite } from '../../src/confirm/drivers/pglite.js';
import { loadSafety } from '../../src/confirm/safety.js';
import { formatConfirmSummary } from '../../src/confirm/summary.js';
import { discover } from '../../src/discover/discover.js';
import { spanToRegion } from '../../src/report/location.js';
import { confirmTree, dbmate, only, tree } from './helpers.js';

// The boot is the slow part (seconds; more on a loaded machine): once, before the cases.
beforeAll(async () => {
  await (await openPglite()).close();
}, 180_000);

afterAll(async () => {
  await shutdownPglite();
});

const users = dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, email text, name varchar(100));', 'DROP TABLE users;');

describe('--confirm on PGlite', () => {
  it('confirms a NOT NULL add with the real error and SQLSTATE, and reports that it fails only with rows', async () => {
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_status.sql': dbmate('ALTER TABLE users ADD COLUMN status text NOT NULL;', 'ALTER TABLE users DROP COLUMN status;'),
    });
    const out = await confirmTree(dir);
    const f = only(out, 'require-not-null-backfill');
    expect(f.confirmation).toMatchObject({ status: 'confirmed', error: { sqlstate: '23502', message: 'column "status" of relation "users" contains null values' } });
    expect(f.confirmation!.evidence).toMatch(/^on PGlite 18\.\d+ with 1,000 rows in users: ERROR 23502: column "status" of relation "users" contains null values/);
    expect(f.severity).toBe('error');
    const rows = only(out, 'migration-fails-with-rows');
    expect(rows.message).toContain('succeeds on an empty database but fails once the tables hold rows (1,000 rows in users)');
    expect(rows.span.file.relPath).toBe('db/migrations/002_status.sql');
    // The chain went on: the migration applied on emptied tables, its down was verified.
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, downsVerified: 2 });
  });

  it('reports a SET NOT NULL that the rule cannot prove safe as not reproduced when every row has a value (info unless --strict)', async () => {
    const files = {
      'db/migrations/001_users.sql': dbmate('CREATE TABLE users (id bigserial PRIMARY KEY, status text);', 'DROP TABLE users;'),
      'db/migrations/002_fill.sql': dbmate("UPDATE users SET status = 'active' WHERE id > 0;\nALTER TABLE users ALTER COLUMN status SET NOT NULL;", 'ALTER TABLE users ALTER COLUMN status DROP NOT NULL;'),
    };
    const out = await confirmTree(tree(files));
    const f = only(out, 'require-not-null-backfill');
    expect(f.confirmation!.status).toBe('not-reproduced');
    expect(f.confirmation!.evidence).toContain('with 1,000 rows in users: it ran without error');
    expect(f.confirmation!.error).toBeUndefined();
    expect(f.severity).toBe('info');
    const strict = await confirmTree(tree(files), { strict: true });
    expect(only(strict, 'require-not-null-backfill').severity).toBe('error');
  });

  it('confirms a non-concurrent index with the ShareLock it took, a type change as a rewrite, a narrowing by its exact count', async () => {
    const dir = tree({
      'db/migrations/001_items.sql': dbmate('CREATE TABLE items (id int PRIMARY KEY, sku text, price double precision);\nINSERT INTO items VALUES (1, \'a\', 1.23456789012), (2, \'b\', 2.5), (3, NULL, 3.14159265358979);', 'DROP TABLE items;'),
      'db/migrations/002_index.sql': dbmate('CREATE INDEX items_sku_idx ON items (sku);\nALTER TABLE items ALTER COLUMN price TYPE real;', 'DROP INDEX items_sku_idx;\nALTER TABLE items ALTER COLUMN price TYPE double precision;'),
    });
    const out = await confirmTree(dir, { seedRows: 0 });
    const idx = only(out, 'require-concurrent-index');
    expect(idx.confirmation!.status).toBe('confirmed');
    expect(idx.confirmation!.locks).toEqual([{ relation: 'items', mode: 'ShareLock', blocks: ['writes', 'DDL'] }]);
    expect(idx.confirmation!.blocked).toBeUndefined(); // PGlite has no second connection
    const lossy = only(out, 'no-lossy-change');
    expect(lossy.message).toBe('2 values of existing rows in items.price changed (e.g. "1.23456789012" became "1.2345679"): the rows survive, their data does not.');
    expect(lossy.confirmation).toMatchObject({ status: 'confirmed', rewrite: true, valuesChanged: 2 });
    expect(lossy.span.file.text.slice(lossy.span.start, lossy.span.end)).toBe('ALTER TABLE items ALTER COLUMN price TYPE real');
  });

  it('counts the exact non-null values a DROP COLUMN loses', async () => {
    const dir = tree({
      'db/migrations/001_items.sql': dbmate("CREATE TABLE items (id int PRIMARY KEY, sku text);\nINSERT INTO items VALUES (1, 'a'), (2, NULL), (3, 'c');", 'DROP TABLE items;'),
      'db/migrations/002_drop.sql': dbmate('ALTER TABLE items DROP COLUMN sku;', 'ALTER TABLE items ADD COLUMN sku text;'),
    });
    const out = await confirmTree(dir, { seedRows: 0 });
    const f = only(out, 'no-drop-column');
    expect(f.confirmation).toMatchObject({ status: 'confirmed', rowsLost: 0, locks: [{ relation: 'items', mode: 'AccessExclusiveLock', blocks: ['reads', 'writes', 'DDL'] }] });
    expect(f.confirmation!.evidence).toContain('lost 2 non-null values of items.sku');
  });

  it('confirms a rebuild that leaves a column out, at the copy, by the non-null values the copy does not carry', async () => {
    const dir = tree({
      'db/migrations/001_runs.sql': dbmate("CREATE TABLE runs (id bigint PRIMARY KEY, version bigint NOT NULL UNIQUE, note text);\nINSERT INTO runs VALUES (1, 10, 'a'), (2, 20, NULL), (3, 30, 'c');", 'DROP TABLE runs;'),
      'db/migrations/002_rebuild.sql': dbmate(
        "ALTER TABLE runs RENAME TO runs_old;\nCREATE TABLE runs (line text NOT NULL, version bigint NOT NULL, PRIMARY KEY (line, version));\nINSERT INTO runs (line, version)\n  SELECT 'main', version FROM runs_old;\nDROP TABLE runs_old;",
      ),
    });
    const out = await confirmTree(dir, { seedRows: 0 });
    const f = only(out, 'no-drop-column');
    expect(f.message).toBe('Rebuilding "runs" leaves out columns "id", "note": the data in them is lost when the old table is dropped.');
    expect(f.confirmation!.status).toBe('confirmed');
    expect(f.confirmation!.evidence).toMatch(/^on PGlite [\d.]+ with 3 rows in runs_old: lost 3 non-null values of runs_old\.id left out of the copy into runs, 2 non-null values of runs_old\.note left out of the copy into runs;/);
  });

  it('confirms the second CREATE INDEX on a table in one transaction, which runs under the SHARE lock the first one took', async () => {
    const dir = tree({
      'db/migrations/001_actions.sql': dbmate('CREATE TABLE actions (id bigint PRIMARY KEY, tenant text, rollout bigint, grp bigint, status int);', 'DROP TABLE actions;'),
      'db/migrations/002_indexes.sql': dbmate('CREATE INDEX actions_rollout ON actions (tenant, rollout, status);\nCREATE INDEX actions_grp ON actions (tenant, grp, status);', 'DROP INDEX actions_grp;\nDROP INDEX actions_rollout;'),
    });
    const out = await confirmTree(dir);
    const found = out.findings.filter((f) => f.ruleId === 'require-concurrent-index');
    expect(found.map((f) => [f.severity, f.confirmation!.status])).toEqual([
      ['error', 'confirmed'],
      ['error', 'confirmed'],
    ]);
    expect(found[1]!.confirmation!.evidence).toMatch(/^on PGlite [\d.]+ with 1,000 rows in actions: took no lock on a user relation; its transaction already held ShareLock on actions \(taken by an earlier statement\), under which it ran;/);
  });

  it('reports a down that forgets an index, with the difference', async () => {
    const dir = tree({
      'db/migrations/001_items.sql': dbmate('CREATE TABLE items (id int PRIMARY KEY, sku text);', 'DROP TABLE items;'),
      'db/migrations/002_index.sql': dbmate('-- migralint-disable-next-line require-concurrent-index\nCREATE INDEX items_sku_idx ON items (sku);\nALTER TABLE items ADD COLUMN note text;', 'ALTER TABLE items DROP COLUMN note;'),
    });
    const out = await confirmTree(dir);
    const f = only(out, 'require-reversible-down');
    expect(f.message).toMatch(/^The down of 002_index\.sql leaves the schema different from before its up: .*items_sku_idx/);
    expect(f.span.file.relPath).toBe('db/migrations/002_index.sql');
    expect(f.span.file.text.slice(f.span.start, f.span.end)).toBe('ALTER TABLE items DROP COLUMN note');
    expect(f.confirmation!.status).toBe('confirmed');
    expect(out.summaries[0]).toMatchObject({ applied: 2, downsVerified: 1, downsFailed: 1 });
    // A down that does undo its up is not reported.
    expect(out.findings.filter((x) => x.ruleId === 'require-reversible-down')).toHaveLength(1);
  });

  it('goes on past a migration that fails even on an empty database, and marks what depends on it', async () => {
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_broken.sql': dbmate('ALTER TABLE accounts ADD COLUMN x int;\nCREATE TABLE audit (id int PRIMARY KEY, body text);', 'DROP TABLE audit;'),
      'db/migrations/003_audit.sql': dbmate('ALTER TABLE audit DROP COLUMN body;', 'ALTER TABLE audit ADD COLUMN body text;'),
      'db/migrations/004_users.sql': dbmate('ALTER TABLE users DROP COLUMN name;', 'ALTER TABLE users ADD COLUMN name varchar(100);'),
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 4, applied: 2, failed: 2 });
    expect(out.summaries[0]!.failures![0]).toBe('002_broken.sql: ERROR 42P01: relation "accounts" does not exist');
    const drops = out.findings.filter((f) => f.ruleId === 'no-drop-column');
    expect(drops.map((f) => [f.span.file.relPath, f.confirmation!.status])).toEqual([
      ['db/migrations/003_audit.sql', 'skipped'],
      ['db/migrations/004_users.sql', 'confirmed'],
    ]);
    expect(drops[0]!.confirmation!.evidence).toMatch(/^depends on migration 002_broken\.sql, which failed: ERROR 42P01: relation "audit" does not exist/);
  });

  it('never runs COPY ... TO PROGRAM (the sentinel file never appears), and says why it skipped it', async () => {
    const dir = tree({});
    const sentinel = path.join(dir, 'SENTINEL');
    const files = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_copy.sql': dbmate(`-- migralint-disable-next-line no-drop-table\nCOPY users TO PROGRAM 'touch ${sentinel}';\nDROP TABLE users;`, `CREATE TABLE users (id bigserial PRIMARY KEY);`),
    });
    const out = await confirmTree(files);
    expect(existsSync(sentinel)).toBe(false);
    // The DROP after the skipped COPY still ran and was measured.
    expect(out.summaries[0]).toMatchObject({ applied: 2 });
    expect(out.summaries[0]!.notRun).toEqual(['db/migrations/002_copy.sql:3: not run for safety: COPY ... TO PROGRAM runs a program on the server']);
  });

  it('replays a templated chain (Go template and ${} placeholders) with the placeholders filled in as lowering reads them, in a schema made for them', async () => {
    const ns = '{{ index .Options "Namespace" }}';
    const dir = tree({
      'migrations/1_users.up.sql': `CREATE TABLE IF NOT EXISTS ${ns}.users (id bigint PRIMARY KEY, email text);\n{{ if .Extras }}CREATE INDEX users_email ON ${ns}.users (email);{{ end }}\n`,
      'migrations/1_users.down.sql': `DROP TABLE ${ns}.users;\n`,
      'migrations/2_status.up.sql': [
        `ALTER TABLE "${ns}"."users" ADD COLUMN status text NOT NULL;`,
        // A DO block that reads the catalogue by the placeholder, as supabase auth's do.
        `DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${ns}' AND table_name = 'users' AND column_name = 'email') THEN ALTER TABLE ${ns}.users RENAME COLUMN email TO email_address; END IF; END $$;`,
        '',
      ].join('\n'),
      'migrations/2_status.down.sql': `ALTER TABLE ${ns}.users RENAME COLUMN email_address TO email;\nALTER TABLE ${ns}.users DROP COLUMN status;\n`,
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, downsVerified: 2, placeholderSchemas: ['namespace'], notRun: [] });
    const f = only(out, 'require-not-null-backfill');
    expect(f.confirmation).toMatchObject({ status: 'confirmed', error: { sqlstate: '23502', message: 'column "status" of relation "users" contains null values' } });
    expect(f.confirmation!.evidence).toContain('with 1,000 rows in namespace.users');
    // The DO block ran (its rename is what the down undoes, and the down was verified).
    expect(only(out, 'no-rename-column').confirmation?.status).not.toBe('skipped');
    expect(formatConfirmSummary(out.summaries)).toContain('template placeholders replayed as "namespace" (created as a schema before the first migration)');
  });

  it('replays psql variables (:SCHEMA) in statements and function bodies, in a schema made for them', async () => {
    const dir = tree({
      'sql/000001.sql': [
        'create table :APP_SCHEMA.jobs (id bigint primary key, queue text, spec text);',
        'create type :APP_SCHEMA.job_spec as (queue text);',
        "create function :APP_SCHEMA.add_job(q text) returns :APP_SCHEMA.jobs as $$",
        'declare v :APP_SCHEMA.jobs;',
        'begin select * into v from :APP_SCHEMA.jobs where queue = (row(q):::APP_SCHEMA.job_spec).queue limit 1; return v; end;',
        '$$ language plpgsql;',
        '',
      ].join('\n'),
      'sql/000002.sql': 'select :APP_SCHEMA.add_job(\'default\');\nalter table :APP_SCHEMA.jobs rename to _private_jobs;\n',
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, failed: 0, placeholderSchemas: ['_app_schema'], notRun: [] });
    expect(only(out, 'no-rename-table').confirmation).toMatchObject({ status: 'confirmed' });
    expect(out.findings.map((f) => f.ruleId)).not.toContain('syntax-error');
  });

  it('runs a DO block that commits between batches outside a transaction block, as the tool would', async () => {
    const dir = tree({
      'migrations/0001-objects.sql': 'CREATE TABLE objects (id bigint PRIMARY KEY, name text, level int);\n',
      'migrations/0002-backfill-levels.sql': [
        '-- backfill in batches, committing after each',
        'DO $$',
        'DECLARE n int;',
        'BEGIN',
        '  LOOP',
        '    UPDATE objects SET level = 1 WHERE id IN (SELECT id FROM objects WHERE level IS NULL LIMIT 100);',
        '    GET DIAGNOSTICS n = ROW_COUNT;',
        '    COMMIT;',
        '    EXIT WHEN n = 0;',
        '  END LOOP;',
        'END $$;',
        '',
      ].join('\n'),
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, failed: 0 });
  });

  it('a templated statement that reaches outside the database is still never run (the sentinel file never appears)', async () => {
    const sentinel = path.join(tree({}), 'SENTINEL');
    const dir = tree({
      'migrations/1_users.up.sql': 'CREATE TABLE {{ .Schema }}.users (id int PRIMARY KEY);\n',
      'migrations/1_users.down.sql': 'DROP TABLE {{ .Schema }}.users;\n',
      'migrations/2_export.up.sql': `{{ if .Export }}COPY {{ .Schema }}.users TO PROGRAM 'touch ${sentinel}';{{ end }}\nCOPY {{ .Schema }}.users TO PROGRAM '{{ .Command }}';\n`,
      'migrations/2_export.down.sql': 'SELECT 1;\n',
    });
    const out = await confirmTree(dir);
    expect(existsSync(sentinel)).toBe(false);
    expect(out.summaries[0]!.notRun).toEqual([
      'migrations/2_export.up.sql:1: not run for safety: COPY ... TO PROGRAM runs a program on the server',
      'migrations/2_export.up.sql:2: not run for safety: COPY ... TO PROGRAM runs a program on the server',
    ]);
  });

  it('makes no schema for a placeholder the chain creates itself, nor for one inside a string literal', async () => {
    const dir = tree({
      'db/migration/V1__schema.sql': 'CREATE SCHEMA ${schema};\nCREATE TABLE ${schema}.users (id int PRIMARY KEY);\n',
      'db/migration/V2__note.sql': "INSERT INTO ${schema}.users (id) VALUES (1);\nCOMMENT ON TABLE ${schema}.users IS '${note}';\nTRUNCATE ${schema}.users;\n",
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, failed: 0 });
    expect(out.summaries[0]!.placeholderSchemas).toBeUndefined();
    expect(only(out, 'no-truncate').confirmation).toMatchObject({ status: 'confirmed' });
  });

  it('a transaction that fails with rows at one statement, then at another on another table, is re-run until it applies on emptied tables', async () => {
    const dir = tree({
      'migrations/1_init.up.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, note text);\nCREATE TABLE profiles (id bigint PRIMARY KEY, name text);\n',
      'migrations/1_init.down.sql': 'DROP TABLE profiles;\nDROP TABLE invoices;\n',
      // golang-migrate sends the file as one query: one transaction.
      'migrations/2_required.up.sql': 'ALTER TABLE invoices ADD COLUMN currency text NOT NULL;\nALTER TABLE profiles ADD COLUMN country text NOT NULL;\n',
      'migrations/2_required.down.sql': 'ALTER TABLE profiles DROP COLUMN country;\nALTER TABLE invoices DROP COLUMN currency;\n',
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 2, applied: 2, failed: 0, downsVerified: 2 });
    const backfills = out.findings.filter((f) => f.ruleId === 'require-not-null-backfill');
    expect(backfills.map((f) => [f.span.file.relPath, f.confirmation?.status, (f.confirmation?.error as { sqlstate?: string } | undefined)?.sqlstate])).toEqual([
      ['migrations/2_required.up.sql', 'confirmed', '23502'],
      ['migrations/2_required.up.sql', 'confirmed', '23502'],
    ]);
    const rows = out.findings.filter((f) => f.ruleId === 'migration-fails-with-rows').map((f) => f.message);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('rows in invoices');
    expect(rows[1]).toContain('rows in profiles');
  });

  it('keeps a failure to one line of the summary, however long and many-lined its error', async () => {
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_guard.sql': dbmate("DO $$ BEGIN RAISE EXCEPTION E'cannot migrate these:\\n%', repeat('id-1234, ', 2000); END $$;", 'SELECT 1;'),
    });
    const out = await confirmTree(dir);
    const failure = out.summaries[0]!.failures![0]!;
    expect(failure).toMatch(/^002_guard\.sql: ERROR P0001: cannot migrate these: id-1234, id-1234, .*…$/);
    expect(failure.length).toBeLessThan(340);
    const printed = formatConfirmSummary(out.summaries).split('\n').filter((l) => l.includes('failed: 002_guard.sql'));
    expect(printed).toEqual([`    failed: ${failure}`]);
  });

  it('re-runs a unit that fails on rows its operations do not name (a DO block guard, the SELECT of a CREATE TABLE AS) on the tables its text names, emptied', async () => {
    const dir = tree({
      'migrations/1_init.up.sql': 'CREATE TABLE payments (id bigint PRIMARY KEY, line_id bigint, amount numeric);\nCREATE TABLE lines (id bigint PRIMARY KEY, total numeric);\nCREATE TABLE notes (id bigint PRIMARY KEY, body text);\n',
      'migrations/1_init.down.sql': 'DROP TABLE notes;\nDROP TABLE lines;\nDROP TABLE payments;\n',
      // A guard in the shape real backfills use: it raises when any payment points at no line.
      'migrations/2_backfill.up.sql': [
        'DO $$',
        'BEGIN',
        '  IF EXISTS (SELECT 1 FROM payments p LEFT JOIN lines l ON l.id = p.line_id WHERE l.id IS NULL) THEN',
        "    RAISE EXCEPTION 'payments point at missing lines';",
        '  END IF;',
        'END',
        '$$;',
        'UPDATE payments SET amount = 0 WHERE amount IS NULL;',
        'UPDATE notes SET body = trim(body);',
        'ALTER TABLE lines ADD COLUMN currency text;',
        '',
      ].join('\n'),
      'migrations/2_backfill.down.sql': 'ALTER TABLE lines DROP COLUMN currency;\n',
      // Reads notes only through the SELECT in a subquery: seeded words are not numbers.
      'migrations/3_numbers.up.sql': 'CREATE TABLE note_numbers AS SELECT n.id, n.body::int AS v FROM (SELECT id, body FROM notes) AS n;\n',
      'migrations/3_numbers.down.sql': 'DROP TABLE note_numbers;\n',
      // Depends on both: it applies only if they did.
      'migrations/4_after.up.sql': "UPDATE lines SET currency = 'EUR' WHERE currency IS NULL;\nCREATE INDEX note_numbers_id ON note_numbers (id);\n",
      'migrations/4_after.down.sql': 'DROP INDEX note_numbers_id;\n',
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 4, applied: 4, failed: 0 });
    const rows = out.findings.filter((f) => f.ruleId === 'migration-fails-with-rows');
    expect(rows.map((f) => [f.span.file.relPath, spanToRegion(f.span).line])).toEqual([
      ['migrations/2_backfill.up.sql', 1],
      ['migrations/3_numbers.up.sql', 1],
    ]);
    expect(rows[0]!.message).toMatch(/fails once the tables hold rows \(1,000 rows in (payments|lines)(, 1,000 rows in (payments|lines))?\): ERROR P0001: payments point at missing lines$/);
    expect(rows[1]!.message).toMatch(/fails once the tables hold rows \(1,000 rows in notes\): ERROR 22P02: invalid input syntax for type integer: /);
  });

  it('seeds JSON columns in the shape the chain reads them: arrays where it takes elements, objects where it sets keys', async () => {
    const dir = tree({
      'migrations/1_init.up.sql': "CREATE TABLE settings (id bigint PRIMARY KEY, prefs jsonb, items jsonb, tags jsonb NOT NULL DEFAULT '[]');\n",
      'migrations/1_init.down.sql': 'DROP TABLE settings;\n',
      'migrations/2_theme.up.sql': `UPDATE settings SET prefs = jsonb_set(prefs, '{theme}', '"dark"') WHERE prefs IS NOT NULL;\nUPDATE settings SET tags = tags || '["new"]'::jsonb;\n`,
      'migrations/2_theme.down.sql': "UPDATE settings SET prefs = prefs - 'theme' WHERE prefs IS NOT NULL;\n",
      'migrations/3_items.up.sql': 'CREATE TABLE setting_items AS SELECT s.id, e.value FROM settings s, LATERAL jsonb_array_elements(COALESCE(s.items, \'[]\')) AS e;\nCREATE TABLE tag_counts AS SELECT id, jsonb_array_length(tags) AS n FROM settings;\n',
      'migrations/3_items.down.sql': 'DROP TABLE tag_counts;\nDROP TABLE setting_items;\n',
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 3, applied: 3, failed: 0 });
    expect(out.findings.filter((f) => f.ruleId === 'migration-fails-with-rows').map((f) => f.message)).toEqual([]);
  });

  it("loads the contrib extensions a chain creates (pgcrypto, uuid-ossp, citext) into PGlite, and says plainly when PGlite has no such extension", async () => {
    const dir = tree({
      'db/migrations/001_ext.sql': dbmate(
        'CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE EXTENSION citext;\nCREATE TABLE accounts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), ref uuid DEFAULT uuid_generate_v4(), email citext, digest text);',
        'DROP TABLE accounts;\nDROP EXTENSION citext;\nDROP EXTENSION "uuid-ossp";\nDROP EXTENSION pgcrypto;',
      ),
      'db/migrations/002_digest.sql': dbmate("UPDATE accounts SET digest = encode(digest(id::text, 'sha256'), 'hex') WHERE digest IS NULL;\nALTER TABLE accounts ALTER COLUMN digest SET NOT NULL;", 'ALTER TABLE accounts ALTER COLUMN digest DROP NOT NULL;'),
      // file_fdw ships with PGlite but reads the server's files: never loaded, never created.
      'db/migrations/003_gis.sql': dbmate('CREATE EXTENSION file_fdw;\nCREATE EXTENSION postgis;', 'DROP EXTENSION postgis;'),
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0]).toMatchObject({ migrations: 3, applied: 2, failed: 1, downsVerified: 2 });
    expect(out.summaries[0]!.failures).toEqual(['003_gis.sql: ERROR 0A000: extension "postgis" is not available']);
    expect(out.summaries[0]!.notRun).toEqual(['db/migrations/003_gis.sql:2: not run for safety: extension "file_fdw" is not on the allow-list of extensions that stay inside the database']);
    // The backfill ran with pgcrypto's digest() on the seeded rows, so SET NOT NULL found no NULL.
    expect(only(out, 'require-not-null-backfill').confirmation?.status).toBe('not-reproduced');
  }, 60_000);

  it('gives every static finding a status, including the ones with nothing to run', async () => {
    const dir = tree({
      'db/migrations/001_users.sql': dbmate('CREATE TABLE users (id int PRIMARY KEY, email text);'),
      'db/migrations/002_trunc.sql': dbmate('TRUNCATE users;', 'SELECT 1;'),
    });
    const out = await confirmTree(dir);
    const statuses = out.findings.map((f) => [f.ruleId, f.confirmation?.status]);
    expect(statuses).toEqual([
      ['require-down', 'skipped'],
      ['no-truncate', 'confirmed'],
    ]);
    expect(only(out, 'no-truncate').confirmation).toMatchObject({ rowsLost: 1000 });
    expect(only(out, 'require-down').confirmation!.evidence).toBe('a fact about the files (no down migration): nothing to run');
  });

  it('runs a golang-migrate file as one implicit transaction: CREATE INDEX CONCURRENTLY fails with 25001', async () => {
    const dir = tree({
      'migrations/1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
      'migrations/1_users.down.sql': 'DROP TABLE users;\n',
      'migrations/2_idx.up.sql': 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nALTER TABLE users ADD COLUMN x int;\n',
      'migrations/2_idx.down.sql': 'ALTER TABLE users DROP COLUMN x;\nDROP INDEX users_email_idx;\n',
    });
    const out = await confirmTree(dir);
    const f = only(out, 'no-concurrent-in-transaction');
    expect(f.confirmation).toMatchObject({ status: 'confirmed', error: { sqlstate: '25001' } });
  });

  it('replays a chain with one boot and measures a concurrent index build outside a transaction', async () => {
    await loadSafety();
    const dir = tree({
      'db/migrations/001_users.sql': users,
      'db/migrations/002_idx.sql': dbmate('CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', 'DROP INDEX CONCURRENTLY users_email_idx;', 'transaction:false'),
    });
    const found = await discover(['.'], { cwd: dir, ignore: [] });
    const driver = await openPglite();
    try {
      const chain = await replayChain(found.sets[0]!, driver, undefined, { seedRows: 100, seed: 1, timeoutMs: 60_000 });
      const run = chain.runs.find((r) => r.step.sql.startsWith('CREATE INDEX CONCURRENTLY'))!;
      expect(run.outcome).toBe('ok');
      expect(run.outsideTransaction).toBe(true);
      expect(chain.outcomes.map((o) => o.downVerified)).toEqual([true, true]);
      expect(chain.rollback).toEqual({ attempted: true, ok: true });
    } finally {
      await driver.close();
    }
  });
});
