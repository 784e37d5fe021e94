/**
 * Helpers a Knex migration imports from the project's other modules (fixtures/knex/imported-helpers,
 * shaped like a monorepo's `packages/server/src/{db.ts,migrations}`): a dialect check
 * (`isPostgres(db)`, `db.client.config.client === 'pg'`) or a value computed from constants is
 * read in its own module, statically, and the branch of the set's dialect is the one linted. A
 * helper that runs Knex calls or has effects migralint cannot model stays unanalyzable. Bad
 * modules (missing, syntax errors, cycles, huge, too deep) never crash the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const SERVER = 'packages/server';
const M = 'src/migrations';

describe('fixtures/knex/imported-helpers', () => {
  it('a Postgres set: the Postgres branches are linted, the helper calls are not unanalyzable', () => {
    const dir = copyFixture('knex/imported-helpers');
    const r = runCli(['check', '--format', 'json'], { cwd: `${dir}/${SERVER}` });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      // `if (isPostgres(db))` (db.ts): the CONCURRENTLY branch; the `else` and the down's
      // `if (!isPostgres(db))` CREATE INDEX without CONCURRENTLY are not for Postgres.
      [`${M}/20240101000000_concurrent_index.ts`, 5, 19, 'no-concurrent-in-transaction'],
      // `isSqlite = (db) => clientType(db) === DbClientType.SQLite`: an arrow calling another
      // helper, with an enum imported in db.ts's own scope.
      [`${M}/20240102000000_arrow_enum.ts`, 7, 11, 'no-drop-table'],
      // Through an index file: `export * from '../db'` and `export { isPostgres as usesPostgres }`.
      [`${M}/20240103000000_index_reexport.ts`, 5, 11, 'no-drop-table'],
      // `export default function isPg(db)`: `if (!isPg(knex))` is skipped.
      [`${M}/20240104000000_default_export.ts`, 8, 9, 'no-drop-table'],
      // `const { isPostgres } = require('../legacy/db')` in a JS migration (`module.exports = {...}`).
      [`${M}/20240105000000_require.js`, 5, 11, 'no-drop-table'],
      // `import * as dbUtil`: names computed by helpers from constants.
      [`${M}/20240106000000_namespace_and_values.ts`, 6, 18, 'require-concurrent-index'],
      [`${M}/20240106000000_namespace_and_values.ts`, 7, 9, 'no-drop-table'],
      // Not guessed: console.log, a module variable written, Knex calls. Both branches stay "maybe".
      [`${M}/20240107000000_not_followed.ts`, 5, 7, 'unanalyzable-statement'],
      [`${M}/20240107000000_not_followed.ts`, 6, 11, 'no-drop-table'],
      [`${M}/20240107000000_not_followed.ts`, 8, 7, 'unanalyzable-statement'],
      [`${M}/20240107000000_not_followed.ts`, 9, 11, 'no-drop-table'],
      [`${M}/20240107000000_not_followed.ts`, 11, 9, 'unanalyzable-statement'],
    ]);
    const report = jsonReport(r);
    const msg = (file: string, line: number): string => report.findings.find((f) => f.file === `${M}/${file}` && f.line === line)!.message;
    expect(msg('20240106000000_namespace_and_values.ts', 6)).toContain('"items_e_f_index"');
    expect(msg('20240106000000_namespace_and_values.ts', 7)).toContain('"app_legacy"');
    expect(msg('20240107000000_not_followed.ts', 5)).toContain('(it calls `console.log()`)');
    expect(msg('20240107000000_not_followed.ts', 8)).toContain('(it writes `checks`, declared outside it)');
    expect(msg('20240107000000_not_followed.ts', 11)).toContain('(it runs Knex calls)');
    expect(report.summary).toMatchObject({ analyzable: { analyzed: 17, total: 20 } });
  });

  it('a SQLite set: the SQLite branches are linted instead', () => {
    const dir = copyFixture('knex/imported-helpers');
    const r = runCli(['check', '--format', 'json', '--dialect', 'sqlite'], { cwd: `${dir}/${SERVER}` });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      [`${M}/20240102000000_arrow_enum.ts`, 5, 11, 'no-drop-table'],
      [`${M}/20240104000000_default_export.ts`, 8, 9, 'no-drop-table'],
      // 20240106: `if (dbUtil.isSqlite(knex)) return;` — nothing after it runs.
      [`${M}/20240107000000_not_followed.ts`, 5, 7, 'unanalyzable-statement'],
      [`${M}/20240107000000_not_followed.ts`, 6, 11, 'no-drop-table'],
      [`${M}/20240107000000_not_followed.ts`, 8, 7, 'unanalyzable-statement'],
      [`${M}/20240107000000_not_followed.ts`, 9, 11, 'no-drop-table'],
      [`${M}/20240107000000_not_followed.ts`, 11, 9, 'unanalyzable-statement'],
    ]);
  });
});

/** A Postgres project with `files` beside it; the migration is `src/migrations/1_m.ts`. */
function project(files: Record<string, string>): string {
  const dir = makeTempDir();
  writeTree(dir, { 'package.json': '{ "dependencies": { "knex": "^3", "pg": "^8" } }', ...files });
  return dir;
}

