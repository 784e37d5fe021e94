/** A Drizzle SQLite chain confirmed end to end on real SQLite (in-memory better-sqlite3). */
import { describe, expect, it } from 'vitest';
import { loadSafety, unsafeSqliteReason } from '../../src/confirm/safety.js';
import { confirmTree, only, tree } from './helpers.js';

const journal = (tags: string[]): string =>
  JSON.stringify({ version: '6', dialect: 'sqlite', entries: tags.map((tag, idx) => ({ idx, version: '6', when: 1719223200000 + idx * 1000, tag, breakpoints: true })) });

describe('--confirm on SQLite', () => {
  it('confirms a Drizzle SQLite chain: a DROP COLUMN loses values, a rebuild into NOT NULL fails with rows, ATTACH is never run', async () => {
    await loadSafety();
    const dir = tree({
      'drizzle/meta/_journal.json': journal(['0000_users', '0001_drop', '0002_rebuild']),
      'drizzle/0000_users.sql': 'CREATE TABLE `users` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`email` text NOT NULL,\n\t`name` text,\n\t`nick` text\n);\n',
      'drizzle/0001_drop.sql': "ALTER TABLE `users` DROP COLUMN `nick`;--> statement-breakpoint\nATTACH DATABASE '/tmp/migralint-never.db' AS other;",
      'drizzle/0002_rebuild.sql':
        'CREATE TABLE `__new_users` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`email` text NOT NULL,\n\t`name` text NOT NULL\n);\n--> statement-breakpoint\nINSERT INTO `__new_users`("id", "email", "name") SELECT "id", "email", "name" FROM `users`;--> statement-breakpoint\nDROP TABLE `users`;--> statement-breakpoint\nALTER TABLE `__new_users` RENAME TO `users`;',
    });
    const out = await confirmTree(dir);
    expect(out.summaries[0], JSON.stringify(out.summaries[0])).toMatchObject({ driver: expect.stringMatching(/^SQLite 3\.\d+/), migrations: 3, applied: 3 });
    const drop = only(out, 'no-drop-column');
    expect(drop.confirmation!.status).toBe('confirmed');
    expect(drop.confirmation!.evidence).toMatch(/^on SQLite 3\.[\d.]+ with 1,000 rows in users: lost [\d,]+ non-null values of users\.nick/);
    const fails = only(out, 'migration-fails-with-rows');
    expect(fails.span.file.relPath).toBe('drizzle/0002_rebuild.sql');
    expect(fails.message).toMatch(/SQLITE_CONSTRAINT_NOTNULL/);
    expect(out.summaries[0]!.notRun).toEqual(['drizzle/0001_drop.sql:2: not run for safety: ATTACH DATABASE opens another database file']);
  });

  it('confirms a rebuild that leaves a column out (the SQLite way to drop one), at the INSERT ... SELECT', async () => {
    const dir = tree({
      'migrations/001_notes.sql': 'CREATE TABLE notes (id integer PRIMARY KEY, title text NOT NULL, legacy text);\n',
      'migrations/002_rebuild.sql':
        'CREATE TABLE notes_new (id integer PRIMARY KEY, title text NOT NULL);\nINSERT INTO notes_new (id, title) SELECT id, title FROM notes;\nDROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\n',
      'migralint.config.json': JSON.stringify({ dialect: 'sqlite' }),
    });
    const out = await confirmTree(dir);
    const f = only(out, 'no-drop-column');
    expect(f.message).toBe('Rebuilding "notes" leaves out column "legacy": the data in it is lost when the old table is dropped.');
    expect(f.confirmation!.status).toBe('confirmed');
    expect(f.confirmation!.evidence).toMatch(/^on SQLite 3\.[\d.]+ with 1,000 rows in notes: lost [\d,]+ non-null values of notes\.legacy left out of the copy into notes_new;/);
  });

  it('refuses what reaches outside a SQLite database, on the parse tree', async () => {
    expect(await unsafeSqliteReason("VACUUM INTO '/tmp/copy.db'")).toBe('VACUUM INTO writes a database file');
    expect(await unsafeSqliteReason("SELECT load_extension('evil')")).toBe('it calls load_extension(), which reaches outside the database');
    expect(await unsafeSqliteReason("INSERT INTO t SELECT readfile('/etc/passwd')")).toBe('it calls readfile(), which reaches outside the database');
    expect(await unsafeSqliteReason("INSERT INTO t (body) VALUES ('ATTACH DATABASE x')")).toBeUndefined();
    expect(await unsafeSqliteReason('VACUUM')).toBeUndefined();
  });
});
