/**
 * no-duplicate-version on real project trees, read by the real loaders (each layout's own notion
 * of a version), linted in-process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/cli.js';
import { projectFindings } from '../helpers/project.js';

afterAll(removeTempDirs);

const RULE = 'no-duplicate-version';
const T = (name: string) => `CREATE TABLE ${name} (id int);\n`;
const DBMATE = (name: string) => `-- migrate:up\n${T(name)}-- migrate:down\nDROP TABLE ${name};\n`;
const GOOSE = (name: string) => `-- +goose Up\n${T(name)}-- +goose Down\nDROP TABLE ${name};\n`;
const KNEX = (name: string) => `exports.up = (knex) => knex.schema.createTable('${name}', () => {});\nexports.down = (knex) => knex.schema.dropTable('${name}');\n`;
const journal = (tags: string[]) =>
  JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1700000000000 + idx, tag, breakpoints: true })) });

const findings = (files: Record<string, string>, format?: 'dbmate' | 'goose' | 'sql-migrate') => projectFindings(files, RULE, format ? { format } : {});

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly format?: 'dbmate' | 'goose' | 'sql-migrate';
  readonly at?: string;
  readonly message?: string;
}

const mustFire: Case[] = [
  {
    name: 'golang-migrate: two branches each added version 42 (the loader keeps both)',
    files: { 'db/41_a.up.sql': T('a'), 'db/41_a.down.sql': 'DROP TABLE a;\n', 'db/42_b.up.sql': T('b'), 'db/42_b.down.sql': 'DROP TABLE b;\n', 'db/42_c.up.sql': T('c'), 'db/42_c.down.sql': 'DROP TABLE c;\n' },
    at: 'db/42_c.up.sql',
    message: 'Migration "42_c.up.sql" has version 42, like "42_b.up.sql": golang-migrate refuses to read the set ("duplicate migration file").',
  },
  { name: 'golang-migrate: 0042 and 42 are one version', files: { 'db/0042_b.up.sql': T('b'), 'db/42_c.up.sql': T('c') }, at: 'db/42_c.up.sql' },
  {
    name: 'Flyway: V2__x and V2__y',
    files: { 'sql/V1__a.sql': T('a'), 'sql/V2__b.sql': T('b'), 'sql/V2__c.sql': T('c') },
    at: 'sql/V2__c.sql',
    message: 'Flyway refuses to migrate ("Found more than one migration with version")',
  },
  { name: 'Flyway: V1_1 and V1.1.0 are one version', files: { 'sql/V1_1__b.sql': T('b'), 'sql/V1.1.0__c.sql': T('c') }, at: 'sql/V1.1.0__c.sql' },
  { name: 'dbmate', format: 'dbmate', files: { 'db/migrations/20240101000000_a.sql': DBMATE('a'), 'db/migrations/20240101000000_b.sql': DBMATE('b') }, at: 'db/migrations/20240101000000_b.sql', message: 'dbmate records applied migrations by version' },
  { name: 'goose: 00042 and 42 are one version', format: 'goose', files: { 'migrations/00042_a.sql': GOOSE('a'), 'migrations/42_b.sql': GOOSE('b') }, at: 'migrations/42_b.sql', message: 'goose refuses to run the set ("duplicate version")' },
  {
    name: 'diesel: the same timestamp in two folders',
    files: { 'migrations/2024-01-01-000000_a/up.sql': T('a'), 'migrations/2024-01-01-000000_a/down.sql': 'DROP TABLE a;\n', 'migrations/2024-01-01-000000_b/up.sql': T('b'), 'migrations/2024-01-01-000000_b/down.sql': 'DROP TABLE b;\n', 'diesel.toml': '' },
    at: 'migrations/2024-01-01-000000_b/up.sql',
    message: 'diesel records applied migrations by version',
  },
  {
    name: 'Prisma: two folders with one timestamp',
    files: { 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n', 'prisma/migrations/20240101000000_a/migration.sql': T('a'), 'prisma/migrations/20240101000000_b/migration.sql': T('b') },
    at: 'prisma/migrations/20240101000000_b/migration.sql',
    message: 'Prisma runs both, in folder-name order',
  },
  { name: 'Knex: one timestamp prefix in two files', files: { 'migrations/20240101000000_a.js': KNEX('a'), 'migrations/20240101000000_b.js': KNEX('b'), 'knexfile.js': "module.exports = { client: 'pg' };\n" }, at: 'migrations/20240101000000_b.js', message: 'has the numeric prefix 20240101000000, like "20240101000000_a.js": Knex runs both, in file-name order' },
  { name: 'Knex: one dated prefix in two files', files: { 'migrations/2023-08-18-0301-a.js': KNEX('a'), 'migrations/2023-08-18-0301-b.js': KNEX('b'), 'knexfile.js': "module.exports = { client: 'pg' };\n" }, at: 'migrations/2023-08-18-0301-b.js', message: 'has the numeric prefix 2023-08-18-0301, like' },
  {
    name: 'Drizzle: two branches each generated 0001',
    files: { 'drizzle/0000_a.sql': T('a'), 'drizzle/0001_b.sql': T('b'), 'drizzle/0001_c.sql': T('c'), 'drizzle/meta/_journal.json': journal(['0000_a', '0001_b', '0001_c']) },
    at: 'drizzle/0001_c.sql',
    message: 'has version 1, like "0001_b.sql"',
  },
];

const mustNotFire: Case[] = [
  { name: 'golang-migrate: up and down of one version', files: { 'db/1_a.up.sql': T('a'), 'db/1_a.down.sql': 'DROP TABLE a;\n', 'db/2_b.up.sql': T('b') } },
  { name: 'golang-migrate: up and down named differently pair by version', files: { 'db/1_a.up.sql': T('a'), 'db/1_alpha.down.sql': 'DROP TABLE a;\n' } },
  { name: 'Flyway: V1 and its undo U1, and repeatables', files: { 'sql/V1__a.sql': T('a'), 'sql/U1__a.sql': 'DROP TABLE a;\n', 'sql/R__views.sql': 'CREATE OR REPLACE VIEW v AS SELECT 1;\n', 'sql/R__more.sql': 'CREATE OR REPLACE VIEW w AS SELECT 1;\n' } },
  { name: 'Flyway: 1.1 and 1.10 differ', files: { 'sql/V1.1__a.sql': T('a'), 'sql/V1.10__b.sql': T('b') } },
  { name: 'dbmate: 001 and 1 are two versions (dbmate compares the digits as text)', format: 'dbmate', files: { 'db/migrations/001_a.sql': DBMATE('a'), 'db/migrations/1_b.sql': DBMATE('b') } },
  { name: 'distinct timestamps', format: 'dbmate', files: { 'db/migrations/20240101000000_a.sql': DBMATE('a'), 'db/migrations/20240101000001_b.sql': DBMATE('b') } },
  {
    name: 'Knex: dated prefixes that share only their year (2023-08-16-0000 and 2023-08-18-0301)',
    files: { 'migrations/2023-08-16-0000-a.js': KNEX('a'), 'migrations/2023-08-18-0301-b.js': KNEX('b'), 'knexfile.js': "module.exports = { client: 'pg' };\n" },
  },
  { name: 'plain SQL: 20240101_000000 and 20240101_000001 differ in their second part', files: { 'migrations/20240101_000000_a.sql': T('a'), 'migrations/20240101_000001_b.sql': T('b') } },
  { name: 'plain SQL files without a numeric prefix', files: { 'migrations/create_a.sql': T('a'), 'migrations/create_b.sql': T('b') } },
];

describe(RULE, () => {
  it.each(mustFire)('fires: $name', async (c) => {
    const found = await findings(c.files, c.format);
    expect(found.map((f) => [f.file, f.line, f.column])).toEqual([[c.at, 1, 1]]);
    if (c.message) expect(found[0]!.message).toContain(c.message);
  });
  it.each(mustNotFire)('silent: $name', async (c) => {
    expect(await findings(c.files, c.format)).toEqual([]);
  });
});