/** A migration whose `if` asks `call` (imported by `imports`) and drops a table in each branch. */
const branching = (imports: string, call: string): string =>
  `${imports}\nexport async function up(knex: any) {\n  if (${call}) {\n    await knex.schema.dropTable('yes');\n  } else {\n    await knex.schema.dropTable('no');\n  }\n}\nexport async function down() {\n  throw new Error('irreversible');\n}\n`;

const MIG = 'src/migrations/1_m.ts';

describe('dialect checks in imported helpers', () => {
  it('a test the dialect does not decide (`.includes("sql")`): both branches linted, nothing unanalyzable', () => {
    const dir = project({
      'src/db.ts': "export const usesSql = (db: any) => db.client.config.client.includes('sql');\n",
      [MIG]: branching("import { usesSql } from '../db';", 'usesSql(knex)'),
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      [MIG, 4, 11, 'no-drop-table'],
      [MIG, 6, 11, 'no-drop-table'],
    ]);
  });

  it('a helper returning the client name, compared in the migration', () => {
    const dir = project({
      'src/db.ts': 'export function clientName(db: any): string { return db.client.config.client; }\n',
      [MIG]: branching("import { clientName } from '../db';", "clientName(knex) === 'sqlite3'"),
    });
    expect(findingTuples(runCli(['check', '--format', 'json'], { cwd: dir }))).toEqual([[MIG, 6, 11, 'no-drop-table']]);
  });

  it('`module.exports = function` required whole, testing `[...].includes(client)`', () => {
    const js = 'src/migrations/1_m.js';
    const dir = project({
      'src/lib/is-postgres.js': "module.exports = function isPostgres(knex) {\n  return ['pg', 'postgres'].includes(knex.client.config.client);\n};\n",
      [js]: "const isPostgres = require('../lib/is-postgres');\nexports.up = async (knex) => {\n  if (!isPostgres(knex)) await knex.schema.dropTable('no');\n  else await knex.schema.dropTable('yes');\n};\nexports.down = async () => {\n  throw new Error('irreversible');\n};\n",
    });
    expect(findingTuples(runCli(['check', '--format', 'json'], { cwd: dir }))).toEqual([[js, 4, 14, 'no-drop-table']]);
  });

  it("a helper's own relative imports and require() inside its body resolve in its module", () => {
    const dir = project({
      'src/lib/clients.js': "module.exports = { PG: 'pg' };\n",
      'src/lib/db.ts': "import { dialect } from './dialect';\nexport function isPostgres(db: any) { return dialect(db) === require('./clients').PG; }\n",
      'src/lib/dialect.ts': 'export const dialect = (db: any) => db.client.config.client;\n',
      [MIG]: branching("import { isPostgres } from '../lib/db';", 'isPostgres(knex)'),
    });
    expect(findingTuples(runCli(['check', '--format', 'json'], { cwd: dir }))).toEqual([[MIG, 4, 11, 'no-drop-table']]);
  });
});

