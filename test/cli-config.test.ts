/**
 * End to end, configuration: `migralint.config.json` (rules, ignore, dialect), the `migralint`
 * key of package.json, `--config FILE`, config found in a parent directory, invalid configs
 * (exit 2 with a message naming the problem), and layout/dialect overrides on the command line.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, findingTuples, jsonReport, makeTempDir, removeTempDirs, runCli, writeTree } from './helpers/cli.js';

afterAll(removeTempDirs);

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

// fixtures/sql/basic without any config.
const SQL_FINDINGS = [
  ['migrations/10_tighten_users.sql', 3, 19, 'no-drop-column'],
  ['migrations/10_tighten_users.sql', 4, 19, 'require-not-null-backfill'],
  ['migrations/10_tighten_users.sql', 5, 1, 'require-concurrent-index'],
  ['migrations/10_tighten_users.sql', 8, 1, 'unused-disable'],
  ['migrations/11_purge_audit_log.sql', 1, 1, 'no-truncate'],
  ['migrations/11_purge_audit_log.sql', 2, 1, 'no-drop-table'],
];

describe('migralint.config.json', () => {
  it('rules: levels change severities, off removes findings', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-truncate': 'off', 'require-concurrent-index': 'warn' } }));
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    const report = jsonReport(r);
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['no-drop-column', 'error'],
      ['require-not-null-backfill', 'error'],
      ['require-concurrent-index', 'warning'],
      // With no-truncate off, its `disable-next-line` is not reported as unused: it matters when
      // the rule is back on. The fixture's other stale directive still is.
      ['unused-disable', 'warning'],
      ['no-drop-table', 'error'],
    ]);
    expect(r.status).toBe(1);
  });

  it('--rule on the command line wins over the config', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-drop-table': 'off' } }));
    const r = runCli(['check', '.', '--format', 'json', '--rule', 'no-drop-table=error'], { cwd: tree });
    expect(findingTuples(r)).toEqual(SQL_FINDINGS);
  });

  it('ignore: globs leave files out', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ ignore: ['migrations/11_*.sql'] }));
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    expect(findingTuples(r)).toEqual(SQL_FINDINGS.slice(0, 4));
    expect(jsonReport(r).summary.migrations).toBe(3);
  });

  it('ignore: globs are relative to the config file, also when run from a subdirectory', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ ignore: ['migrations/11_*.sql'] }));
    const r = runCli(['check', '.', '--format', 'json'], { cwd: path.join(tree, 'migrations') });
    expect(findingTuples(r)).toEqual(SQL_FINDINGS.slice(0, 4).map(([f, ...rest]) => [path.basename(f as string), ...rest]));
  });

  it('ignore: a glob names a place under the config file, not under every directory checked', () => {
    const dir = writeTree(makeTempDir(), {
      'migralint.config.json': json({ ignore: ['legacy'] }),
      'legacy/1_old.sql': 'DROP TABLE a;\n',
      'db/legacy/1_x.sql': 'DROP TABLE b;\n',
    });
    const r = runCli(['check', 'db', 'legacy', '--format', 'json'], { cwd: dir });
    // `legacy` is ignored (so only db is found); db/legacy is not.
    expect(findingTuples(r)).toEqual([['db/legacy/1_x.sql', 1, 1, 'no-drop-table']]);
  });

  it('dialect: SQLite syntax is parsed as SQLite, and Postgres-only rules do not apply', () => {
    const dir = writeTree(makeTempDir(), {
      'migrations/1_init.sql': 'CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT);\n',
      'migrations/2_index.sql': 'CREATE INDEX notes_body_idx ON notes (body);\n',
    });
    const asPostgres = runCli(['check', '.', '--format', 'json', '--dialect', 'postgres'], { cwd: dir });
    expect(findingTuples(asPostgres).map((t) => t[3])).toEqual(['syntax-error', 'require-concurrent-index']);
    // Without a config, `INTEGER PRIMARY KEY AUTOINCREMENT` says SQLite already.
    const detected = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect([detected.status, findingTuples(detected), detected.stderr]).toEqual([0, [], '']);

    writeFileSync(path.join(dir, 'migralint.config.json'), json({ dialect: 'sqlite' }));
    const asSqlite = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(asSqlite)).toEqual([]);
    expect(asSqlite.status).toBe(0);

    // --dialect wins over the config.
    const forced = runCli(['check', '.', '--format', 'json', '--dialect', 'postgres'], { cwd: dir });
    expect(findingTuples(forced)).toEqual(findingTuples(asPostgres));
  });

  it('an unknown rule id: exit 2, the message names the id and the file', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-drop-tables': 'warn' } }));
    const r = runCli(['check', '.'], { cwd: tree });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('migralint: migralint.config.json: unknown rule "no-drop-tables" in "rules" (run `migralint rules` for the list)\n');
  });

  it('an unknown key or a bad level: exit 2 with the offending key', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rulez: {} }));
    const unknownKey = runCli(['check', '.'], { cwd: tree });
    expect(unknownKey.status).toBe(2);
    expect(unknownKey.stderr).toMatch(/^migralint: migralint\.config\.json: .*"rulez"/);

    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-drop-table': 'fatal' } }));
    const badLevel = runCli(['check', '.'], { cwd: tree });
    expect(badLevel.status).toBe(2);
    expect(badLevel.stderr).toMatch(/^migralint: migralint\.config\.json: "rules\.no-drop-table" /);
  });

  it('invalid JSON: exit 2 naming the file', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), '{ "rules": ');
    const r = runCli(['check', '.'], { cwd: tree });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migralint: migralint\.config\.json: invalid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('package.json and --config', () => {
  it('the "migralint" key of package.json', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'package.json'), json({ name: 'app', private: true, migralint: { rules: { 'no-drop-column': 'off' } } }));
    const r = runCli(['check', '.', '--format', 'json'], { cwd: tree });
    expect(findingTuples(r)).toEqual(SQL_FINDINGS.filter((f) => f[3] !== 'no-drop-column'));
  });

  it('an unknown rule under the package.json key: exit 2 naming the id and where', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'package.json'), json({ name: 'app', migralint: { rules: { nope: 'off' } } }));
    const r = runCli(['check', '.'], { cwd: tree });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migralint: package\.json \(package\.json "migralint" key\): unknown rule "nope"/);
  });

  it('a package.json without the key does not stop the search for a config above it', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-drop-table': 'off' } }));
    writeTree(tree, { 'migrations/package.json': json({ name: 'migrations' }) });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: path.join(tree, 'migrations') });
    expect(findingTuples(r).map((t) => t[3])).not.toContain('no-drop-table');
  });

  it('--config FILE names the config explicitly (over the one found by search)', () => {
    const tree = copyFixture('sql/basic');
    writeFileSync(path.join(tree, 'migralint.config.json'), json({ rules: { 'no-drop-table': 'off' } }));
    writeTree(tree, { 'config/strict.json': json({ rules: { 'require-concurrent-index': 'off' } }) });
    const r = runCli(['check', '.', '--format', 'json', '--config', 'config/strict.json'], { cwd: tree });
    expect(findingTuples(r)).toEqual(SQL_FINDINGS.filter((f) => f[3] !== 'require-concurrent-index'));
  });

  it('--config with a file that does not exist: exit 2 naming it', () => {
    const tree = copyFixture('sql/basic');
    const r = runCli(['check', '.', '--config', 'missing.json'], { cwd: tree });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('migralint: missing.json: config file not found\n');
  });
});

describe('layout override', () => {
  // A marker-less file: detection says plain SQL (no transaction known, no downs).
  const files = { 'migrations/00001_index_users.sql': 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n' };

  it('detected as plain SQL, nothing to report', () => {
    const dir = writeTree(makeTempDir(), files);
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('--format goose (deprecated: a layout, not a report format) still overrides detection, says so once on stderr, and keeps the text report', () => {
    const dir = writeTree(makeTempDir(), files);
    const r = runCli(['check', '.', '--format', 'goose'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('migralint: --format goose is deprecated: use --migration-format goose (--format names the report format)\n');
    // goose runs each migration in a transaction, and has downs.
    expect(r.stdout).toContain('migrations/00001_index_users.sql:1:1  error  no-concurrent-in-transaction');
    expect(r.stdout).toContain('migrations/00001_index_users.sql:1:1  warning  require-down');
  });

  it('--migration-format goose with --format json: no notice', () => {
    const dir = writeTree(makeTempDir(), files);
    const r = runCli(['check', '.', '--migration-format', 'goose', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(findingTuples(r)).toEqual([
      ['migrations/00001_index_users.sql', 1, 1, 'no-concurrent-in-transaction'],
      ['migrations/00001_index_users.sql', 1, 1, 'require-down'],
    ]);
    expect(jsonReport(r).findings[0]!.migration).toBe('migrations#00001');
  });

  it('an unknown --format names the report formats only', () => {
    const dir = writeTree(makeTempDir(), files);
    const r = runCli(['check', '.', '--format', 'xml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json, sarif, github (a migration layout goes in --migration-format).");
    const help = runCli(['check', '--help'], { cwd: dir });
    expect(help.stdout).toMatch(/--format <format> +report format: text, json, sarif, github/);
    expect(help.stdout).not.toMatch(/--format[^\n]*goose/);
  });

  it('"format" in the config does the same', () => {
    const dir = writeTree(makeTempDir(), { ...files, 'migralint.config.json': json({ format: 'goose' }) });
    const r = runCli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(findingTuples(r).map((t) => t[3])).toEqual(['no-concurrent-in-transaction', 'require-down']);
  });
});
