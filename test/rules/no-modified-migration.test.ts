/**
 * no-modified-migration on real git repositories: `main` holds the applied migrations, the
 * branch `feature` edits them in its work tree, and `--changed-since main` is linted in-process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { changedFindings, edit, plainFindings } from '../helpers/changed.js';
import { removeTempDirs } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import type { FormatId } from '../../src/model.js';

afterAll(removeTempDirs);

const RULE = 'no-modified-migration';
const DBMATE = `-- migrate:up\nCREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total numeric\n);\n-- migrate:down\nDROP TABLE orders;\n`;

interface Case {
  readonly name: string;
  /** Files on main (committed). */
  readonly before: Record<string, string>;
  /** Edits in the branch's work tree (null deletes). */
  readonly after: Record<string, string | null>;
  /** [file, line, column] of each finding. */
  readonly expect: [string, number, number][];
  readonly message?: string;
  readonly format?: FormatId;
  readonly dialect?: 'postgres' | 'sqlite' | 'mysql';
}

const mustFire: Case[] = [
  {
    name: 'dbmate: a column added to an applied CREATE TABLE, at the first changed line',
    before: { 'db/001_orders.sql': DBMATE },
    after: { 'db/001_orders.sql': DBMATE.replace('  total numeric\n', '  total numeric,\n  currency text\n') },
    expect: [['db/001_orders.sql', 4, 1]],
    message: 'Migration "001_orders.sql" already existed at main and was edited (first change on this line): databases that already ran it will never run the edited version.',
  },
  {
    name: 'a statement appended at the end',
    before: { 'db/001_orders.sql': DBMATE },
    after: { 'db/001_orders.sql': DBMATE.replace('-- migrate:down', 'CREATE INDEX ON orders (total);\n-- migrate:down') },
    expect: [['db/001_orders.sql', 6, 1]],
  },
  {
    name: 'a statement deleted: at the place it was',
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n' },
    after: { 'db/001_a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE c (id int);\n' },
    expect: [['db/001_a.sql', 2, 1]],
  },
  {
    name: 'a real change below a reformatted block: at the real change, not the whitespace',
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n' },
    after: { 'db/001_a.sql': '-- tables\nCREATE   TABLE a (id int);\nCREATE TABLE b (id int);\nALTER TABLE b ADD COLUMN x int;\n' },
    expect: [['db/001_a.sql', 4, 1]],
  },
  {
    name: 'whitespace inside a string literal is data',
    before: { 'db/001_a.sql': "INSERT INTO settings (k) VALUES ('a b');\n" },
    after: { 'db/001_a.sql': "INSERT INTO settings (k) VALUES ('a  b');\n" },
    expect: [['db/001_a.sql', 1, 1]],
  },
  {
    name: 'golang-migrate: the up file',
    before: { 'db/1_a.up.sql': 'CREATE TABLE a (id int);\n', 'db/1_a.down.sql': 'DROP TABLE a;\n' },
    after: { 'db/1_a.up.sql': 'CREATE TABLE a (id bigint);\n' },
    expect: [['db/1_a.up.sql', 1, 1]],
  },
  {
    name: "Flyway: a comment-only change breaks the script's checksum",
    before: { 'db/V1__a.sql': 'CREATE TABLE a (id int);\n' },
    after: { 'db/V1__a.sql': '-- reviewed\nCREATE TABLE a (id int);\n' },
    expect: [['db/V1__a.sql', 1, 1]],
    message: 'Flyway keeps a checksum of every applied script',
  },
  {
    name: 'Prisma: trailing whitespace changes the checksum',
    before: { 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n', 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' },
    after: { 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int); \n' },
    expect: [['prisma/migrations/20240101000000_init/migration.sql', 2, 1]],
    message: 'Prisma keeps a checksum',
  },
  {
    name: 'Knex: a constant the up uses, above the up function',
    before: { 'migrations/20240101_a.js': "const T = 'orders';\nexports.up = (knex) => knex.schema.createTable(T, (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTable(T);\n" },
    after: { 'migrations/20240101_a.js': "const T = 'order';\nexports.up = (knex) => knex.schema.createTable(T, (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTable(T);\n" },
    expect: [['migrations/20240101_a.js', 1, 1]],
  },
  {
    name: "MySQL: an executable comment is code",
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int) /*!50100 ENGINE=InnoDB */;\n' },
    after: { 'db/001_a.sql': 'CREATE TABLE a (id int) /*!50100 ENGINE=MyISAM */;\n' },
    expect: [['db/001_a.sql', 1, 1]],
    dialect: 'mysql',
  },
];

