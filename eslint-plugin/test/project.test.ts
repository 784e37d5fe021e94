/**
 * The plugin in real ESLint (10, and 9 through the `eslint-v9` alias) on a project holding every
 * layout migralint knows: the same findings (rule, file, line, column) as `migralint check .` on
 * that tree; lintText with a filePath as editors call it (buffer text, the rest of the set from
 * disk); disable directives in SQL; the per-set cache seeing edits on disk.
 */
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
// @ts-ignore -- the `eslint-v9` alias has no types of its own; its API is ESLint's.
import { ESLint as ESLint9 } from 'eslint-v9';
import { cliFindings, eslintTuples, makeProject, sortTuples, type Project } from './helpers/project.js';

const ESLINT_VERSIONS: [string, typeof ESLint][] = [
  ['ESLint 10', ESLint],
  ['ESLint 9', ESLint9 as typeof ESLint],
];

/** Files ESLint lints with this config: SQL, JS and TS (journals and TOML files are not linted). */
const LINTED = /\.(?:sql|[cm]?js|[cm]?ts)$/;

/** A folder of its own per ESLint version, for tests that edit files on disk. */
const own = (version: string, rel: string): string => `${version.replace(/\W+/g, '-')}/${rel}`;

const KEPT_TIME = new Date('2024-01-01T00:00:00Z');
/** The same length: `NOT` in place of three spaces. */
const NULLABLE = 'CREATE TABLE t (x int     NULL);\n';
const NOT_NULL = 'CREATE TABLE t (x int NOT NULL);\n';

let project: Project;
beforeAll(() => {
  project = makeProject();
  // A finding in a golang-migrate .down.sql file (linted with down-aware policy).
  project.write('golang-migrate/db/migrations/12_scratch.up.sql', 'CREATE TABLE scratch (id int);\n');
  project.write('golang-migrate/db/migrations/12_scratch.down.sql', 'DROP TABLE scratch;\nTRUNCATE audit_log;\n');
  // Written now, to be seconds old when the same-size edit test reads them (see there), with
  // the times a copy that keeps them gives a file (whole seconds, long ago).
  utimesSync(project.write('stamp/1_create.sql', NULLABLE), KEPT_TIME, KEPT_TIME);
  project.write('stamp/2_not_null.sql', 'ALTER TABLE t ALTER COLUMN x SET NOT NULL;\n');
});
afterAll(() => project.cleanup());

