import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeTree } from '../helpers/cli.js';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-down';
const UP = 'CREATE TABLE a (id int);';

const mustFire: Case[] = [
  {
    name: 'dbmate migration without a down: on the first line of the file',
    migrations: [{ name: '001_create.sql', up: UP, down: null }],
    expect: [[RULE, 1, 1, 1, 25]],
    message: 'Migration "001_create.sql" has no down migration (expected a `-- migrate:down` section).',
  },
  { name: 'dbmate file without a down marker: on the up marker', migrations: [{ name: '001_create.sql', text: `-- migrate:up\n${UP}\n` }], expect: [[RULE, 1, 1, 1, 14]] },
  {
    name: 'dbmate file with an empty down section: on the down marker',
    migrations: [{ name: '001_create.sql', text: `-- migrate:up\n${UP}\n\n-- migrate:down\n` }],
    expect: [[RULE, 4, 1, 4, 16]],
    message: 'The down migration of "001_create.sql" has no statements.',
  },
  { name: 'a down section of only comments', migrations: [{ name: '001_create.sql', text: `-- migrate:up\n${UP}\n-- migrate:down\n-- TODO\n` }], expect: [[RULE, 3, 1, 3, 16]] },
  { name: 'CRLF line endings', migrations: [{ name: '001_create.sql', text: `-- migrate:up\r\n${UP}\r\n-- migrate:down\r\n\r\n` }], expect: [[RULE, 3, 1, 3, 16]] },
  {
    name: 'a separate down file of only comments',
    migrations: [{ name: '001_create.sql', up: UP, down: '-- nothing to undo\n' }],
    expect: [[RULE, 1, 1, 1, 19]],
    file: 'migrations/001_create.down.sql',
  },
  {
    name: 'goose without a Down section',
    migrations: [{ name: '001_create.sql', format: 'goose', text: `-- +goose Up\n${UP}\n` }],
    expect: [[RULE, 1, 1, 1, 13]],
    message: 'has no down migration (expected a `-- +goose Down` section).',
  },
  { name: 'sql-migrate without a Down section', migrations: [{ name: '001_create.sql', format: 'sql-migrate', text: `-- +migrate Up\n${UP}\n` }], expect: [[RULE, 1, 1, 1, 15]] },
  { name: 'golang-migrate without a .down.sql file', migrations: [{ name: '001_create.up.sql', format: 'golang-migrate', up: UP, down: null }], expect: [[RULE, 1, 1, 1, 25]], message: '"001_create.up.sql"' },
  {
    name: "diesel's generated placeholder down.sql",
    migrations: [{ name: 'up.sql', format: 'diesel', up: UP, down: '-- This file should undo anything in `up.sql`\n' }],
    expect: [[RULE, 1, 1, 1, 46]],
  },
  { name: 'Flyway project that uses undo scripts: a V script without its U script', migrations: [{ name: 'V2__create.sql', format: 'flyway', up: UP, down: null }], expect: [[RULE, 1, 1, 1, 25]] },
  {
    name: 'only the migrations that lack a down, in chain order',
    migrations: [
      { name: '001_a.sql', up: UP, down: 'DROP TABLE a;' },
      { name: '002_b.sql', up: 'CREATE TABLE b (id int);', down: null },
      { name: '003_c.sql', up: 'CREATE TABLE c (id int);', down: '' },
    ],
    expect: [[RULE, 1, 1], [RULE, 1, 1]],
    message: ['"002_b.sql" has no down migration', 'The down migration of "003_c.sql" has no statements'],
  },
  {
    name: 'a suppression for another rule does not hide it',
    migrations: [{ name: '001_create.sql', text: `-- migralint-disable-next-line no-drop-table\n-- migrate:up\n${UP}\n` }],
    expect: [['unused-disable', 1, 1], [RULE, 2, 1, 2, 14]],
  },
];

const mustNotFire: Case[] = [
  { name: 'plain SQL has no down migrations', migrations: [{ name: '001_create.sql', up: UP }] },
  { name: 'Prisma has no down migrations', migrations: [{ name: '20240101000000_create', format: 'prisma', up: UP }] },
  { name: 'Drizzle has no down migrations', migrations: [{ name: '0000_create.sql', format: 'drizzle', up: UP }] },
  { name: 'Flyway project without undo scripts', migrations: [{ name: 'V2__create.sql', format: 'flyway', up: UP, downState: 'unsupported' }] },
  { name: 'dbmate with a down', migrations: [{ name: '001_create.sql', text: `-- migrate:up\n${UP}\n-- migrate:down\nDROP TABLE a;\n` }] },
  { name: 'separate down file', migrations: [{ name: '001_create.up.sql', format: 'golang-migrate', up: UP, down: 'DROP TABLE a;' }] },
  {
    name: 'an irreversible migration that says so in its down',
    migrations: [{ name: '001_backfill.sql', text: "-- migrate:up\nUPDATE a SET id = id + 1;\n-- migrate:down\nDO $$ BEGIN RAISE EXCEPTION 'irreversible migration'; END $$;\n" }],
  },
  { name: 'suppressed above the up marker', migrations: [{ name: '001_create.sql', text: `-- migralint-disable-next-line require-down\n-- migrate:up\n${UP}\n` }] },
  { name: 'suppressed above an empty down marker', migrations: [{ name: '001_create.sql', text: `-- migrate:up\n${UP}\n-- migralint-disable-next-line require-down\n-- migrate:down\n` }] },
  { name: 'suppressed for the whole file', migrations: [{ name: '001_create.sql', up: `-- migralint-disable require-down\n${UP}`, down: null }] },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});

describe(`${RULE}: golang-migrate-style sets on disk`, () => {
  afterAll(() => removeTempDirs());
  const check = (files: Record<string, string>) => {
    const dir = writeTree(makeTempDir('migralint-require-down-'), files);
    const r = runCli(['check', 'migrations', '--format', 'json', '-r', 'no-rename-column=off'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] };
    return { status: r.status, findings: out.findings.filter((f) => f.ruleId === RULE).map((f) => [f.file, f.line, f.message]) };
  };

  it('a set of .up.sql files only writes no downs: not reported', () => {
    expect(check({
      'migrations/0001_accounts.up.sql': 'CREATE TABLE accounts (id int);\n',
      'migrations/0002_bookmarks.up.sql': 'CREATE TABLE bookmarks (id int, modified timestamp);\n',
      'migrations/0003_rename.up.sql': 'ALTER TABLE bookmarks ADD COLUMN created_at timestamp;\n',
    })).toEqual({ status: 0, findings: [] });
  });

  it('once one .down.sql exists, every up without its down is reported', () => {
    expect(check({
      'migrations/0001_accounts.up.sql': 'CREATE TABLE accounts (id int);\n',
      'migrations/0001_accounts.down.sql': 'DROP TABLE accounts;\n',
      'migrations/0002_bookmarks.up.sql': 'CREATE TABLE bookmarks (id int);\n',
    })).toEqual({
      status: 0,
      findings: [['migrations/0002_bookmarks.up.sql', 1, 'Migration "0002_bookmarks.up.sql" has no down migration (expected 0002_bookmarks.down.sql beside it).']],
    });
  });
});