const mustNotFire: Case[] = [
  {
    name: 'comments added and whitespace re-flowed',
    before: { 'db/001_orders.sql': DBMATE },
    after: { 'db/001_orders.sql': `-- migrate:up\n-- Orders, see #123\nCREATE TABLE orders (id bigint PRIMARY KEY, /* money */ total numeric);\n\n-- migrate:down\nDROP TABLE orders;\n` },
    expect: [],
  },
  {
    name: 'a nested Postgres block comment edited',
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int); /* outer /* inner */ still comment */\n' },
    after: { 'db/001_a.sql': 'CREATE TABLE a (id int); /* outer /* inner, edited */ still comment; DROP TABLE a; */\n' },
    expect: [],
  },
  {
    name: 'only the down section of a dbmate file edited',
    before: { 'db/001_orders.sql': DBMATE },
    after: { 'db/001_orders.sql': DBMATE.replace('DROP TABLE orders;', 'DROP TABLE IF EXISTS orders;') },
    expect: [],
  },
  {
    name: 'golang-migrate: only the down file edited',
    before: { 'db/1_a.up.sql': 'CREATE TABLE a (id int);\n', 'db/1_a.down.sql': 'DROP TABLE a;\n' },
    after: { 'db/1_a.down.sql': 'DROP TABLE IF EXISTS a;\n' },
    expect: [],
  },
  {
    name: 'Knex: only the down function edited',
    before: { 'migrations/20240101_a.js': "exports.up = (knex) => knex.schema.createTable('a', (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTable('a');\n" },
    after: { 'migrations/20240101_a.js': "exports.up = (knex) => knex.schema.createTable('a', (t) => { t.increments(); });\nexports.down = (knex) => knex.schema.dropTableIfExists('a');\n" },
    expect: [],
  },
  {
    name: 'Flyway: line endings converted to CRLF (Flyway normalises them)',
    before: { 'db/V1__a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' },
    after: { 'db/V1__a.sql': 'CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n' },
    expect: [],
  },
  {
    name: 'a new migration is not a modified one',
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int);\n' },
    after: { 'db/002_b.sql': 'CREATE TABLE b (id int);\n' },
    expect: [],
  },
  {
    name: 'an edit on the branch that was then undone',
    before: { 'db/001_a.sql': 'CREATE TABLE a (id int);\n' },
    after: { 'db/001_a.sql': 'CREATE TABLE a (id int);\n' },
    expect: [],
  },
];

describe(RULE, () => {
  it.each(mustFire)('fires: $name', async (c) => {
    const dir = makeRepo(c.before);
    edit(dir, c.after);
    const found = await changedFindings(dir, RULE, { format: c.format, dialect: c.dialect });
    expect(found.map((f) => [f.file, f.line, f.column])).toEqual(c.expect);
    if (c.message) expect(found[0]!.message).toContain(c.message);
    // Without --changed-since the rule has nothing to compare with.
    expect(await plainFindings(dir, RULE)).toBe(0);
  });

  it.each(mustNotFire)('does not fire: $name', async (c) => {
    const dir = makeRepo(c.before);
    edit(dir, c.after);
    expect(await changedFindings(dir, RULE, { format: c.format, dialect: c.dialect })).toEqual([]);
  });
});
