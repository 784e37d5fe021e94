/**
 * libSQL (Turso) accepts `ALTER TABLE t ALTER COLUMN c TO c <type> ...`, which plain SQLite and
 * sql-parser-cst do not: a Drizzle `turso` set using it must not be reported as a syntax error,
 * and the statements around it are still linted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { findingTuples, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

describe('libSQL ALTER COLUMN (drizzle-kit turso dialect)', () => {
  it('is valid: no syntax error, the DROP COLUMN after it is still reported at its line', () => {
    const dir = writeTree(makeTempDir(), {
      'drizzle/meta/_journal.json': JSON.stringify({
        version: '7',
        dialect: 'turso',
        entries: [
          { idx: 0, version: '6', when: 1700000000000, tag: '0000_init', breakpoints: true },
          { idx: 1, version: '6', when: 1700000100000, tag: '0001_alter', breakpoints: true },
        ],
      }),
      'drizzle/0000_init.sql': 'CREATE TABLE `users` (`id` integer PRIMARY KEY NOT NULL, `name` text, `legacy` text);\n',
      'drizzle/0001_alter.sql':
        'ALTER TABLE `users` ALTER COLUMN "name" TO "name" text NOT NULL DEFAULT \'\';--> statement-breakpoint\nALTER TABLE `users` DROP COLUMN `legacy`;\n',
    });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([['drizzle/0001_alter.sql', 2, 21, 'no-drop-column']]);
  });

  it('a statement that is not that shape is still a syntax error', () => {
    const dir = writeTree(makeTempDir(), {
      'drizzle/meta/_journal.json': JSON.stringify({
        version: '7',
        dialect: 'turso',
        entries: [{ idx: 0, version: '6', when: 1700000000000, tag: '0000_init', breakpoints: true }],
      }),
      'drizzle/0000_init.sql': 'CREATE TABLE `users` (`id` integer PRIMARY KEY NOT NULL);--> statement-breakpoint\nALTER TABLE `users` ALTER "name" text;\n',
    });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).map((t) => t[3])).toEqual(['syntax-error']);
  });
});