describe.each(ESLINT_VERSIONS)('%s', (name, Eslint) => {
  // Runs the CLI and ESLint over every layout: slow on a loaded machine.
  it('lintFiles reports what `migralint check .` reports, at the same lines and columns', { timeout: 120_000 }, async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const results = await eslint.lintFiles(['.']);
    const got = sortTuples(eslintTuples(project.dir, results));
    const cli = cliFindings(project.dir);
    const expected = sortTuples(cli.filter((f) => LINTED.test(f.file)));
    expect(got).toEqual(expected);
    // The comparison covers every layout and both languages, not a few files.
    const dirs = new Set(got.map((t) => t.file.split('/')[0]));
    for (const layout of ['dbmate', 'goose', 'sql-migrate', 'golang-migrate', 'flyway', 'prisma', 'diesel', 'drizzle', 'knex', 'sql']) expect(dirs).toContain(layout);
    expect(got.some((t) => t.file.endsWith('.ts'))).toBe(true);
    expect(got.some((t) => t.file.endsWith('.js'))).toBe(true);
    expect(got.some((t) => t.file.endsWith('.down.sql'))).toBe(true);
    // What ESLint does not see is only what it does not lint (journals, TOML), never a .sql file.
    expect(cli.filter((f) => !LINTED.test(f.file)).every((f) => /\.(?:json|toml)$/.test(f.file))).toBe(true);
  });

  it('lintText with a filePath lints the buffer in the context of the set on disk', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    // A new, unsaved migration after the dbmate chain: "users" exists (created on disk earlier).
    const filePath = path.join(project.dir, 'dbmate/db/migrations/20240201000000_new.sql');
    const text = ['-- migrate:up', 'CREATE TABLE fresh (id int);', 'CREATE INDEX fresh_id ON fresh (id);', 'CREATE INDEX users_email ON users (email);', '-- migrate:down', 'DROP INDEX users_email;', 'DROP TABLE fresh;', ''].join('\n');
    const [result] = await eslint.lintText(text, { filePath });
    const messages = result!.messages.map((m) => [m.ruleId, m.line, m.column]);
    // Indexing the table created in this migration is fine; the existing one is not.
    expect(messages).toEqual([['migralint/require-concurrent-index', 4, 1]]);
    // The suggestion: CONCURRENTLY, and that it changes transaction behaviour.
    const suggestion = result!.messages[0]!.suggestions?.[0];
    expect(suggestion?.desc).toMatch(/CONCURRENTLY cannot run inside a transaction block/);
    expect(suggestion?.desc).toMatch(/transaction:false/);
    const fixed = text.slice(0, suggestion!.fix.range[0]) + suggestion!.fix.text + text.slice(suggestion!.fix.range[1]);
    expect(fixed).toContain('CREATE INDEX CONCURRENTLY users_email ON users (email);');
    expect(result!.messages[0]!.fix).toBeUndefined();
  });

  it('eslint --fix applies the safe fixes of the rules a config turns on, never the suggestions', async () => {
    // An opt-in rule turned on in the ESLint config (not migralint's): the engine must run it.
    const eslint = new Eslint({ cwd: project.dir, fix: true, overrideConfig: { files: ['**/*.sql'], rules: { 'migralint/prefer-robust-stmts': 'warn', 'migralint/prefer-timestamptz': 'warn' } } });
    const filePath = path.join(project.dir, 'sql/migrations/900_new.sql');
    const text = 'CREATE TABLE events (id bigint, at timestamp);\nCREATE INDEX users_seen_idx ON users (email);\n';
    const [result] = await eslint.lintText(text, { filePath });
    expect(result!.output).toBe('CREATE TABLE IF NOT EXISTS events (id bigint, at timestamptz);\nCREATE INDEX IF NOT EXISTS users_seen_idx ON users (email);\n');
    // What remains: the index build, whose CONCURRENTLY is a suggestion only.
    expect(result!.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['migralint/require-concurrent-index', 2, 1]]);
    expect(result!.messages[0]!.suggestions?.[0]?.desc).toMatch(/^Add CONCURRENTLY/);
  });

  it('lintText of a Knex migration uses the buffer, not the file on disk', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const filePath = path.join(project.dir, 'knex/migrations/20240102090000_add_status.js');
    const text = `exports.up = async function (knex) {\n  await knex.schema.dropTable('users');\n};\nexports.down = async function (knex) {\n  await knex.schema.createTable('users', (t) => t.increments('id'));\n};\n`;
    const [result] = await eslint.lintText(text, { filePath });
    expect(result!.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['migralint/no-drop-table', 2, 9]]);
  });

  it('a buffer linted earlier never stands in for its file on disk when another file of the set is linted', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const later = path.join(project.dir, 'knex/migrations/20240103090000_drop_legacy.ts');
    const messagesOf = async () => (await eslint.lintFiles([later]))[0]!.messages.map((m) => [m.ruleId, m.line, m.column]);
    const before = await messagesOf();
    // The column it drops was made earlier on disk: nothing is missing.
    expect(before.map(([id]) => id)).not.toContain('migralint/no-missing-dependency');
    // An unsaved buffer of an earlier migration that drops the table (as an editor would send).
    const buffer = `exports.up = async function (knex) {\n  await knex.schema.dropTable('users');\n};\nexports.down = async function () {};\n`;
    await eslint.lintText(buffer, { filePath: path.join(project.dir, 'knex/migrations/20240102090000_add_status.js') });
    // Linting the later file again reads the earlier one from disk, not the buffer.
    expect(await messagesOf()).toEqual(before);
    // Likewise for SQL: a buffer that drops the table, then the later file from disk.
    project.write('buffers/1_create.sql', 'CREATE TABLE t (x int);\n');
    const second = project.write('buffers/2_drop_col.sql', 'ALTER TABLE t DROP COLUMN x;\n');
    const sqlMessages = async () => (await eslint.lintFiles([second]))[0]!.messages.map((m) => m.ruleId);
    const sqlBefore = await sqlMessages();
    expect(sqlBefore).toEqual(['migralint/no-drop-column']);
    await eslint.lintText('CREATE TABLE other (y int);\n', { filePath: path.join(project.dir, 'buffers/1_create.sql') });
    expect(await sqlMessages()).toEqual(sqlBefore);
  });

  it('never runs a migration: a hostile Knex file is read, not executed', async () => {
    const sentinel = path.join(project.dir, 'PWNED');
    const hostile = project.write(
      'hostile/migrations/20240101000000_evil.js',
      `require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x');\nexports.up = async (knex) => { require('fs').writeFileSync(${JSON.stringify(sentinel)}, 'x'); await knex.schema.dropTable('users'); };\nexports.down = async () => {};\n`,
    );
    const [result] = await new Eslint({ cwd: project.dir }).lintFiles([hostile]);
    expect(result!.messages.map((m) => m.ruleId)).toContain('migralint/no-drop-table');
    expect(existsSync(sentinel)).toBe(false);
  });

  it('a SQL syntax error is a parse error at its line and column', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const [result] = await eslint.lintText('-- ok\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN;\n', { filePath: path.join(project.dir, 'scratch/1_bad.sql') });
    expect(result!.messages).toHaveLength(1);
    const [m] = result!.messages;
    expect(m!.fatal).toBe(true);
    expect([m!.line, m!.column]).toEqual([3, 25]);
    expect(m!.message).toMatch(/syntax error/i);
  });

  it('eslint-disable directives work in SQL, beside migralint-disable ones', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const text = [
      'CREATE TABLE a (id int);', // 1
      'CREATE TABLE b (id int);',
      'CREATE TABLE c (id int);',
      'CREATE TABLE d (id int);',
      '-- eslint-disable-next-line migralint/no-drop-table -- a reviewed drop', // 5
      'DROP TABLE a;',
      '-- migralint-disable-next-line no-drop-table',
      'DROP TABLE b;',
      '/* eslint-disable migralint/no-truncate */',
      'TRUNCATE c;', // 10
      '/* eslint-enable migralint/no-truncate */',
      'TRUNCATE d;',
      'DROP TABLE d; -- eslint-disable-line migralint/no-drop-table',
      "SELECT '-- eslint-disable-next-line';",
      'DROP TABLE c;', // 15
      '/* eslint migralint/no-truncate: "off" */',
      '',
    ].join('\n');
    // Tables created in the same file are new: put them in an earlier file on disk instead.
    project.write('directives/1_create.sql', 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\nCREATE TABLE d (id int);\n');
    const filePath = path.join(project.dir, 'directives/2_drop.sql');
    const [result] = await eslint.lintText(text.replace(/^CREATE TABLE [abcd] \(id int\);$/gm, '-- placeholder'), { filePath });
    const messages = result!.messages.map((m) => [m.ruleId, m.line]);
    // The inline config turns no-truncate off for the whole file (ESLint's own semantics), so
    // ESLint reports the eslint-disable for it as unused; eslint-disable-line covers line 13.
    expect(messages).toEqual([
      [null, 9],
      ['migralint/no-drop-table', 15],
    ]);
    // Without the inline config: TRUNCATE d (after eslint-enable) is reported, TRUNCATE c is not.
    const [again] = await eslint.lintText(text.replace(/^CREATE TABLE [abcd] \(id int\);$/gm, '-- placeholder').replace('/* eslint migralint/no-truncate: "off" */', ''), { filePath });
    expect(again!.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ['migralint/no-truncate', 12],
      ['migralint/no-drop-table', 15],
    ]);
    // `-- eslint-disable` inside a string literal is not a directive (line 15 still reported).
    // An unused eslint-disable is reported by ESLint as usual.
    const [unused] = await new Eslint({ cwd: project.dir, overrideConfig: { linterOptions: { reportUnusedDisableDirectives: 'error' } } }).lintText(
      '-- eslint-disable-next-line migralint/no-drop-table\nSELECT 1;\n',
      { filePath },
    );
    expect(unused!.messages.map((m) => [m.ruleId, m.line, m.message])).toEqual([[null, 1, expect.stringMatching(/Unused eslint-disable directive/)]]);
  });

  it('language options: dialect is validated and used; postgresVersion is validated', async () => {
    const filePath = path.join(project.dir, 'options/1_x.sql');
    const sqlite = new Eslint({ cwd: project.dir, overrideConfig: { files: ['**/*.sql'], languageOptions: { dialect: 'sqlite' } } });
    const [r] = await sqlite.lintText('CREATE INDEX i ON users (email);\nDROP TABLE users;\n', { filePath });
    // SQLite has no CONCURRENTLY: require-concurrent-index does not apply; no-drop-table does.
    expect(r!.messages.map((m) => [m.ruleId, m.line])).toEqual([['migralint/no-drop-table', 2]]);
    const [pg] = await new Eslint({ cwd: project.dir }).lintText('CREATE INDEX i ON users (email);\nDROP TABLE users;\n', { filePath });
    expect(pg!.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ['migralint/require-concurrent-index', 1],
      ['migralint/no-drop-table', 2],
    ]);
    const bad = new Eslint({ cwd: project.dir, overrideConfig: { files: ['**/*.sql'], languageOptions: { dialect: 'oracle' } } });
    await expect(bad.lintText('SELECT 1;\n', { filePath })).rejects.toThrow(/Key "dialect": expected one of "postgres", "sqlite", "mysql"/);
    const badVersion = new Eslint({ cwd: project.dir, overrideConfig: { files: ['**/*.sql'], languageOptions: { postgresVersion: 'latest' } } });
    await expect(badVersion.lintText('SELECT 1;\n', { filePath })).rejects.toThrow(/Key "postgresVersion"/);
  });

  it("the project's migralint.config.json applies as it does for the CLI: dialect, ignore; ESLint's own options win", async () => {
    project.write('configured/migralint.config.json', JSON.stringify({ dialect: 'sqlite', ignore: ['db/skip/**'] }));
    const filePath = path.join(project.dir, 'configured/db/1_x.sql');
    const text = 'CREATE INDEX i ON users (email);\nDROP TABLE users;\n';
    const [r] = await new Eslint({ cwd: project.dir }).lintText(text, { filePath });
    // SQLite from the config: no CONCURRENTLY rule; the DROP still counts.
    expect(r!.messages.map((m) => [m.ruleId, m.line])).toEqual([['migralint/no-drop-table', 2]]);
    const [ignored] = await new Eslint({ cwd: project.dir }).lintText(text, { filePath: path.join(project.dir, 'configured/db/skip/1_x.sql') });
    expect(ignored!.messages).toEqual([]);
    const pg = new Eslint({ cwd: project.dir, overrideConfig: { files: ['**/*.sql'], languageOptions: { dialect: 'postgres' } } });
    const [forced] = await pg.lintText(text, { filePath });
    expect(forced!.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ['migralint/require-concurrent-index', 1],
      ['migralint/no-drop-table', 2],
    ]);
  });

  it('sees a change to an earlier migration on disk (the per-set cache is invalidated)', async () => {
    const eslint = new Eslint({ cwd: project.dir });
    const first = project.write('cache/1_create.sql', 'CREATE TABLE t (x int);\n');
    const second = project.write('cache/2_not_null.sql', 'ALTER TABLE t ALTER COLUMN x SET NOT NULL;\n');
    const lint = async () => (await eslint.lintFiles([second]))[0]!.messages.map((m) => m.ruleId);
    expect(await lint()).toEqual(['migralint/require-not-null-backfill']);
    // The earlier migration, edited on disk: the column is NOT NULL from the start, so setting
    // it again cannot fail. Same process, same plugin instance, as in an editor.
    writeFileSync(first, 'CREATE TABLE t (x int NOT NULL);\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(first, later, later);
    expect(await lint()).toEqual([]);
  });
  it("resumes from the schema of a chain's earlier migrations kept from the last lint, and walks it again once one of them changes", async () => {
    const eslint = new Eslint({ cwd: project.dir });
    project.write('kept/1_create.sql', 'CREATE TABLE t (id int, x int);\n');
    const middle = project.write('kept/2_fill.sql', "INSERT INTO t (id) VALUES (1);\n");
    const last = project.write('kept/3_drop.sql', 'ALTER TABLE t ALTER COLUMN x SET NOT NULL;\nDROP TABLE t;\n');
    const lint = async (text?: string) => (text === undefined ? await eslint.lintFiles([last]) : await eslint.lintText(text, { filePath: last }))[0]!.messages.map((m) => [m.ruleId, m.line, m.column]);
    const expected = [
      ['migralint/require-not-null-backfill', 1, 15],
      ['migralint/no-drop-table', 2, 1],
    ];
    // Linted again and again (an editor on every keystroke): what the last lint walked (the drop
    // of t, in the linted file) never leaks into the schema kept for the migrations before it.
    for (let i = 0; i < 3; i++) expect(await lint()).toEqual(expected);
    expect(await lint('ALTER TABLE t ALTER COLUMN x SET NOT NULL;\nDROP TABLE t;\n-- typing\n')).toEqual(expected);
    // The middle migration now fills x: the kept schema no longer stands for the chain.
    writeFileSync(middle, "INSERT INTO t (id, x) VALUES (1, 1);\nUPDATE t SET x = 0 WHERE x IS NULL;\n");
    expect(await lint()).toEqual([['migralint/no-drop-table', 2, 1]]);
  });

  it('an edit on disk is seen by every ESLint instance, whatever its cwd (an editor with several working directories)', async () => {
    // 2_drop drops a column 1_create made; once 1_create itself drops it, 2_drop's drop fails.
    const create = (extra: string) => `exports.up = async (knex) => {\n  await knex.schema.createTable('t', (t) => { t.integer('x'); t.integer('y'); });\n${extra}};\nexports.down = async () => {};\n`;
    const first = project.write(own(name, 'twocwd/migrations/1_create.js'), create(''));
    const second = project.write(own(name, 'twocwd/migrations/2_drop.js'), `exports.up = async (knex) => {\n  await knex.schema.alterTable('t', (t) => {\n    t.dropColumn('x');\n  });\n};\nexports.down = async (knex) => {\n  await knex.schema.alterTable('t', (t) => t.integer('x'));\n};\n`);
    const atRoot = new Eslint({ cwd: project.dir });
    const inSub = new Eslint({ cwd: path.join(project.dir, own(name, 'twocwd')) });
    const lint = async (eslint: ESLint) => (await eslint.lintFiles([second]))[0]!.messages.map((m) => [m.ruleId, m.line, m.column]);
    expect(await lint(atRoot)).toEqual([['migralint/no-drop-column', 3, 5]]);
    writeFileSync(first, create("  await knex.schema.alterTable('t', (t) => t.dropColumn('x'));\n"));
    const after = [
      ['migralint/no-drop-column', 3, 5],
      ['migralint/no-missing-dependency', 3, 5],
    ];
    expect(await lint(inSub)).toEqual(after);
    // The first instance read 1_create before the edit: it must not keep that text because the
    // other one has since looked at the file.
    expect(await lint(atRoot)).toEqual(after);
  });

  it("a Knex file's findings depend neither on the order files are linted in nor on buffers linted before", async () => {
    // ESLint lints the files of a lintFiles run in the order their reads complete: any order.
    const dir = path.join(project.dir, 'knex/migrations');
    const files = readdirSync(dir).sort().map((f) => path.join(dir, f));
    const expected = sortTuples(cliFindings(project.dir).filter((f) => f.file.startsWith('knex/migrations/')));
    const eslint = new Eslint({ cwd: project.dir });
    // An unsaved buffer of every file that drops the table the chain is about.
    const buffer = `exports.up = async function (knex) {\n  await knex.schema.dropTable('users');\n};\nexports.down = async function () {};\n`;
    for (const order of [files, [...files].reverse()]) {
      for (const f of files) await eslint.lintText(buffer, { filePath: f });
      const results = [];
      for (const f of order) results.push(...(await eslint.lintFiles([f])));
      expect(sortTuples(eslintTuples(project.dir, results))).toEqual(expected);
    }
  });
});

