/**
 * Every generated rule in ESLint's own RuleTester (ESLint 10 and 9), valid and invalid cases with
 * line and column asserted. The rules delegate to migralint's engine, so these cases check the
 * adapter (ids, messages, positions, suggestions, languages); the rule logic is tested in
 * test/rules/. A table created by an earlier migration is read from disk (a real set in a
 * temporary directory), as in an editor. (RuleTester renames the rule under test, so
 * `eslint-disable` comments naming it are tested in project.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleTester, type ESLint } from 'eslint';
// @ts-ignore -- the `eslint-v9` alias has no types of its own; its API is ESLint's.
import { RuleTester as RuleTester9 } from 'eslint-v9';
import tsParser from '@typescript-eslint/parser';
import { RULES, docsUrl } from 'migralint';
import plugin from 'eslint-plugin-migralint';

// A set on disk whose first migration creates the tables the cases below alter.
const SET = mkdtempSync(path.join(os.tmpdir(), 'migralint-ruletester-'));
mkdirSync(path.join(SET, 'sql'));
writeFileSync(path.join(SET, 'sql', '001_init.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text, nickname text);\nCREATE TABLE audit_log (id int);\n');
const SQL_FILE = path.join(SET, 'sql', '002_change.sql');
mkdirSync(path.join(SET, 'dbmate'));
writeFileSync(path.join(SET, 'dbmate', '20240101000000_init.sql'), '-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n');
const DBMATE_FILE = path.join(SET, 'dbmate', '20240102000000_change.sql');
mkdirSync(path.join(SET, 'knex', 'migrations'), { recursive: true });
writeFileSync(path.join(SET, 'knex', 'knexfile.js'), "module.exports = { client: 'pg', migrations: { directory: './migrations' } };\n");
writeFileSync(
  path.join(SET, 'knex', 'migrations', '20240101000000_init.js'),
  "exports.up = (knex) => knex.schema.createTable('users', (t) => { t.increments('id'); t.string('email'); });\nexports.down = (knex) => knex.schema.dropTable('users');\n",
);
const KNEX_JS = path.join(SET, 'knex', 'migrations', '20240102000000_change.js');
const KNEX_TS = path.join(SET, 'knex', 'migrations', '20240102000000_change.ts');
afterAll(() => rmSync(SET, { recursive: true, force: true }));

const message = (ruleId: string, text: RegExp): RegExp => {
  expect(RULES.some((r) => r.meta.id === ruleId)).toBe(true);
  return text;
};

type Case = { code: string; filename: string; output?: string; errors?: { line: number; column: number; endLine?: number; message?: RegExp; messageId?: string; suggestions?: { desc: string; output: string }[] }[] };
type RuleCases = { valid: Case[]; invalid: Case[]; language?: 'sql' | 'js' | 'ts' };

/** Cases per rule: every core rule, and the others the engine reports in SQL or Knex files. */
const CASES: Record<string, RuleCases> = {
  'no-drop-table': {
    valid: [
      { code: 'CREATE TABLE tmp (id int);\nDROP TABLE tmp;\n', filename: SQL_FILE },
      { code: '-- migralint-disable-next-line no-drop-table\nDROP TABLE users;\n', filename: SQL_FILE },
    ],
    invalid: [{ code: 'SELECT 1;\n\n  DROP TABLE users;\n', filename: SQL_FILE, errors: [{ line: 3, column: 3, message: message('no-drop-table', /Dropping table "users"/) }] }],
  },
  'no-drop-column': {
    valid: [{ code: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;\n', filename: SQL_FILE }],
    invalid: [{ code: 'ALTER TABLE users DROP COLUMN nickname;\n', filename: SQL_FILE, errors: [{ line: 1, column: 19, message: /Dropping column "nickname"/ }] }],
  },
  'no-truncate': {
    valid: [{ code: 'CREATE TABLE scratch (id int);\nTRUNCATE scratch;\n', filename: SQL_FILE }],
    invalid: [{ code: '/* cleanup */ TRUNCATE audit_log;\n', filename: SQL_FILE, errors: [{ line: 1, column: 15, message: /TRUNCATE deletes every row of "audit_log"/ }] }],
  },
  'require-down': {
    valid: [{ code: '-- migrate:up\nALTER TABLE users ADD COLUMN x int;\n-- migrate:down\nALTER TABLE users DROP COLUMN x;\n', filename: DBMATE_FILE }],
    invalid: [{ code: '-- migrate:up\nALTER TABLE users ADD COLUMN x int;\n', filename: DBMATE_FILE, errors: [{ line: 1, column: 1, message: /has no down migration/ }] }],
  },
  'require-concurrent-index': {
    valid: [
      { code: 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n', filename: SQL_FILE },
      { code: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n', filename: SQL_FILE },
    ],
    invalid: [
      {
        code: 'CREATE UNIQUE INDEX users_email ON users (email);\n',
        filename: SQL_FILE,
        errors: [
          {
            line: 1,
            column: 1,
            message: /without CONCURRENTLY takes a SHARE lock/,
            suggestions: [{ desc: 'Add CONCURRENTLY (writes are not blocked while it runs). CONCURRENTLY cannot run inside a transaction block.', output: 'CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email);\n' }],
          },
        ],
      },
      {
        code: '-- migrate:up\ncreate index users_id on users (id);\n-- migrate:down\ndrop index users_id;\n',
        filename: DBMATE_FILE,
        errors: [
          {
            line: 2,
            column: 1,
            message: /without CONCURRENTLY/,
            suggestions: [{ desc: 'Add CONCURRENTLY (writes are not blocked while it runs). CONCURRENTLY cannot run inside a transaction block, and this migration runs in one: run it in a migration whose header reads `-- migrate:up transaction:false`.', output: '-- migrate:up\ncreate index CONCURRENTLY users_id on users (id);\n-- migrate:down\ndrop index users_id;\n' }],
          },
        ],
      },
    ],
  },
  'require-not-null-backfill': {
    valid: [
      { code: 'ALTER TABLE users ADD COLUMN tenant int NOT NULL DEFAULT 0;\n', filename: SQL_FILE },
      { code: 'UPDATE users SET email = \'\' WHERE email IS NULL;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n', filename: SQL_FILE },
    ],
    invalid: [
      { code: 'ALTER TABLE users\n  ADD COLUMN tenant int NOT NULL;\n', filename: SQL_FILE, errors: [{ line: 2, column: 3, message: /Adding NOT NULL column "tenant"/ }] },
      { code: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n', filename: SQL_FILE, errors: [{ line: 1, messageId: 'findingWithHelp', column: 19 }] },
    ],
  },
  'no-concurrent-in-transaction': {
    valid: [{ code: '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n-- migrate:down\nDROP INDEX users_id;\n', filename: DBMATE_FILE }],
    invalid: [{ code: '-- migrate:up\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n-- migrate:down\nDROP INDEX users_id;\n', filename: DBMATE_FILE, errors: [{ line: 2, messageId: 'findingWithHelp', column: 1 }] }],
  },
  // Safe fixes are ESLint fixes (`output`: what eslint --fix writes); the others are suggestions.
  'prefer-robust-stmts': {
    valid: [
      { code: 'CREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE users ADD COLUMN IF NOT EXISTS x int;\n', filename: SQL_FILE },
      { code: '-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n', filename: DBMATE_FILE },
    ],
    invalid: [
      {
        code: 'create table t (id int);\n/* old */ DROP INDEX CONCURRENTLY users_old;\n',
        filename: SQL_FILE,
        output: 'create table IF NOT EXISTS t (id int);\n/* old */ DROP INDEX CONCURRENTLY IF EXISTS users_old;\n',
        errors: [
          { line: 1, column: 1, message: /CREATE TABLE without IF NOT EXISTS/ },
          { line: 2, column: 11, message: /DROP INDEX without IF EXISTS/ },
        ],
      },
    ],
  },
  'prefer-timestamptz': {
    valid: [{ code: 'CREATE TABLE t (at timestamptz);\n', filename: SQL_FILE }],
    invalid: [{ code: 'ALTER TABLE users ADD COLUMN seen_at TIMESTAMP(3) WITHOUT TIME ZONE;\n', filename: SQL_FILE, output: 'ALTER TABLE users ADD COLUMN seen_at TIMESTAMPTZ(3);\n', errors: [{ line: 1, column: 19, message: /is timestamp without time zone/ }] }],
  },
  'require-not-valid-constraint': {
    valid: [{ code: 'ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0) NOT VALID;\n', filename: SQL_FILE }],
    invalid: [
      {
        code: 'ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0);\n',
        filename: SQL_FILE,
        errors: [
          {
            line: 1,
            column: 19,
            message: /checks every existing row/,
            suggestions: [
              {
                desc: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT users_id_check as its own statement: validation takes only a SHARE UPDATE EXCLUSIVE lock. The statements must not share a transaction.',
                output: 'ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_id_check;\n',
              },
            ],
          },
        ],
      },
    ],
  },
  'unused-disable': {
    valid: [{ code: '-- migralint-disable-next-line no-truncate\nTRUNCATE audit_log;\n', filename: SQL_FILE }],
    invalid: [{ code: 'SELECT 1;\n-- migralint-disable-next-line no-truncate\nSELECT 2;\n', filename: SQL_FILE, errors: [{ line: 2, column: 1, message: /suppresses nothing/ }] }],
  },
};

/** Knex cases, on ESLint's own AST: espree for .js, typescript-eslint's parser for .ts. */
const KNEX_CASES: Record<string, RuleCases> = {
  'no-drop-table': {
    language: 'js',
    valid: [{ code: "exports.up = (knex) => knex.schema.createTable('t', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('t');\n", filename: KNEX_JS }],
    invalid: [{ code: "exports.up = async (knex) => {\n  await knex.schema.dropTable('users');\n};\nexports.down = async () => {};\n", filename: KNEX_JS, errors: [{ line: 2, messageId: 'findingWithHelp', column: 9 }] }],
  },
  'require-concurrent-index': {
    language: 'ts',
    valid: [{ code: "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  await knex.raw('CREATE INDEX CONCURRENTLY users_email ON users (email)');\n}\nexport const config = { transaction: false };\nexport async function down(knex: Knex): Promise<void> {}\n", filename: KNEX_TS }],
    invalid: [
      {
        code: "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.alterTable('users', (t: Knex.AlterTableBuilder) => {\n    t.index(['email']);\n  });\n}\nexport async function down(knex: Knex): Promise<void> {\n  await knex.schema.alterTable('users', (t) => t.dropIndex(['email']));\n}\n",
        filename: KNEX_TS,
        errors: [{ line: 4, messageId: 'findingWithHelp', column: 5 }],
      },
    ],
  },
  'require-down': {
    language: 'js',
    valid: [],
    invalid: [{ code: "exports.up = (knex) => knex.schema.table('users', (t) => { t.string('x'); });\n", filename: KNEX_JS, errors: [{ line: 1, messageId: 'findingWithHelp', column: 14 }] }],
  },
  'unanalyzable-statement': {
    language: 'js',
    valid: [],
    invalid: [{ code: "const name = process.env.T;\nexports.up = (knex) => knex.schema.dropTable(name);\nexports.down = () => {};\n", filename: KNEX_JS, errors: [{ line: 2, messageId: 'findingWithHelp', column: 24 }] }],
  },
};

const TESTERS: [string, typeof RuleTester][] = [
  ['ESLint 10', RuleTester],
  ['ESLint 9', RuleTester9 as typeof RuleTester],
];

describe.each(TESTERS)('%s RuleTester', (_name, Tester) => {
  // RuleTester runs its cases as vitest tests.
  Tester.describe = describe;
  Tester.it = it;
  Tester.itOnly = it.only;
  // The plugin is JavaScript: its JSDoc types of the SQL Language are narrower than ESLint's
  // generic Language and SourceCode types (applyInlineConfig's rules, parse's result).
  const sql = new Tester({ plugins: { migralint: plugin as unknown as ESLint.Plugin }, language: 'migralint/sql' });
  const js = new Tester({});
  const ts = new Tester({ languageOptions: { parser: tsParser } });
  const rules = plugin.rules as Record<string, Parameters<RuleTester['run']>[1]>;
  for (const [id, cases] of Object.entries(CASES)) sql.run(`migralint/${id} (SQL)`, rules[id]!, cases as never);
  for (const [id, cases] of Object.entries(KNEX_CASES)) (cases.language === 'ts' ? ts : js).run(`migralint/${id} (Knex ${cases.language})`, rules[id]!, cases as never);
});

describe('generated rules', () => {
  it('one rule per registry rule, same id, description, help and docs URL', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(RULES.map((r) => r.meta.id).sort());
    for (const r of RULES) {
      const meta = (plugin.rules as Record<string, { meta: Record<string, any> }>)[r.meta.id]!.meta;
      expect(meta.docs.url).toBe(docsUrl(r.meta.id));
      expect(meta.docs.description).toBe(r.meta.description);
      expect(meta.languages).toEqual(['migralint/sql', 'js/js']);
      expect(meta.migralint.dialects).toEqual(r.meta.dialects);
      expect(meta.migralint.help).toBe(r.meta.help);
      // Exactly the rules that attach fixes: a safe fix is ESLint's `fix`, the others `suggest`.
      expect(meta.fixable).toBe(r.meta.fixable ? 'code' : undefined);
      expect(meta.hasSuggestions === true).toBe(r.meta.fixable === true);
    }
  });

  it('covers every core rule in SQL with valid and invalid cases', () => {
    for (const id of ['no-drop-table', 'no-drop-column', 'no-truncate', 'require-down', 'require-concurrent-index', 'require-not-null-backfill']) {
      expect(CASES[id]!.valid.length).toBeGreaterThan(0);
      expect(CASES[id]!.invalid.length).toBeGreaterThan(0);
    }
  });

  it('the recommended config is flat: SQL files in the migralint/sql language, JS for Knex', () => {
    const [sql, knex] = plugin.configs.recommended;
    expect(sql.language).toBe('migralint/sql');
    expect(sql.files).toEqual(['**/*.sql']);
    expect(knex.files).toEqual(['**/*.{js,cjs,mjs}']);
    expect(Object.keys(sql.rules)).toEqual(RULES.filter((r) => r.meta.recommended).map((r) => `migralint/${r.meta.id}`));
  });
});
