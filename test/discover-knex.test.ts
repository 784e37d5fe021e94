/**
 * Which JS/TS files are Knex migrations: decided from the program's real exports, in the folders
 * a knexfile names or that look like migration folders; never node_modules or build output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeKnexMigration } from '../src/sources/knex/detect.js';
import { findingTuples, jsonReport, makeTempDir, removeTempDirs, REPO, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

describe('looksLikeKnexMigration: the real exports, not text in strings', () => {
  const yes: [string, string][] = [
    ['exports.up', 'exports.up = function (knex) {\n  return knex.schema.dropTable("a");\n};\nexports.down = function () {};'],
    ['module.exports = { up, down }', 'async function up(knex) { await knex.schema.dropTable("a"); }\nasync function down() {}\nmodule.exports = { up, down };'],
    ['module.exports = { async up() }', 'module.exports = {\n  async up(db) { await db.schema.dropTable("a"); },\n  async down() {},\n};'],
    ['export async function up', 'import type { Knex } from "knex";\nexport async function up(knex: Knex): Promise<void> {}'],
    ['export const up', 'export const up = async (db) => { await db.raw("DROP TABLE a"); };'],
    ['export { up }', 'const up = (k) => k.schema.dropTable("a");\nconst down = () => {};\nexport { up, down };'],
    ['export default { up, down }', 'export default {\n  up: (trx) => trx.schema.dropTable("a"),\n  down: () => {},\n};'],
    ['module.exports = migration', 'const migration = { up: (knex) => knex("a").del(), down: () => {} };\nmodule.exports = migration;'],
  ];
  const no: [string, string][] = [
    // This repository's own interpreter and tests: `exports.up` only inside strings.
    ['exports.up inside a string', 'const src = `exports.up = async (knex) => { await knex.schema.dropTable("x"); };`;\nexport function interpret() { return src; }'],
    ['a comment', '// exports.up = function (knex) {}\nexport const knexHelper = 1;'],
    ['an `up` that is not exported', 'async function up(knex) { await knex.schema.dropTable("a"); }\nup();'],
    ['node-pg-migrate', 'exports.up = (pgm) => { pgm.createTable("users", { id: "id" }); };'],
    ['Sequelize', 'module.exports = { up: async (queryInterface) => { await queryInterface.createTable("u", {}); } };'],
    ['db-migrate', 'exports.up = function (db, callback) { db.createTable("users", {}, callback); };'],
    ['an unrelated `up` export', 'export function up(n) { return n + 1; }'],
  ];
  for (const [name, text] of yes) it(`yes: ${name}`, () => expect(looksLikeKnexMigration(text, 'm.ts')).toBe(true));
  for (const [name, text] of no) it(`no: ${name}`, () => expect(looksLikeKnexMigration(text, 'm.ts')).toBe(false));
});

describe('check at a project root', () => {
  it('lints the migrations and nothing else: not sources, tests, node_modules or build output', () => {
    const migration = 'exports.up = async (knex) => {\n  await knex.schema.dropTable("sessions");\n};\nexports.down = async () => {\n  throw new Error("irreversible");\n};\n';
    const dir = writeTree(makeTempDir(), {
      'package.json': '{ "name": "app", "dependencies": { "knex": "^3.1.0", "pg": "^8.0.0" } }\n',
      'src/db/migrations/20240101000000_drop_sessions.js': migration,
      // Mentions of migrations in strings and tests.
      'src/tools/scaffold.ts': 'export const template = `exports.up = async (knex) => {\\n  await knex.schema.dropTable("t");\\n};\\n`;\n',
      'test/migrate.test.js': 'const up = "exports.up = (knex) => knex.schema.dropTable(\'x\')";\nit("runs", () => expect(up).toBeTruthy());\n',
      // Copies that are not the user's own sources.
      'node_modules/some-lib/migrations/1_x.js': migration,
      'dist/db/migrations/20240101000000_drop_sessions.js': migration,
      'build/db/migrations/20240101000000_drop_sessions.js': migration,
      'coverage/lcov-report/x.js': migration,
      '.next/server/migrations/x.js': migration,
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([['src/db/migrations/20240101000000_drop_sessions.js', 2, 9, 'no-drop-table']]);
    expect(jsonReport(r).summary.migrations).toBe(1);
  });

  it('with a knexfile: its directory, and folders named like migrations only', () => {
    const migration = (table: string): string => `export async function up(knex) {\n  await knex.schema.dropTable('${table}');\n}\nexport async function down() {\n  throw new Error('irreversible');\n}\n`;
    const dir = writeTree(makeTempDir(), {
      'knexfile.mjs': "export default { client: 'pg', migrations: { directory: './db/migrations' } };\n",
      'db/migrations/20240101000000_a.mjs': migration('a'),
      'plugins/billing/migrations/20240101000000_b.mjs': migration('b'),
      // Exports `up` and uses a knex-like argument, but is not in a migrations folder.
      'scripts/maintenance.mjs': migration('c'),
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).map(([f, , , id]) => [f, id])).toEqual([
      ['db/migrations/20240101000000_a.mjs', 'no-drop-table'],
      ['plugins/billing/migrations/20240101000000_b.mjs', 'no-drop-table'],
    ]);
  });

  it('this repository: only its fixtures and examples are migrations', () => {
    const r = runCli(['check', '--format', 'json'], { cwd: REPO });
    const files = new Set(jsonReport(r).findings.map((f) => f.file));
    expect([...files].filter((f) => !f.startsWith('fixtures/') && !f.startsWith('examples/'))).toEqual([]);
  });
});
