/**
 * SQLite table rebuilds (and copies into other tables) read as what they do to the table being
 * rebuilt: left-out columns are dropped columns, NOT NULL columns the copy cannot fill fail on
 * existing rows, the old table's drop loses nothing once its rows were copied, a filtered copy
 * loses the rows it leaves out. Verified with sqlite3 3.40: `INSERT INTO new_u (id, name) SELECT
 * id, name FROM u` into `name TEXT NOT NULL` fails with "NOT NULL constraint failed: new_u.name"
 * as soon as one row holds NULL, and so does a NOT NULL column the copy leaves out.
 */
import { describe, expect, it } from 'vitest';
import { lintSql, type TestFinding, type TestMigration } from './helpers/lint-sql.js';

const sqlite = { dialect: 'sqlite' as const };
const rows = (fs: TestFinding[]) => fs.map((f) => [f.ruleId, f.file, f.line, f.column]);
const CREATE: TestMigration = { name: '001_init.sql', up: 'CREATE TABLE "User" (\n  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n  "email" TEXT NOT NULL,\n  "name" TEXT,\n  "legacy" TEXT\n);' };

describe('SQLite rebuilds', () => {
  it('Prisma: PRAGMA wrapper, new_User, a column left out and one made NOT NULL; names keep the table being rebuilt', async () => {
    const up = [
      'PRAGMA defer_foreign_keys=ON;',
      'PRAGMA foreign_keys=OFF;',
      'CREATE TABLE "new_User" (',
      '    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,',
      '    "email" TEXT NOT NULL,',
      '    "name" TEXT NOT NULL',
      ');',
      'INSERT INTO "new_User" ("email", "id", "name") SELECT "email", "id", "name" FROM "User";',
      'DROP TABLE "User";',
      'ALTER TABLE "new_User" RENAME TO "User";',
      'PRAGMA foreign_keys=ON;',
      'PRAGMA defer_foreign_keys=OFF;',
    ].join('\n');
    const found = await lintSql([CREATE, { name: '002_required/migration.sql', up }], { ...sqlite, format: 'prisma' });
    expect(rows(found)).toEqual([
      ['no-drop-column', 'migrations/002_required/migration.sql', 8, 1],
      ['require-not-null-backfill', 'migrations/002_required/migration.sql', 8, 1],
    ]);
    expect(found[0]!.message).toBe('Rebuilding "User" leaves out column "legacy": the data in it is lost when the old table is dropped.');
    expect(found[1]!.message).toContain('Rebuilding "User" makes "name" NOT NULL and fills it from "name", which may hold NULL');
  });

  it('Prisma: a complete rebuild (every column copied, nothing made NOT NULL) reports nothing', async () => {
    const up =
      'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "name" TEXT, "legacy" TEXT, "age" INTEGER NOT NULL DEFAULT 0);\nINSERT INTO "new_User" ("email", "id", "legacy", "name") SELECT "email", "id", "legacy", "name" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;';
    expect(await lintSql([CREATE, { name: '002_x/migration.sql', up }], { ...sqlite, format: 'prisma' })).toEqual([]);
  });

  it('Drizzle: __new_x with backticks and statement breakpoints', async () => {
    const up =
      'PRAGMA foreign_keys=OFF;--> statement-breakpoint\nCREATE TABLE `__new_posts` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`title` text NOT NULL\n);\n--> statement-breakpoint\nINSERT INTO `__new_posts`("id", "title") SELECT "id", "title" FROM `posts`;--> statement-breakpoint\nDROP TABLE `posts`;--> statement-breakpoint\nALTER TABLE `__new_posts` RENAME TO `posts`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;';
    const found = await lintSql([{ name: '0000_init.sql', up: 'CREATE TABLE `posts` (`id` integer PRIMARY KEY NOT NULL, `title` text NOT NULL, `body` text);' }, { name: '0001_x.sql', up }], { ...sqlite, format: 'drizzle' });
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/0001_x.sql', 7, 1]]);
    expect(found[0]!.message).toBe('Rebuilding "posts" leaves out column "body": the data in it is lost when the old table is dropped.');
  });

  it('rename first (Knex-style _knex_temp_alter, hand-written _x_old): the message names x, not the temporary table', async () => {
    for (const temp of ['_knex_temp_alter111', '_users_old']) {
      const up = `ALTER TABLE users RENAME TO ${temp};\nCREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO users (id, email) SELECT id, email FROM ${temp};\nDROP TABLE ${temp};`;
      const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text, nick text);' }, { name: '002_rebuild.sql', up }], sqlite);
      expect(rows(found)).toEqual([
        ['no-drop-column', 'migrations/002_rebuild.sql', 3, 1],
        ['require-not-null-backfill', 'migrations/002_rebuild.sql', 3, 1],
      ]);
      expect(found[0]!.message).toBe('Rebuilding "users" leaves out column "nick": the data in it is lost when the old table is dropped.');
      expect(found.map((f) => f.message).join(' ')).not.toContain(temp);
    }
  });

  it('a backup table (CREATE TABLE x_backup AS SELECT *): columns lost in the copy back are reported, the drops are not', async () => {
    const up =
      'CREATE TABLE users_backup AS SELECT * FROM users;\nDROP TABLE users;\nCREATE TABLE users (id integer PRIMARY KEY, email text);\nINSERT INTO users (id, email) SELECT id, email FROM users_backup;\nDROP TABLE users_backup;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text, nick text);' }, { name: '002_rebuild.sql', up }], sqlite);
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/002_rebuild.sql', 4, 1]]);
    expect(found[0]!.message).toBe('Rebuilding "users" leaves out column "nick": the data in it is lost when the old table is dropped.');
  });

  it('a backup table dropped while its rows are nowhere else: the rows are lost at that drop', async () => {
    const up = 'CREATE TABLE users_backup AS SELECT * FROM users;\nDROP TABLE users;\nDROP TABLE users_backup;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text);' }, { name: '002_x.sql', up }], sqlite);
    expect(rows(found)).toEqual([['no-drop-table', 'migrations/002_x.sql', 3, 1]]);
    expect(found[0]!.message).toContain('deletes the rows of "users" copied into it');
  });

  it('a regenerated autoincrement id is not data lost', async () => {
    const up = 'CREATE TABLE new_users (id integer PRIMARY KEY AUTOINCREMENT, email text);\nINSERT INTO new_users (email) SELECT email FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;';
    expect(await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT, email text);' }, { name: '002_x.sql', up }], sqlite)).toEqual([]);
  });

  it('a NOT NULL column the copy does not fill, without DEFAULT, fails on existing rows', async () => {
    const up = 'CREATE TABLE new_users (id integer PRIMARY KEY, email text, plan text NOT NULL);\nINSERT INTO new_users (id, email) SELECT id, email FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text);' }, { name: '002_x.sql', up }], sqlite);
    expect(rows(found)).toEqual([['require-not-null-backfill', 'migrations/002_x.sql', 2, 1]]);
    expect(found[0]!.message).toBe('Rebuilding "users" leaves NOT NULL column "plan" (no DEFAULT) unfilled: the INSERT fails as soon as "users" has a row.');
  });

  it.each([
    ['a backfill first', "UPDATE users SET email = '' WHERE email IS NULL;\n"],
    ['a DELETE of the NULL rows first', 'DELETE FROM users WHERE email IS NULL;\n'],
  ])('a column made NOT NULL with %s is fine', async (_n, before) => {
    const up = `${before}CREATE TABLE new_users (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO new_users (id, email) SELECT id, email FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;`;
    expect(await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text);' }, { name: '002_x.sql', up }], sqlite)).toEqual([]);
  });

  it('a column made NOT NULL through COALESCE in the copy is fine', async () => {
    const up = "CREATE TABLE new_users (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO new_users (id, email) SELECT id, coalesce(email, '') FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;";
    expect(await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text);' }, { name: '002_x.sql', up }], sqlite)).toEqual([]);
  });

  it('a copy with WHERE or LIMIT is partial: the DROP loses the rows, reported there with the filter', async () => {
    const up = 'CREATE TABLE new_users (id integer PRIMARY KEY, email text);\nINSERT INTO new_users SELECT id, email FROM users WHERE deleted_at IS NULL;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text, deleted_at text);' }, { name: '002_x.sql', up }], sqlite);
    const drop = found.filter((f) => f.ruleId === 'no-drop-table');
    expect(rows(drop)).toEqual([['no-drop-table', 'migrations/002_x.sql', 3, 1]]);
    expect(drop[0]!.message).toBe('Rebuilding "users" copies only the rows of WHERE deleted_at IS NULL: dropping the old table deletes the others.');
    const limited = await lintSql([{ name: '001_x.sql', up: 'CREATE TABLE archive (id integer);\nINSERT INTO archive SELECT id FROM events LIMIT 1000;\nDROP TABLE events;' }], sqlite);
    expect(rows(limited.filter((f) => f.ruleId === 'no-drop-table'))).toEqual([['no-drop-table', 'migrations/001_x.sql', 3, 1]]);
    expect(limited.find((f) => f.ruleId === 'no-drop-table')!.message).toBe('Dropping table "events" deletes the rows its copy into "archive" left out (LIMIT 1000).');
  });

  it('a JOIN in the copy does not make a full copy partial', async () => {
    const up =
      'CREATE TABLE new_posts (id integer PRIMARY KEY, title text, author text);\nINSERT INTO new_posts (id, title, author) SELECT p.id, p.title, u.name FROM posts p LEFT JOIN users u ON u.id = p.author_id;\nDROP TABLE posts;\nALTER TABLE new_posts RENAME TO posts;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE posts (id integer PRIMARY KEY, title text, author_id integer);' }, { name: '002_x.sql', up }], sqlite);
    // author_id is replaced by the author's name: its data is not carried.
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/002_x.sql', 2, 1]]);
    expect(found[0]!.message).toContain('Rebuilding "posts" leaves out column "author_id"');
  });

  it('a copy into a different lasting table is not called a rebuild', async () => {
    const up = 'CREATE TABLE archived_users (id integer, email text);\nINSERT INTO archived_users (id, email) SELECT id, email FROM users;\nDROP TABLE users;';
    const found = await lintSql([{ name: '001_init.sql', up: 'CREATE TABLE users (id integer PRIMARY KEY, email text, nick text);' }, { name: '002_x.sql', up }], sqlite);
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/002_x.sql', 2, 1]]);
    expect(found[0]!.message).toBe('Copying "users" into "archived_users" leaves out column "nick": the data in it is lost when "users" is dropped.');
  });

  it('SQLite table names keep their case in messages', async () => {
    const found = await lintSql([{ name: '001_x.sql', up: 'DROP TABLE "UserProfiles";' }], sqlite);
    expect(found[0]!.message).toBe('Dropping table "UserProfiles" deletes all of its rows.');
  });

  it('in a dbmate up/down layout: the down that rebuilds back is checked the same way', async () => {
    const found = await lintSql(
      [
        { name: '001_init.sql', up: 'CREATE TABLE t (id integer PRIMARY KEY, a text, b text);' },
        {
          name: '002_x.sql',
          up: 'ALTER TABLE t ADD COLUMN c text;',
          down: 'CREATE TABLE new_t (id integer PRIMARY KEY, a text);\nINSERT INTO new_t (id, a) SELECT id, a FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;',
        },
      ],
      sqlite,
    );
    // c was added by the up (dropping it is the point of the down); b was not.
    expect(rows(found.filter((f) => f.ruleId !== 'require-down'))).toEqual([['no-drop-column', 'migrations/002_x.down.sql', 2, 1]]);
    expect(found.find((f) => f.ruleId === 'no-drop-column')!.message).toContain('leaves out column "b"');
  });
});

describe('Postgres copies', () => {
  it('CREATE TABLE ... AS SELECT into a new table, then DROP: a full copy loses nothing, columns left out are', async () => {
    const found = await lintSql([
      { name: '001_init.sql', up: 'CREATE TABLE events (id int, kind text, payload jsonb);' },
      { name: '002_x.sql', up: 'CREATE TABLE events_v2 AS SELECT id, kind FROM events;\nDROP TABLE events;\nALTER TABLE events_v2 RENAME TO events;' },
    ]);
    expect(rows(found)).toEqual([['no-drop-column', 'migrations/002_x.sql', 1, 1]]);
    expect(found[0]!.message).toBe('Rebuilding "events" leaves out column "payload": the data in it is lost when the old table is dropped.');
  });

  it('SELECT ... INTO a new table copies the rows too', async () => {
    expect(await lintSql([{ name: '001_x.sql', up: 'SELECT * INTO events_copy FROM events;\nDROP TABLE events;' }])).toEqual([]);
  });
});
