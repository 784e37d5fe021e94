/**
 * The dialect of sets nothing names: per-dialect folders, the SQL itself, the Knex project's
 * package.json and client comparisons; a guess is said once (stderr, JSON summary, SARIF).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dialectFromPath, dialectFromSql } from '../src/discover/dialect.js';
import { findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

describe('dialect from the SQL and folder names', () => {
  it('signs in the SQL', () => {
    expect(dialectFromSql(['CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;'])).toBe('mysql');
    expect(dialectFromSql(['CREATE TABLE `users` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL);'])).toBe('sqlite');
    expect(dialectFromSql(["UPDATE t SET v = '1'::jsonb;", 'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN END $$ LANGUAGE plpgsql;'])).toBe('postgres');
    // Nothing dialect-specific, or a comment only: no decision.
    expect(dialectFromSql(['CREATE TABLE users (id int);'])).toBeUndefined();
    expect(dialectFromSql(['-- ported from MySQL: AUTO_INCREMENT ENGINE=InnoDB\nCREATE TABLE users (id int);'])).toBeUndefined();
  });
  it('folder names', () => {
    expect(dialectFromPath('/p/migrations/postgres')).toBe('postgres');
    expect(dialectFromPath('/p/db/mysql/migrations')).toBe('mysql');
    expect(dialectFromPath('/p/src/sqlite3')).toBe('sqlite');
    expect(dialectFromPath('/p/migrations/pg_migrations')).toBe('postgres');
    expect(dialectFromPath('/p/mariadb')).toBe('mysql');
    expect(dialectFromPath('/p/db/migrations')).toBeUndefined();
    expect(dialectFromPath('/p/pgadmin/migrations')).toBeUndefined();
  });
});

describe('check', () => {
  it('one folder per dialect: each linted with its own', () => {
    // The same change in three dialects, as projects that ship all three write it.
    const dir = writeTree(makeTempDir(), {
      'migrations/postgres/001_add_index.sql': 'CREATE INDEX users_email ON users (email);\n',
      'migrations/mysql/001_add_index.sql': 'ALTER TABLE `users` ADD INDEX `users_email` (`email`), ALGORITHM=INPLACE, LOCK=NONE;\n',
      'migrations/sqlite/001_add_index.sql': 'CREATE INDEX users_email ON users (email);\n',
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    // Only Postgres' CREATE INDEX without CONCURRENTLY blocks writes; no syntax errors anywhere.
    expect(findingTuples(r)).toEqual([['migrations/postgres/001_add_index.sql', 1, 1, 'require-concurrent-index']]);
    expect(r.stderr).toBe('');
    expect(jsonReport(r).summary).not.toHaveProperty('dialectAssumed');
  });

  it('MySQL SQL in a folder that does not say so is parsed as MySQL', () => {
    const dir = writeTree(makeTempDir(), {
      'db/001_init.sql': 'CREATE TABLE `users` (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  `email` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n',
      'db/002_drop.sql': 'ALTER TABLE `users` DROP COLUMN `email`;\n',
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([['db/002_drop.sql', 1, 21, 'no-drop-column']]);
  });

  it('a Knex project without a knexfile: the driver in package.json', () => {
    const dir = writeTree(makeTempDir(), {
      'package.json': JSON.stringify({ dependencies: { knex: '^3.1.0', sqlite3: '^5.1.7' } }),
      'migrations/20240101000000_index.js':
        "exports.up = (knex) => knex.schema.alterTable('notes', (t) => {\n  t.index(['created_at']);\n});\nexports.down = (knex) => knex.schema.alterTable('notes', (t) => {\n  t.dropIndex(['created_at']);\n});\n",
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    // SQLite has no concurrent index builds and no lock queue to speak of: no Postgres lock rule.
    expect([findingTuples(r), r.stderr]).toEqual([[], '']);
  });

  it('a guess is said once: stderr, the JSON summary and SARIF run properties', () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/20240101000000_index.js': "exports.up = (knex) => knex.schema.alterTable('notes', (t) => {\n  t.index(['created_at']);\n});\nexports.down = (knex) => knex.schema.alterTable('notes', (t) => {\n  t.dropIndex(['created_at']);\n});\n",
      'sql/1_a.sql': 'CREATE TABLE a (id int);\n',
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([['migrations/20240101000000_index.js', 2, 3, 'require-concurrent-index']]);
    expect(r.stderr).toBe('migralint: dialect assumed: postgres; set --dialect (for migrations, sql)\n');
    expect(jsonReport(r).summary.dialectAssumed).toEqual({ dialect: 'postgres', sets: ['migrations', 'sql'] });
    const sarif = JSON.parse(runCli(['check', '--format', 'sarif'], { cwd: dir }).stdout) as { runs: { properties?: unknown }[] };
    expect(sarif.runs[0]!.properties).toEqual({ dialectAssumed: { dialect: 'postgres', sets: ['migrations', 'sql'] } });
    // Said by the user: no notice.
    const forced = runCli(['check', '--format', 'json', '--dialect', 'postgres'], { cwd: dir });
    expect([forced.stderr, jsonReport(forced).summary.dialectAssumed]).toEqual(['', undefined]);
  });
});