// The engine's reading of files on disk, the same under either ESLint: run once.
it('sees a same-size edit of an earlier migration whose mtime was kept (cp -p, tar, rsync -t), read soon or long after', { timeout: 30_000 }, async () => {
  const eslint = new ESLint({ cwd: project.dir });
  const first = path.join(project.dir, 'stamp/1_create.sql');
  const second = path.join(project.dir, 'stamp/2_not_null.sql');
  const lint = async () => (await eslint.lintFiles([second]))[0]!.messages.map((m) => [m.ruleId, m.line, m.column]);
  const changedLongAgo = async () => {
    // A file whose last change (ctime) is less than 2 s old is checked by its content whatever
    // its stat: wait until that is past, so that what follows is about the stat alone.
    while (Date.now() < statSync(first).ctimeMs + 2100) await new Promise((r) => setTimeout(r, 50));
  };
  const editKeepingStat = (text: string) => {
    const before = statSync(first);
    writeFileSync(first, text);
    utimesSync(first, KEPT_TIME, KEPT_TIME);
    expect([statSync(first).size, statSync(first).mtimeMs, statSync(first).ino]).toEqual([before.size, before.mtimeMs, before.ino]);
  };
  const backfill = [['migralint/require-not-null-backfill', 1, 15]];
  await changedLongAgo();
  expect(await lint()).toEqual(backfill);
  // Read 2 s or more after the edit: the column is NOT NULL from the start, nothing to backfill.
  editKeepingStat(NOT_NULL);
  await changedLongAgo();
  expect(await lint()).toEqual([]);
  // Read right after the edit: nullable again.
  editKeepingStat(NULLABLE);
  expect(await lint()).toEqual(backfill);
});