describe('what is not followed (reported as before, never a crash)', () => {
  const run = (files: Record<string, string>, importLine: string, call = 'isPostgres(knex)') => {
    const dir = project({ ...files, [MIG]: branching(importLine, call) });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    // Findings, not a crash (a crash exits 2 with a stack trace on stderr).
    expect([0, 1]).toContain(r.status);
    return { r, tuples: findingTuples(r) };
  };
  // The call is reported; both branches are linted as maybe-run.
  const UNRESOLVED = [
    [MIG, 3, 7, 'unanalyzable-statement'],
    [MIG, 4, 11, 'no-drop-table'],
    [MIG, 6, 11, 'no-drop-table'],
  ];

  it('a missing module', () => {
    expect(run({}, "import { isPostgres } from '../missing';").tuples).toEqual(UNRESOLVED);
  });

  it('a module with a syntax error', () => {
    const { tuples } = run({ 'src/db.ts': "export function isPostgres(db: any) {\n  return db.client.config.client === 'pg'\n" }, "import { isPostgres } from '../db';");
    expect(tuples).toEqual(UNRESOLVED);
  });

  it('an import cycle between helper modules', () => {
    const { tuples } = run(
      {
        'src/a.ts': "import { viaB } from './b';\nexport const isPostgres = (db: any) => viaB(db);\nexport const direct = (db: any) => db.client.config.client === 'pg';\n",
        'src/b.ts': "import { direct, isPostgres } from './a';\nexport const viaB = (db: any) => direct(db) && isPostgres(db);\n",
      },
      "import { isPostgres } from '../a';",
    );
    expect(tuples).toEqual(UNRESOLVED);
  });

  it('a helper calling itself forever', () => {
    const { tuples } = run({ 'src/db.ts': 'export function isPostgres(db: any): boolean { return isPostgres(db); }\n' }, "import { isPostgres } from '../db';");
    expect(tuples).toEqual(UNRESOLVED);
  });

  it('a module over the size limit', () => {
    const big = `export function isPostgres(db: any) { return db.client.config.client === 'pg'; }\n// ${'x'.repeat(600 * 1024)}\n`;
    expect(run({ 'src/db.ts': big }, "import { isPostgres } from '../db';").tuples).toEqual(UNRESOLVED);
  });

  it('re-exports nested deeper than the limit', () => {
    const files: Record<string, string> = { 'src/d/db.ts': "export const isPostgres = (db: any) => db.client.config.client === 'pg';\n" };
    for (let i = 0; i < 12; i++) files[`src/d/i${i}.ts`] = `export * from './${i === 11 ? 'db' : `i${i + 1}`}';\n`;
    expect(run(files, "import { isPostgres } from '../d/i0';").tuples).toEqual(UNRESOLVED);
  });

  it('a module outside the project root', () => {
    const dir = makeTempDir();
    writeTree(dir, {
      'db.ts': "export const isPostgres = (db: any) => db.client.config.client === 'pg';\n",
      'app/package.json': '{ "dependencies": { "knex": "^3", "pg": "^8" } }',
      [`app/${MIG}`]: branching("import { isPostgres } from '../../../db';", 'isPostgres(knex)'),
    });
    const r = runCli(['check', '--format', 'json'], { cwd: `${dir}/app` });
    expect(findingTuples(r)).toEqual(UNRESOLVED);
  });

  it('a helper too costly to interpret: the step budget is the migration\'s, one finding about it', () => {
    const R = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;
    const { r, tuples } = run(
      {
        'src/db.ts': `const R = ${R};\nexport function isPostgres(db: any) {\n  let ok = db.client.config.client === 'pg';\n  R.forEach(() => R.forEach(() => R.forEach(() => { ok = ok && true; })));\n  return ok;\n}\n`,
      },
      "import { isPostgres } from '../db';",
    );
    expect(tuples).toEqual([[MIG, 2, 8, 'unanalyzable-statement']]);
    expect(jsonReport(r).findings[0]!.message).toBe('Not analysed: the rest of `up` was not interpreted: too costly to interpret statically');
  });

  it('a helper handed a table builder, and one returning a Knex builder, are not followed', () => {
    const dir = project({
      'src/db.ts': "export const addId = (t: any) => true;\nexport const itemsQuery = (db: any) => db('items');\n",
      [MIG]:
        "import { addId, itemsQuery } from '../db';\nexport async function up(knex: any) {\n  await knex.schema.alterTable('items', (t: any) => {\n    addId(t);\n  });\n  await itemsQuery(knex).del();\n}\nexport async function down() {\n  throw new Error('irreversible');\n}\n",
    });
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      [MIG, 4, 5, 'unanalyzable-statement'],
      [MIG, 6, 9, 'unanalyzable-statement'],
    ]);
  });
});
