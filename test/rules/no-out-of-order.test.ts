/**
 * no-out-of-order on real git repositories: `main` holds the applied migrations, the branch
 * `feature` adds some in its work tree, and `--changed-since main` is linted in-process. The
 * order is each framework's own (numbers compared as numbers, Drizzle's journal).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { changedFindings, edit, plainFindings } from '../helpers/changed.js';
import { removeTempDirs } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';

afterAll(removeTempDirs);

const RULE = 'no-out-of-order';
const T = (name: string) => `CREATE TABLE ${name} (id int);\n`;

interface Case {
  readonly name: string;
  readonly before: Record<string, string>;
  readonly after: Record<string, string | null>;
  readonly expect: [string, number, number][];
  readonly message?: string;
}

const journal = (tags: [string, number][]) =>
  JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map(([tag, when], idx) => ({ idx, version: '7', when, tag, breakpoints: true })) });

const mustFire: Case[] = [
  {
    name: 'golang-migrate: a new version below an applied one',
    before: { 'db/1_a.up.sql': T('a'), 'db/1_a.down.sql': 'DROP TABLE a;\n', 'db/3_c.up.sql': T('c'), 'db/3_c.down.sql': 'DROP TABLE c;\n' },
    after: { 'db/2_b.up.sql': T('b'), 'db/2_b.down.sql': 'DROP TABLE b;\n' },
    expect: [['db/2_b.up.sql', 1, 1]],
    message: 'Migration "2_b.up.sql" is new since main but sorts before "3_c.up.sql", which already existed there: on databases that ran "3_c.up.sql", golang-migrate only runs versions above the current one, so it never runs there.',
  },
  {
    name: 'versions compared as numbers: 9 sorts before 10',
    before: { 'db/V1__a.sql': T('a'), 'db/V10__c.sql': T('c') },
    after: { 'db/V9__b.sql': T('b') },
    expect: [['db/V9__b.sql', 1, 1]],
    message: 'Flyway refuses to migrate',
  },
  {
    name: 'Knex: an older timestamp written on a branch, untracked',
    before: { 'migrations/20240105000000_c.js': "exports.up = (knex) => knex.schema.createTable('c', () => {});\nexports.down = (knex) => knex.schema.dropTable('c');\n" },
    after: { 'migrations/20240101000000_a.js': "exports.up = (knex) => knex.schema.createTable('a', () => {});\nexports.down = (knex) => knex.schema.dropTable('a');\n" },
    expect: [['migrations/20240101000000_a.js', 1, 1]],
  },
  {
    name: "Drizzle: the journal's order, not the file names",
    before: { 'drizzle/0000_a.sql': T('a'), 'drizzle/0002_c.sql': T('c'), 'drizzle/meta/_journal.json': journal([['0000_a', 1], ['0002_c', 3]]) },
    after: { 'drizzle/0001_b.sql': T('b'), 'drizzle/meta/_journal.json': journal([['0000_a', 1], ['0001_b', 2], ['0002_c', 3]]) },
    expect: [['drizzle/0001_b.sql', 1, 1]],
    message: "Drizzle's migrator skips",
  },
  {
    name: 'two new migrations before an applied one: both',
    before: { 'db/001_a.sql': T('a'), 'db/005_e.sql': T('e') },
    after: { 'db/002_b.sql': T('b'), 'db/003_c.sql': T('c') },
    expect: [['db/002_b.sql', 1, 1], ['db/003_c.sql', 1, 1]],
  },
];

const mustNotFire: Case[] = [
  { name: 'a new migration after every applied one', before: { 'db/001_a.sql': T('a'), 'db/002_b.sql': T('b') }, after: { 'db/003_c.sql': T('c') }, expect: [] },
  { name: 'new migrations sorting before other new ones only', before: { 'db/001_a.sql': T('a') }, after: { 'db/003_c.sql': T('c'), 'db/002_b.sql': T('b') }, expect: [] },
  { name: 'an applied migration edited (that is no-modified-migration)', before: { 'db/001_a.sql': T('a'), 'db/002_b.sql': T('b') }, after: { 'db/001_a.sql': T('a2') }, expect: [] },
  { name: 'the applied later migration was deleted on the branch', before: { 'db/001_a.sql': T('a'), 'db/003_c.sql': T('c') }, after: { 'db/003_c.sql': null, 'db/002_b.sql': T('b') }, expect: [] },
  {
    name: 'Drizzle: a new entry at the end of the journal with a lower file number',
    before: { 'drizzle/0005_a.sql': T('a'), 'drizzle/meta/_journal.json': journal([['0005_a', 1]]) },
    after: { 'drizzle/0001_b.sql': T('b'), 'drizzle/meta/_journal.json': journal([['0005_a', 1], ['0001_b', 2]]) },
    expect: [],
  },
];

describe(RULE, () => {
  it.each(mustFire)('fires: $name', async (c) => {
    const dir = makeRepo(c.before);
    edit(dir, c.after);
    const found = await changedFindings(dir, RULE);
    expect(found.map((f) => [f.file, f.line, f.column])).toEqual(c.expect);
    if (c.message) expect(found[0]!.message).toContain(c.message);
    expect(await plainFindings(dir, RULE)).toBe(0);
  });

  it.each(mustNotFire)('does not fire: $name', async (c) => {
    const dir = makeRepo(c.before);
    edit(dir, c.after);
    expect(await changedFindings(dir, RULE)).toEqual([]);
  });
});
